/** HTTP/2 (h2c and TLS with ALPN) and HTTP/1.1 over TLS round trips, run inline. */
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from '@jest/globals';
import { startSampleServer, type SampleServer } from '../../src/sample-server/server.js';
import { job, refusedUrl, runInline } from './load-helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const tlsOptions = {
  key: readFileSync(join(fixtures, 'localhost-key.pem')),
  cert: readFileSync(join(fixtures, 'localhost-cert.pem')),
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function listen(server: http2.Http2SecureServer | https.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sessions = new Set<http2.Http2Session>();
  server.on('session', (session: http2.Http2Session) => sessions.add(session));
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const session of sessions) session.destroy();
        if (server instanceof https.Server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('HTTP/2', () => {
  test('h2c against the sample server, with a body and several streams per connection', async () => {
    const server: SampleServer = await startSampleServer({ http2: true, delayMs: 2 });
    closers.push(() => server.close());
    const result = await runInline(
      job(server.url, {
        protocol: 'http2',
        rps: 200,
        connections: 2,
        streamsPerConnection: 4,
        durationS: 0.5,
        request: { method: 'POST', path: '/echo', headers: { 'x-test': '1' }, body: 'payload' },
      }),
    );
    expect(result.statusCodes).toEqual({ '200': 100 });
    expect(result.errorsByKind).toEqual({});
  });

  test('TLS with ALPN h2; status codes per stream', async () => {
    const seen = new Set<string>();
    const server = http2.createSecureServer(tlsOptions, (request, response) => {
      seen.add(String(request.httpVersion));
      response.writeHead(request.url === '/missing' ? 404 : 200).end('x');
    });
    const url = await listen(server);
    const ok = await runInline(job(url, { protocol: 'http2', rps: 100, durationS: 0.3, insecureTls: true }));
    expect(ok.statusCodes).toEqual({ '200': 30 });
    const missing = await runInline(
      job(url, {
        protocol: 'http2',
        rps: 100,
        durationS: 0.2,
        insecureTls: true,
        request: { method: 'GET', path: '/missing', headers: {}, body: '' },
      }),
    );
    expect(missing.errorsByKind).toEqual({ status_404: 20 });
    expect([...seen]).toEqual(['2.0']);
  });

  test('an untrusted certificate fails unless insecureTls', async () => {
    const url = await listen(http2.createSecureServer(tlsOptions, (_, response) => response.end()));
    const result = await runInline(job(url, { protocol: 'http2', rps: 50, durationS: 0.2 }));
    expect(result.requests).toBe(10);
    expect(result.statusCodes).toEqual({});
    expect(Object.values(result.errorsByKind).reduce((a, b) => a + b, 0)).toBe(10);
  });

  test('connection refused is classified for HTTP/2 too', async () => {
    const result = await runInline(job(await refusedUrl(), { protocol: 'http2', rps: 50, durationS: 0.2 }));
    expect(result.errorsByKind).toEqual({ connect_refused: 10 });
  });
});

describe('HTTP/1.1 over TLS', () => {
  test('keep-alive round trips', async () => {
    const url = await listen(https.createServer(tlsOptions, (_, response) => response.end('ok')));
    const result = await runInline(job(url, { rps: 100, durationS: 0.3, insecureTls: true }));
    expect(result.statusCodes).toEqual({ '200': 30 });
  });
});
