/**
 * nginx.conf for one hop of a local data plane. Everything nginx writes (pid, error log, access
 * log, temp files) stays under the hop's prefix directory. Upstream connections are kept alive
 * (a sidecar reuses them); HTTP/2 upstreams use nginx's generic HTTP/2 proxy (`grpc_pass`),
 * since `proxy_pass` speaks HTTP/1.x only.
 */
import type { HopPlan } from './topology.js';

export interface NginxHopOptions {
  plan: HopPlan;
  /** Absolute directory for pid, logs and temp files. */
  prefixDir: string;
  /** worker_processes; undefined = nginx's default (1). */
  workers?: number;
  accessLog: boolean;
}

/** Upstream keep-alive connections cached per worker. */
const KEEPALIVE_CONNECTIONS = 128;

export function nginxConfig({ plan, prefixDir, workers, accessLog }: NginxHopOptions): string {
  const { listen, upstream } = plan;
  const at = (file: string) => `${prefixDir}/${file}`;
  const listenFlags = [listen.tls ? 'ssl' : '', listen.http2 ? 'http2' : ''].filter(Boolean).join(' ');
  const h2 = upstream.http2;
  const pass = h2 ? 'grpc' : 'proxy';
  const scheme = h2 ? (upstream.tls ? 'grpcs' : 'grpc') : upstream.tls ? 'https' : 'http';
  const lines = [
    workers ? `worker_processes ${workers};` : '',
    `pid ${at('nginx.pid')};`,
    `error_log ${at('error.log')} warn;`,
    'events { worker_connections 4096; multi_accept on; }',
    'http {',
    accessLog ? `  access_log ${at('access.log')} combined;` : '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${at(`tmp-${kind}`)};`),
    '  keepalive_requests 100000;',
    '  keepalive_timeout 75s;',
    '  http2_max_requests 100000;',
    `  upstream upstream_app { server ${upstream.host}:${upstream.port}; keepalive ${KEEPALIVE_CONNECTIONS}; keepalive_requests 100000; }`,
    '  server {',
    `    listen ${listen.host}:${listen.port}${listenFlags ? ` ${listenFlags}` : ''};`,
    ...(listen.tls
      ? [
          `    ssl_certificate ${listen.tls.certPath};`,
          `    ssl_certificate_key ${listen.tls.keyPath};`,
          '    ssl_protocols TLSv1.2 TLSv1.3;',
          '    ssl_session_cache shared:tls:1m;',
          ...(listen.tls.clientCaPath
            ? [`    ssl_client_certificate ${listen.tls.clientCaPath};`, '    ssl_verify_client on;']
            : []),
        ]
      : []),
    '    location / {',
    `      ${pass}_pass ${scheme}://upstream_app;`,
    ...(h2 ? [] : ['      proxy_http_version 1.1;', '      proxy_set_header Connection "";', '      proxy_buffering off;']),
    `      ${pass}_set_header Host $host;`,
    `      ${pass}_set_header X-Meshgate-Hops "$http_x_meshgate_hops nginx/${plan.role}";`,
    ...(upstream.tls
      ? [
          `      ${pass}_ssl_trusted_certificate ${upstream.tls.caPath};`,
          `      ${pass}_ssl_verify on;`,
          `      ${pass}_ssl_name ${upstream.tls.serverName};`,
          `      ${pass}_ssl_server_name on;`,
          `      ${pass}_ssl_session_reuse on;`,
          ...(upstream.tls.certPath
            ? [`      ${pass}_ssl_certificate ${upstream.tls.certPath};`, `      ${pass}_ssl_certificate_key ${upstream.tls.keyPath};`]
            : []),
        ]
      : []),
    '    }',
    '  }',
    '}',
    '',
  ];
  return lines.filter((line) => line !== '').join('\n') + '\n';
}
