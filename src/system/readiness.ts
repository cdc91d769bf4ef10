/** Readiness by probing (never fixed sleeps), and free ports found by binding port 0. */
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
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
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

/**
 * Probe `url` until it answers with any HTTP status below 500, or fail after `timeoutMs` with a
 * message naming what was waited for.
 */
export async function waitForHttp(url: string, what: string, timeoutMs = 30_000, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  let delayMs = 20;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    try {
      const status = await probeOnce(url, Math.min(2000, Math.max(100, deadline - Date.now())));
      if (status < 500) return;
      lastProblem = `HTTP ${status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(delayMs);
    delayMs = Math.min(delayMs * 2, 500);
  }
  throw new SetupError(`${what} did not become ready at ${url} within ${timeoutMs / 1000} s (last: ${lastProblem})`);
}
