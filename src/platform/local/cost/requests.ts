/**
 * A counted batch's requests: exactly `count` requests, closed loop over a few keep-alive
 * connections (counting needs a known number, not a rate). Resolves when every answer has been
 * read in full; rejects when one fails or the batch outlasts `timeoutMs`, so a batch is either
 * complete or not used.
 */
import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RequestSpec } from '../../../load/types.js';

export interface BatchResult {
  requests: number;
  durationMs: number;
}

export class BatchIncomplete extends Error {}

export async function sendBatch(
  url: string,
  spec: RequestSpec,
  count: number,
  options: { connections: number; timeoutMs: number; signal?: AbortSignal },
): Promise<BatchResult> {
  const tls = url.startsWith('https:');
  const agent = tls
    ? new HttpsAgent({ keepAlive: true, maxSockets: options.connections, rejectUnauthorized: false })
    : new Agent({ keepAlive: true, maxSockets: options.connections });
  const send = tls ? httpsRequest : request;
  const target = new URL(spec.path, url);
  const body = spec.body ? Buffer.from(spec.body) : undefined;
  const started = performance.now();
  let sent = 0;
  let done = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = send(
        target,
        {
          method: spec.method,
          headers: { ...spec.headers, ...(body ? { 'content-length': body.length } : {}) },
          agent,
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            (res.statusCode ?? 0) >= 400
              ? reject(new BatchIncomplete(`answer ${res.statusCode}`))
              : resolve(),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const lane = async () => {
    while (sent < count) {
      sent++;
      await one();
      done++;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new BatchIncomplete(`${done} of ${count} requests answered within ${options.timeoutMs / 1000} s`),
        ),
      options.timeoutMs,
    );
  });
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(options.signal!.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([
      Promise.all(Array.from({ length: Math.min(options.connections, count) }, lane)),
      deadline,
      aborted,
    ]);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw error instanceof BatchIncomplete
      ? error
      : new BatchIncomplete(`${done} of ${count} requests answered: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    agent.destroy();
  }
  return { requests: done, durationMs: performance.now() - started };
}
