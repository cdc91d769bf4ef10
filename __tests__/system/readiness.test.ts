// test-group: integration
/**
 * Readiness probes by protocol (system/readiness.ts, picked from its table): each waits in the
 * protocol the load will speak and says which one when the workload never gets ready.
 */
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SetupError } from '../../src/errors.js';
import { waitForHttp, type ReadinessProbe } from '../../src/system/readiness.js';

let busy: Server; // HTTP/1.1, always 503
let h2c: Http2Server; // h2c: GET 200; gRPC health check → grpc-status from `grpcStatus`
let grpcStatus = '0';
const urlOf = (server: Server | Http2Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

beforeAll(async () => {
  busy = createServer((_, res) => res.writeHead(503).end());
  h2c = createHttp2Server();
  h2c.on('stream', (stream, headers) => {
    if (headers['content-type'] === 'application/grpc') {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': grpcStatus }));
        stream.end();
      });
    } else stream.respond({ ':status': 200 }, { endStream: true });
  });
  await Promise.all([
    new Promise<void>((r) => busy.listen(0, '127.0.0.1', r)),
    new Promise<void>((r) => h2c.listen(0, '127.0.0.1', r)),
  ]);
});
afterAll(() => {
  busy.close();
  h2c.close();
});

// Bounds of 1.5 s: several probe attempts even on a loaded 2-core machine, yet a short test.
describe('waitForHttp', () => {
  test.each([
    ['http1', /did not become ready at http:\/\/127\.0\.0\.1:\d+\/ within 1\.5 s \(last: HTTP 503\)/],
    ['http2', /\(an HTTP\/2 request\) within 1\.5 s \(last: HTTP 503\)/],
    ['grpc', /\(a gRPC health check over HTTP\/2\) within 1\.5 s \(last: /],
  ] as [ReadinessProbe, RegExp][])(
    '%s against an HTTP/1.1 server answering 503 fails naming the probe',
    async (probe, message) => {
      const waiting = waitForHttp(urlOf(busy), 'the app', 1500, undefined, probe);
      await expect(waiting).rejects.toThrow(SetupError);
      await expect(waiting).rejects.toThrow(message);
    },
  );

  test('h2c: the http2 and grpc probes are satisfied; UNAVAILABLE is not ready', async () => {
    await waitForHttp(urlOf(h2c), 'the app', 5000, undefined, 'http2');
    await waitForHttp(urlOf(h2c), 'the app', 5000, undefined, 'grpc');
    grpcStatus = '14';
    await expect(waitForHttp(urlOf(h2c), 'the app', 1500, undefined, 'grpc')).rejects.toThrow(
      /\(last: the health service says not serving\)/,
    );
  });
});
