/** Readiness of a proxy's listener: a TCP connect succeeds (before any TLS or HTTP is spoken). */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SetupError } from '../../../errors.js';

function connectOnce(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => socket.destroy(new Error(`no connection within ${timeoutMs} ms`)));
    socket.once('error', reject);
  });
}

/** Retry a TCP connect to `host:port` until it succeeds or `timeoutMs` passes. */
export async function waitForTcp(endpoint: { host: string; port: number }, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delayMs = 10;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      return await connectOnce(endpoint.host, endpoint.port, Math.min(1000, Math.max(50, deadline - Date.now())));
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(delayMs);
    delayMs = Math.min(delayMs * 2, 250);
  }
  throw new SetupError(`${what} did not listen on ${endpoint.host}:${endpoint.port} within ${timeoutMs / 1000} s (last: ${last})`);
}
