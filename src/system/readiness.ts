/**
 * Readiness by probing (never fixed sleeps), in the workload's own protocol, and free ports found by
 * binding port 0. An HTTP/1.1 GET tells nothing about a server that speaks only HTTP/2 (h2c, as
 * grpc-go and grpc-java serve by default): such a server is probed with an HTTP/2 request, and a
 * gRPC server with a call of the standard health service.
 */
import http2 from 'node:http2';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SetupError } from '../errors.js';

/** A port that was free a moment ago on `host`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** One GET; resolves with the status code, rejects on a connection error or after timeoutMs. */
export function probeOnce(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : request;
    const req = send(url, { method: 'GET', timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** How to ask a workload whether it is up: the protocol its load will speak. */
export type ReadinessProbe = 'http1' | 'http2' | 'grpc';

/** grpc.health.v1.Health/Check with an empty HealthCheckRequest (the whole server). */
const HEALTH_CHECK = '/grpc.health.v1.Health/Check';
/** HealthCheckResponse field 1 (status) = NOT_SERVING, as protobuf bytes: tag 0x08, value 2. */
const NOT_SERVING = Buffer.from([0x08, 0x02]);
const GRPC_UNAVAILABLE = 14;

/**
 * One HTTP/2 exchange (h2c with prior knowledge, or TLS with ALPN h2). Plain HTTP/2: resolves with
 * the status code. gRPC: calls the health service and resolves with 200 when the server answered
 * with any grpc-status (UNIMPLEMENTED too: a server without the health service is still up),
 * 503 when it says NOT_SERVING or UNAVAILABLE.
 */
export function probeHttp2Once(url: string, timeoutMs: number, grpc: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(new URL(url).origin, { rejectUnauthorized: false });
    const timer = setTimeout(() => session.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const done = (error: Error | undefined, status?: number) => {
      clearTimeout(timer);
      session.close();
      if (error) reject(error);
      else resolve(status ?? 0);
    };
    session.once('error', (error) => done(error));
    const path = grpc ? HEALTH_CHECK : new URL(url).pathname + new URL(url).search;
    const headers = grpc
      ? { ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' }
      : { ':method': 'GET', ':path': path };
    const stream = session.request(headers, { endStream: !grpc });
    if (grpc) stream.end(Buffer.from([0, 0, 0, 0, 0])); // one empty length-prefixed message
    let httpStatus = 0;
    let grpcStatus: string | undefined;
    const body: Buffer[] = [];
    stream.on('response', (h) => {
      httpStatus = Number(h[':status'] ?? 0);
      grpcStatus ??= h['grpc-status'] as string | undefined;
      if (!grpc) stream.close();
    });
    stream.on('trailers', (h) => (grpcStatus ??= h['grpc-status'] as string | undefined));
    stream.on('data', (chunk: Buffer) => body.push(chunk));
    stream.on('error', (error) => done(error));
    stream.on('close', () => {
      if (!grpc)
        return done(httpStatus ? undefined : new Error('the stream closed without an answer'), httpStatus);
      if (grpcStatus === undefined)
        return done(
          new Error(`no grpc-status in the answer (HTTP ${httpStatus || 'none'}): not a gRPC server?`),
        );
      const code = Number(grpcStatus);
      const notServing = code === 0 && Buffer.concat(body).subarray(5).equals(NOT_SERVING);
      done(undefined, notServing || code === GRPC_UNAVAILABLE ? 503 : 200);
    });
  });
}

/** Each probe: one attempt (resolving with an HTTP-like status), and how messages describe it. */
const PROBES: Record<
  ReadinessProbe,
  {
    once: (url: string, timeoutMs: number) => Promise<number>;
    how: string;
    notReady: (status: number) => string;
  }
> = {
  http1: { once: probeOnce, how: '', notReady: (status) => `HTTP ${status}` },
  http2: {
    // A server behind an HTTP/2 load may speak HTTP/1.1 too (a proxy in front takes h2):
    // either answer says it is up.
    once: (url, timeoutMs) => probeHttp2Once(url, timeoutMs, false).catch(() => probeOnce(url, timeoutMs)),
    how: ' (an HTTP/2 request)',
    notReady: (status) => `HTTP ${status}`,
  },
  grpc: {
    once: (url, timeoutMs) => probeHttp2Once(url, timeoutMs, true),
    how: ' (a gRPC health check over HTTP/2)',
    notReady: () => 'the health service says not serving',
  },
};

/**
 * Probe `url` until it answers in its protocol with any status below 500 (gRPC: any grpc-status
 * but UNAVAILABLE or a health check's NOT_SERVING), or fail after `timeoutMs` with a message naming
 * what was waited for.
 */
export async function waitForHttp(
  url: string,
  what: string,
  timeoutMs = 30_000,
  signal?: AbortSignal,
  probe: ReadinessProbe = 'http1',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  let delayMs = 20;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    try {
      const attemptMs = Math.min(2000, Math.max(100, deadline - Date.now()));
      const status = await PROBES[probe].once(url, attemptMs);
      if (status < 500) return;
      lastProblem = PROBES[probe].notReady(status);
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(delayMs);
    delayMs = Math.min(delayMs * 2, 500);
  }
  throw new SetupError(
    `${what} did not become ready at ${url}${PROBES[probe].how} within ${timeoutMs / 1000} s (last: ${lastProblem})`,
  );
}
