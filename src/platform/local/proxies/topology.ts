/**
 * The shape of a local data plane, independent of the proxy: which proxies listen where, what
 * each sends to, and where TLS and HTTP/2 apply. Config generators (nginx-config.ts,
 * haproxy-config.ts, envoy-config.ts) turn one HopPlan into one proxy's configuration.
 *
 *   hops: 1   client → sidecar → app            (tls: the sidecar terminates TLS from the client)
 *   hops: 2   client → outbound → inbound → app (tls / mtls between outbound and inbound)
 *
 * `upstreamProtocol` is the protocol of the hop after the first proxy: sidecar → app with one
 * hop, outbound → inbound with two (as meshes upgrade the sidecar-to-sidecar hop); the inbound
 * proxy speaks HTTP/1.1 to the app. The client-facing listener speaks HTTP/1.1.
 */
import { UserError } from '../../../errors.js';
import type { MeshSpec } from '../../../profile/types.js';
import type { TlsMaterial } from './tls.js';

export type HopRole = 'sidecar' | 'outbound' | 'inbound';

export interface Endpoint {
  host: string;
  port: number;
}

export interface HopPlan {
  role: HopRole;
  listen: Endpoint & {
    /** Terminate TLS with this certificate; `clientCaPath` set = require a client certificate. */
    tls?: { certPath: string; keyPath: string; pemPath: string; clientCaPath?: string };
    /** Accept HTTP/2 on this listener (ALPN h2 with TLS, prior knowledge without). */
    http2: boolean;
  };
  upstream: Endpoint & {
    /** Originate TLS, verifying the server against `caPath`; a client certificate for mTLS. */
    tls?: { caPath: string; serverName: string; certPath?: string; keyPath?: string; pemPath?: string };
    http2: boolean;
  };
}

/** Reject option combinations a local data plane cannot honour, naming the option. */
export function checkSpec(spec: MeshSpec): void {
  if (spec.mtls && spec.hops !== 2)
    throw new UserError(
      `mesh ${spec.id}: mtls needs hops: 2 (mutual TLS is between the two proxies; the load generator has no client certificate)`,
    );
}

export function needsTls(spec: MeshSpec): boolean {
  return spec.tls || spec.mtls;
}

/**
 * Plans in start order (the proxy nearest the app first). `ports` holds one free port per hop,
 * client-facing first.
 */
export function planHops(spec: MeshSpec, appUrl: string, ports: number[], tls?: TlsMaterial): HopPlan[] {
  checkSpec(spec);
  const app = new URL(appUrl);
  if (app.protocol !== 'http:') throw new UserError(`local data planes send plain HTTP to the app; ${appUrl} is not http://`);
  const appEndpoint = { host: app.hostname, port: Number(app.port || 80) };
  const http2 = spec.upstreamProtocol === 'http2';
  const serverTls = tls && { certPath: tls.serverCertPath, keyPath: tls.serverKeyPath, pemPath: tls.serverPemPath };
  if (spec.hops === 1)
    return [
      {
        role: 'sidecar',
        listen: { host: '127.0.0.1', port: ports[0], http2: false, tls: needsTls(spec) ? serverTls : undefined },
        upstream: { ...appEndpoint, http2 },
      },
    ];
  const betweenTls = needsTls(spec) && tls ? tls : undefined;
  const inbound: HopPlan = {
    role: 'inbound',
    listen: {
      host: '127.0.0.1',
      port: ports[1],
      http2,
      tls: betweenTls && { ...serverTls!, clientCaPath: spec.mtls ? betweenTls.caCertPath : undefined },
    },
    upstream: { ...appEndpoint, http2: false },
  };
  const outbound: HopPlan = {
    role: 'outbound',
    listen: { host: '127.0.0.1', port: ports[0], http2: false },
    upstream: {
      host: '127.0.0.1',
      port: ports[1],
      http2,
      tls: betweenTls && {
        caPath: betweenTls.caCertPath,
        serverName: betweenTls.serverName,
        ...(spec.mtls
          ? { certPath: betweenTls.clientCertPath, keyPath: betweenTls.clientKeyPath, pemPath: betweenTls.clientPemPath }
          : {}),
      },
    },
  };
  return [inbound, outbound];
}

/** The URL clients send to: the first hop's listener. */
export function entryUrl(plans: HopPlan[]): string {
  const first = plans[plans.length - 1].listen;
  return `${first.tls ? 'https' : 'http'}://${first.host}:${first.port}`;
}

/** "2 hops, mTLS, HTTP/2 between proxies, 2 workers, access log" */
export function describeSpec(spec: MeshSpec): string {
  const parts = [spec.hops === 2 ? '2 hops' : '1 hop'];
  if (spec.mtls) parts.push('mTLS');
  else if (spec.tls) parts.push('TLS');
  if (spec.upstreamProtocol === 'http2') parts.push(spec.hops === 2 ? 'HTTP/2 between proxies' : 'HTTP/2 to the app');
  if (spec.concurrency) parts.push(`${spec.concurrency} worker${spec.concurrency > 1 ? 's' : ''}`);
  parts.push(spec.accessLog ? 'access log' : 'no access log');
  return parts.join(', ');
}
