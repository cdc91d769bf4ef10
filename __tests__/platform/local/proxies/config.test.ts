// requires: nginx haproxy
/**
 * Config generators of the local data planes, checked by parsing: the hop plans, Envoy's bootstrap
 * (structure, listener, cluster, TLS contexts), the nginx and HAProxy directives that carry TLS,
 * HTTP/2, workers and keep-alive. Envoy itself runs only where an `envoy` binary exists.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { envoyConfig } from '../../../../src/platform/local/proxies/envoy-config.js';
import { prepareEnvoyHop, startEnvoy } from '../../../../src/platform/local/proxies/envoy.js';
import { haproxyConfig } from '../../../../src/platform/local/proxies/haproxy-config.js';
import { nginxConfig } from '../../../../src/platform/local/proxies/nginx-config.js';
import { findProxyBinary } from '../../../../src/platform/local/proxies/binary.js';
import { describeSpec, entryUrl, planHops, type HopPlan } from '../../../../src/platform/local/proxies/topology.js';
import type { TlsMaterial } from '../../../../src/platform/local/proxies/tls.js';
import { get, meshSpec, quietContext, startApp, tempWorkDir } from './helpers.js';

const tls: TlsMaterial = {
  caCertPath: '/t/ca.crt',
  serverCertPath: '/t/server.crt',
  serverKeyPath: '/t/server.key',
  clientCertPath: '/t/client.crt',
  clientKeyPath: '/t/client.key',
  serverPemPath: '/t/server.pem',
  clientPemPath: '/t/client.pem',
  serverName: 'localhost',
};
const APP = 'http://127.0.0.1:9000';
const mtlsH2 = planHops(meshSpec({ name: 'envoy', hops: 2, mtls: true, upstreamProtocol: 'http2' }), APP, [7001, 7002], tls);
const [inbound, outbound] = mtlsH2;

describe('planHops', () => {
  it.each([
    ['one hop', meshSpec({ name: 'nginx' }), ['sidecar'], 'http://127.0.0.1:7001'],
    ['one hop, TLS from the client', meshSpec({ name: 'nginx', tls: true }), ['sidecar'], 'https://127.0.0.1:7001'],
    ['two hops', meshSpec({ name: 'nginx', hops: 2 }), ['inbound', 'outbound'], 'http://127.0.0.1:7001'],
  ])('%s', (_what, spec, roles, url) => {
    const plans = planHops(spec, APP, [7001, 7002], tls);
    expect(plans.map((p) => p.role)).toEqual(roles);
    expect(entryUrl(plans)).toBe(url);
    expect(plans[0].upstream).toMatchObject({ host: '127.0.0.1', port: 9000 });
  });

  it('puts mTLS and HTTP/2 between the proxies, HTTP/1.1 to the app', () => {
    expect(outbound.upstream).toMatchObject({ port: 7002, http2: true, tls: { caPath: '/t/ca.crt', certPath: '/t/client.crt' } });
    expect(inbound.listen).toMatchObject({ port: 7002, http2: true, tls: { clientCaPath: '/t/ca.crt' } });
    expect(inbound.upstream).toMatchObject({ port: 9000, http2: false });
    expect(inbound.upstream.tls).toBeUndefined();
    expect(outbound.listen.tls).toBeUndefined();
  });

  it('rejects an https app and mtls with one hop', () => {
    expect(() => planHops(meshSpec({ name: 'nginx' }), 'https://127.0.0.1:1', [1])).toThrow(/plain HTTP/);
    expect(() => planHops(meshSpec({ name: 'nginx', mtls: true }), APP, [1], tls)).toThrow(/mtls needs hops: 2/);
  });

  it('describes a variant for reports', () => {
    expect(describeSpec(meshSpec({ name: 'nginx', hops: 2, mtls: true, concurrency: 2 }))).toBe('2 hops, mTLS, 2 workers, no access log');
  });
});

describe('envoy bootstrap', () => {
  type Json = Record<string, any>;
  const parse = (plan: HopPlan, accessLogPath?: string): Json => JSON.parse(JSON.stringify(envoyConfig({ plan, accessLogPath })));

  it('has one listener with an HTTP connection manager routing to one cluster', () => {
    const config = parse(outbound, '/t/access.log');
    const [listener] = config.static_resources.listeners;
    expect(listener.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 7001 });
    const hcm = listener.filter_chains[0].filters[0].typed_config;
    expect(hcm['@type']).toMatch(/HttpConnectionManager$/);
    expect(hcm.access_log[0].typed_config.path).toBe('/t/access.log');
    expect(hcm.route_config.virtual_hosts[0].routes[0].route.cluster).toBe('upstream_app');
    expect(hcm.http_filters.map((f: Json) => f.name)).toEqual(['envoy.filters.http.router']);
    expect(listener.filter_chains[0].transport_socket).toBeUndefined();
    const [cluster] = config.static_resources.clusters;
    expect(cluster.name).toBe('upstream_app');
    expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value).toBe(7002);
  });

  it('originates mTLS with HTTP/2 on the outbound side', () => {
    const cluster = parse(outbound).static_resources.clusters[0];
    const options = cluster.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'];
    expect(options.explicit_http_config).toEqual({ http2_protocol_options: {} });
    const upstreamTls = cluster.transport_socket.typed_config;
    expect(upstreamTls['@type']).toMatch(/UpstreamTlsContext$/);
    expect(upstreamTls.sni).toBe('localhost');
    expect(upstreamTls.common_tls_context.validation_context.trusted_ca.filename).toBe('/t/ca.crt');
    expect(upstreamTls.common_tls_context.tls_certificates[0].certificate_chain.filename).toBe('/t/client.crt');
    expect(upstreamTls.common_tls_context.alpn_protocols).toEqual(['h2']);
  });

  it('requires a client certificate on the inbound side and sends HTTP/1.1 to the app', () => {
    const config = parse(inbound);
    const downstream = config.static_resources.listeners[0].filter_chains[0].transport_socket.typed_config;
    expect(downstream['@type']).toMatch(/DownstreamTlsContext$/);
    expect(downstream.require_client_certificate).toBe(true);
    expect(downstream.common_tls_context.validation_context.trusted_ca.filename).toBe('/t/ca.crt');
    expect(downstream.common_tls_context.alpn_protocols).toContain('h2');
    const cluster = config.static_resources.clusters[0];
    expect(cluster.transport_socket).toBeUndefined();
    expect(cluster.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].explicit_http_config).toEqual({
      http_protocol_options: {},
    });
  });

  it('writes the bootstrap and the command line for a hop', async () => {
    const work = await tempWorkDir();
    try {
      const launch = await prepareEnvoyHop(outbound, work.workDir, meshSpec({ name: 'envoy', concurrency: 2 }));
      const written = JSON.parse(readFileSync(`${work.workDir}/envoy.json`, 'utf8'));
      expect(written.static_resources.listeners).toHaveLength(1);
      expect(launch.args).toEqual(expect.arrayContaining(['-c', `${work.workDir}/envoy.json`, '--concurrency', '2', '--disable-hot-restart']));
    } finally {
      await work.remove();
    }
  });
});

describe('nginx and HAProxy configs', () => {
  it('nginx: workers, upstream keep-alive, mTLS origination over HTTP/2 (grpc_pass)', () => {
    const text = nginxConfig({ plan: outbound, prefixDir: '/p', workers: 2, accessLog: false });
    expect(text).toMatch(/^worker_processes 2;$/m);
    expect(text).toMatch(/keepalive 128;/);
    expect(text).toMatch(/access_log off;/);
    expect(text).toMatch(/grpc_pass grpcs:\/\/upstream_app;/);
    expect(text).toMatch(/grpc_ssl_certificate \/t\/client\.crt;/);
    const inboundText = nginxConfig({ plan: inbound, prefixDir: '/p', accessLog: true });
    expect(inboundText).toMatch(/listen 127\.0\.0\.1:7002 ssl http2;/);
    expect(inboundText).toMatch(/ssl_verify_client on;/);
    expect(inboundText).toMatch(/proxy_http_version 1\.1;/);
    expect(inboundText).toMatch(/access_log \/p\/access\.log/);
  });

  it('haproxy: threads, connection reuse, verified mTLS with ALPN h2', () => {
    const text = haproxyConfig({ plan: outbound, pidFile: '/p/pid', threads: 2, accessLog: false });
    expect(text).toMatch(/nbthread 2/);
    expect(text).toMatch(/http-reuse always/);
    expect(text).toMatch(/server app 127\.0\.0\.1:7002 ssl verify required ca-file \/t\/ca\.crt .*crt \/t\/client\.pem alpn h2/);
    expect(haproxyConfig({ plan: inbound, pidFile: '/p/pid', accessLog: true })).toMatch(
      /bind 127\.0\.0\.1:7002 ssl crt \/t\/server\.pem alpn h2,http\/1\.1 ca-file \/t\/ca\.crt verify required/,
    );
  });
});

// Envoy is not packaged by Debian; the real run happens wherever an envoy binary is on PATH.
const envoyBinary = findProxyBinary(meshSpec({ name: 'envoy' }), 'envoy');
describe('envoy, for real', () => {
  let work: Awaited<ReturnType<typeof tempWorkDir>>;
  beforeAll(async () => (work = await tempWorkDir()));
  afterAll(() => work.remove());
  (envoyBinary ? it : it.skip)('routes two hops with mTLS (skipped: no envoy binary on PATH)', async () => {
    const app = await startApp();
    const chain = await startEnvoy(app.url, meshSpec({ name: 'envoy', hops: 2, mtls: true }), quietContext(work.workDir));
    try {
      const reply = await get(chain.url);
      expect(reply.headers['x-app']).toBe('meshgate-test');
      expect(JSON.parse(reply.body).hops).toMatch(/envoy\/outbound.*envoy\/inbound/);
    } finally {
      await chain.stop();
      await app.close();
    }
  });
});
