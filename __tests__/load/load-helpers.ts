/** Loopback targets and job builders for the load engine's tests. Every server is closed by its test. */
import net from 'node:net';
import type { LoadJob } from '../../src/load/types.js';
import { ShareRunner } from '../../src/load/runner.js';
import type { WorkerResult } from '../../src/load/recorder.js';

export function job(url: string, overrides: Partial<LoadJob> = {}): LoadJob {
  return {
    url,
    rps: 200,
    connections: 4,
    durationS: 0.5,
    warmupS: 0,
    threads: 1,
    protocol: 'http1',
    request: { method: 'GET', path: '/', headers: {}, body: '' },
    timeoutMs: 2000,
    ...overrides,
  };
}

/** Run one worker's share in this thread (no worker startup: fast tests of the runner). */
export async function runInline(loadJob: LoadJob): Promise<WorkerResult> {
  const runner = new ShareRunner({ job: loadJob, workerIndex: 0, workerCount: 1 });
  await runner.connect();
  return runner.run(performance.now() + 5);
}

export interface RawServer {
  url: string;
  close(): Promise<void>;
}

/** A TCP server whose connections are handled by `onConnection`. */
export async function rawServer(onConnection: (socket: net.Socket) => void): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening (connections are refused). */
export async function refusedUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Answers every request (one per read) with this status. */
export function answerWith(status: number, extraHeaders = ''): (socket: net.Socket) => void {
  const response = Buffer.from(`HTTP/1.1 ${status} X\r\nContent-Length: 2\r\n${extraHeaders}\r\nok`);
  return (socket) => socket.on('data', () => socket.write(response));
}
