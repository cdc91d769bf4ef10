// requires: nginx haproxy
/**
 * The real nginx and HAProxy (Debian packages) as local data planes: routing through one and two
 * hops, TLS and mutual TLS between the hops, HTTP/2 upstreams, and a clean stop.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { startHaproxy } from '../../../../src/platform/local/proxies/haproxy.js';
import { startNginx } from '../../../../src/platform/local/proxies/nginx.js';
import type { ProxyChain } from '../../../../src/platform/local/proxies/chain.js';
import type { LocalDataPlaneContext } from '../../../../src/platform/local/proxies/types.js';
import type { MeshSpec } from '../../../../src/profile/types.js';
import { alive, get, meshSpec, quietContext, startApp, tempWorkDir, type TestApp } from './helpers.js';

type Start = (url: string, spec: MeshSpec, ctx: LocalDataPlaneContext) => Promise<ProxyChain>;
const proxies: [MeshSpec['name'], Start][] = [
  ['nginx', startNginx],
  ['haproxy', startHaproxy],
];

let app: TestApp;
let h2App: TestApp;
let work: Awaited<ReturnType<typeof tempWorkDir>>;

beforeAll(async () => {
  [app, h2App, work] = await Promise.all([startApp(), startApp({ http2: true }), tempWorkDir()]);
});
afterAll(async () => {
  await Promise.all([app.close(), h2App.close()]);
  await work.remove();
});

async function withChain(start: Start, spec: MeshSpec, upstream: string, check: (chain: ProxyChain) => Promise<void>) {
  const chain = await start(upstream, spec, quietContext(work.workDir));
  const pids = chain.pids();
  try {
    await check(chain);
  } finally {
    await chain.stop();
  }
  for (const pid of pids) expect(alive(pid)).toBe(false);
}

describe.each(proxies)('%s', (name, start) => {
  it('routes one hop to the app, keeping its headers and body', async () => {
    await withChain(start, meshSpec({ name }), app.url, async (chain) => {
      const reply = await get(chain.url);
      expect(reply.status).toBe(200);
      expect(reply.headers['x-app']).toBe('meshgate-test');
      expect(JSON.parse(reply.body).hops).toContain(`${name}/sidecar`);
      expect(chain.pids().length).toBeGreaterThanOrEqual(1);
    });
  });

  it('routes two hops: client-side proxy, then server-side proxy, then the app', async () => {
    await withChain(start, meshSpec({ name, hops: 2, accessLog: true, concurrency: 2 }), app.url, async (chain) => {
      const reply = await get(chain.url);
      expect(reply.headers['x-app']).toBe('meshgate-test');
      expect(JSON.parse(reply.body).hops).toMatch(new RegExp(`${name}/outbound.*${name}/inbound`));
      expect(chain.hops.map((hop) => hop.role)).toEqual(['outbound', 'inbound']);
    });
  });

  it('speaks TLS between the hops', async () => {
    await withChain(start, meshSpec({ name, hops: 2, tls: true }), app.url, async (chain) => {
      expect(chain.hops[1].url).toMatch(/^https:/);
      expect((await get(chain.url)).headers['x-app']).toBe('meshgate-test');
      // The server-side proxy serves the run's certificate, valid for localhost.
      const direct = await get(chain.hops[1].url, { ca: readFileSync(chain.tls!.caCertPath) });
      expect(direct.headers['x-app']).toBe('meshgate-test');
    });
  });

  it('enforces mutual TLS: a client without a certificate is refused at the server-side proxy', async () => {
    await withChain(start, meshSpec({ name, hops: 2, mtls: true }), app.url, async (chain) => {
      expect((await get(chain.url)).headers['x-app']).toBe('meshgate-test');
      const ca = readFileSync(chain.tls!.caCertPath);
      const refused = await get(chain.hops[1].url, { ca }).then(
        (reply) => ({ reply, error: undefined }),
        (error: Error) => ({ reply: undefined, error }),
      );
      // HAProxy fails the handshake; nginx completes it and answers 400 without reaching the app.
      if (name === 'haproxy') expect(refused.error?.message).toMatch(/certificate|alert|socket hang up|ECONNRESET/i);
      else {
        expect(refused.reply?.status).toBe(400);
        expect(refused.reply?.headers['x-app']).toBeUndefined();
      }
      const accepted = await get(chain.hops[1].url, {
        ca,
        cert: readFileSync(chain.tls!.clientCertPath),
        key: readFileSync(chain.tls!.clientKeyPath),
      });
      expect(accepted.headers['x-app']).toBe('meshgate-test');
    });
  });

  it('uses HTTP/2 between the proxies (with mTLS) and to an h2c app with one hop', async () => {
    await withChain(start, meshSpec({ name, hops: 2, mtls: true, upstreamProtocol: 'http2' }), app.url, async (chain) => {
      expect((await get(chain.url)).headers['x-app']).toBe('meshgate-test');
    });
    await withChain(start, meshSpec({ name, upstreamProtocol: 'http2' }), h2App.url, async (chain) => {
      const reply = await get(chain.url);
      expect(JSON.parse(reply.body).httpVersion).toBe('2.0');
    });
  });

  it('rejects mtls with one hop, naming the option', async () => {
    await expect(start(app.url, meshSpec({ name, mtls: true }), quietContext(work.workDir))).rejects.toThrow(/mtls needs hops: 2/);
  });
});
