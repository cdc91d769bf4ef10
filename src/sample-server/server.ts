/**
 * The built-in sample server ("echo"): answers every request `delayMs` (+ uniform 0..jitterMs)
 * after it was read, with `responseBytes` bytes of body. With `stallMs`/`stallEveryMs` it stalls
 * for S ms every P ms (counted from start): an answer due inside a stall is held until the stall
 * ends, so at a steady rate a fraction S/P of requests is delayed by a uniform 0..S (METHOD.md's
 * stall arithmetic; how held answers leave is explained below). With `tailShare`/`tailMs` a fixed
 * share of answers (spread evenly: every 20th for 5%) leaves `tailMs` later, which moves the
 * percentiles above 1 − share without moving p50. With `concurrency` at most that many requests
 * are in service at once and the rest wait their turn in arrival order (service-slots.ts), so the
 * server's capacity is exactly concurrency / delay (1 and 2 ms: 500 requests per second) — a
 * known answer for the capacity search. HTTP/1.1 keep-alive on raw
 * sockets (http1-server.ts), or HTTP/2 cleartext (h2c) with `http2`, which also answers a unary
 * gRPC echo method (grpc.ts).
 */
import http2 from 'node:http2';
import type { AddressInfo, Server, Socket } from 'node:net';
import { isGrpcRequest } from '../load/grpc.js';
import { handleGrpc } from './grpc.js';
import { createHttp1Server } from './http1-server.js';
import { ServiceSlots } from './service-slots.js';
import { DeadlineQueue } from './timer.js';

export interface SampleServerOptions {
  host?: string;
  port?: number;
  delayMs?: number;
  jitterMs?: number;
  responseBytes?: number;
  stallMs?: number;
  stallEveryMs?: number;
  /** Share of answers (0..1) delayed by `tailMs` more. */
  tailShare?: number;
  tailMs?: number;
  /** Requests in service at once (1 serialises them); absent or 0: no limit. */
  concurrency?: number;
  http2?: boolean;
  /**
   * Called as each answer is written: `serviceMs` from the read of the request to the write (the
   * server's own view of its latency; time the request sat unread in the kernel is not in it),
   * `lateMs` how far past its due time the write came (the server's own pauses).
   */
  onAnswered?: (serviceMs: number, lateMs: number) => void;
}

export interface SampleServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** When an answer due at `dueMs` may leave, given stalls of `stallMs` every `everyMs` since `startMs`. */
export function releaseTimeMs(dueMs: number, startMs: number, stallMs: number, everyMs: number): number {
  if (stallMs <= 0 || everyMs <= 0) return dueMs;
  const phaseMs = (dueMs - startMs) % everyMs;
  return phaseMs >= 0 && phaseMs < stallMs ? dueMs + (stallMs - phaseMs) : dueMs;
}

export async function startSampleServer(options: SampleServerOptions = {}): Promise<SampleServer> {
  const host = options.host ?? '127.0.0.1';
  const delayMs = Math.max(0, options.delayMs ?? 0);
  const jitterMs = Math.max(0, options.jitterMs ?? 0);
  const stallMs = Math.max(0, options.stallMs ?? 0);
  const stallEveryMs = Math.max(0, options.stallEveryMs ?? 0);
  const body = Buffer.alloc(Math.max(0, options.responseBytes ?? 16), 'x');
  const queue = new DeadlineQueue();
  // Answers held by a stall all come due at its end, and writing ~200 of them takes the server
  // a few ms. They leave newest first, so each one's extra delay stays a small fraction of its
  // wait (oldest first would add the whole burst to the answers held least, just above D, which
  // is where p90 sits in the benchmark's stall test), and in short batches, between which the
  // server reads new requests and answers those due on time.
  const held = new DeadlineQueue({ newestFirst: true, batchMs: 0.1 });
  const startMs = performance.now();
  const tailShare = Math.min(1, Math.max(0, options.tailShare ?? 0));
  const tailMs = Math.max(0, options.tailMs ?? 0);
  const slots =
    options.concurrency && options.concurrency > 0 ? new ServiceSlots(options.concurrency) : undefined;
  const immediate =
    !slots && delayMs === 0 && jitterMs === 0 && stallMs === 0 && (tailShare === 0 || tailMs === 0);
  // Error diffusion: the tail share accumulates and every whole unit delays one answer.
  let tailCredit = 0;
  const tailExtraMs = (): number => {
    if (tailShare === 0) return 0;
    tailCredit += tailShare;
    if (tailCredit < 1) return 0;
    tailCredit -= 1;
    return tailMs;
  };

  /** Runs `reply` when the answer to a request read at `readMs` is due. */
  const schedule = (readMs: number, reply: () => void) => {
    if (immediate) {
      options.onAnswered?.(performance.now() - readMs, 0);
      return reply();
    }
    const serviceMs = delayMs + (jitterMs > 0 ? Math.random() * jitterMs : 0) + tailExtraMs();
    const dueMs = slots ? slots.finishMs(readMs, serviceMs) : readMs + serviceMs;
    const releaseMs = releaseTimeMs(dueMs, startMs, stallMs, stallEveryMs);
    const onAnswered = options.onAnswered;
    const run = onAnswered
      ? () => {
          const nowMs = performance.now();
          onAnswered(nowMs - readMs, nowMs - releaseMs);
          reply();
        }
      : reply;
    (releaseMs > dueMs ? held : queue).at(releaseMs, run);
  };

  const answer = (response: http2.Http2ServerResponse) => {
    if (response.destroyed) return;
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    response.end(body);
  };

  const handle = (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => {
    if (isGrpcRequest(request.headers)) return handleGrpc(request, response, schedule);
    const respond = () => schedule(performance.now(), () => answer(response));
    // Bodyless requests are answered from the moment their head was read.
    const bodyless = !request.headers['content-length'] && !request.headers['transfer-encoding'];
    if (bodyless) {
      request.resume();
      respond();
    } else {
      request.on('data', () => {}).on('end', respond);
    }
  };

  const server: Server | http2.Http2Server = options.http2
    ? http2.createServer({ settings: { maxConcurrentStreams: 1000 } }, handle)
    : createHttp1Server(body, 'text/plain', schedule);
  const sessions = new Set<http2.Http2Session>();
  const sockets = new Set<Socket>();
  if (options.http2) {
    (server as http2.Http2Server).on('session', (session) => {
      sessions.add(session);
      session.on('close', () => sessions.delete(session));
    });
  } else {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  try {
    // The helper threads run before the first request comes, not from its deadline on.
    if (!immediate) await queue.start();
    if (stallMs > 0 && stallEveryMs > 0) await held.start();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    queue.close();
    held.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        queue.close();
        held.close();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        for (const session of sessions) session.destroy();
      }),
  };
}
