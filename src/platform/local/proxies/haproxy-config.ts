/**
 * haproxy.cfg for one hop of a local data plane: one process with `nbthread` threads, HTTP mode,
 * server connections reused across requests (`http-reuse always`, as a sidecar keeps them).
 * The access log goes to stdout, which the adapter points at a file.
 */
import type { HopPlan } from './topology.js';

export interface HaproxyHopOptions {
  plan: HopPlan;
  pidFile: string;
  /** nbthread; undefined = HAProxy's default (one per CPU). */
  threads?: number;
  accessLog: boolean;
}

export function haproxyConfig({ plan, pidFile, threads, accessLog }: HaproxyHopOptions): string {
  const { listen, upstream } = plan;
  const bindOptions = listen.tls
    ? [`ssl crt ${listen.tls.pemPath}`, `alpn ${listen.http2 ? 'h2,http/1.1' : 'http/1.1'}`]
        .concat(listen.tls.clientCaPath ? [`ca-file ${listen.tls.clientCaPath}`, 'verify required'] : [])
        .join(' ')
    : '';
  const serverOptions = [
    ...(upstream.tls
      ? [`ssl verify required ca-file ${upstream.tls.caPath}`, `sni str(${upstream.tls.serverName})`, `verifyhost ${upstream.tls.serverName}`]
          .concat(upstream.tls.pemPath ? [`crt ${upstream.tls.pemPath}`] : [])
          .concat(upstream.http2 ? ['alpn h2'] : ['alpn http/1.1'])
      : upstream.http2
        ? ['proto h2']
        : []),
  ].join(' ');
  const lines = [
    'global',
    `  pidfile ${pidFile}`,
    threads ? `  nbthread ${threads}` : undefined,
    '  maxconn 4000',
    '  tune.ssl.default-dh-param 2048',
    accessLog ? '  log stdout format raw local0' : undefined,
    '',
    'defaults',
    '  mode http',
    accessLog ? '  log global' : undefined,
    accessLog ? '  option httplog' : undefined,
    '  option http-keep-alive',
    '  http-reuse always',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-keep-alive 75s',
    '',
    'frontend listener',
    `  bind ${listen.host}:${listen.port}${bindOptions ? ` ${bindOptions}` : ''}`,
    `  http-request add-header X-Meshgate-Hops haproxy/${plan.role}`,
    '  default_backend upstream_app',
    '',
    'backend upstream_app',
    `  server app ${upstream.host}:${upstream.port}${serverOptions ? ` ${serverOptions}` : ''}`,
    '',
  ];
  return lines.filter((line) => line !== undefined).join('\n');
}
