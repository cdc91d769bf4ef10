/** Shared by the local data plane tests: a tiny app to proxy to, requests through the chain, specs. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer as createH2Server } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeshSpec } from '../../../../src/profile/types.js';
import { memoryLogger } from '../../../../src/util/log.js';

export interface TestApp {
  url: string;
  close(): Promise<void>;
}

/** An app that answers with `x-app: meshgate-test` and the hop header and HTTP version it saw. */
export async function startApp(options: { http2?: boolean } = {}): Promise<TestApp> {
  const handler = (req: { headers: IncomingHttpHeaders; httpVersion: string }, res: { setHeader(k: string, v: string): void; end(body: string): void }) => {
    res.setHeader('x-app', 'meshgate-test');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ hops: req.headers['x-meshgate-hops'] ?? '', httpVersion: req.httpVersion }));
  };
  const server = options.http2 ? createH2Server(handler) : createServer({ keepAliveTimeout: 60_000 }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One GET without connection reuse; https with the given CA and optional client certificate. */
export function get(url: string, tls: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { agent: false, timeout: 5000, servername: 'localhost', ...tls, rejectUnauthorized: Boolean(tls.ca) }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export function meshSpec(overrides: Partial<MeshSpec> & Pick<MeshSpec, 'name'>): MeshSpec {
  return { id: overrides.name, mtls: false, tls: false, accessLog: false, hops: 1, upstreamProtocol: 'http1', concurrency: 1, ...overrides };
}

export async function tempWorkDir(): Promise<{ workDir: string; remove(): Promise<void> }> {
  const workDir = await mkdtemp(join(tmpdir(), 'meshgate-test-'));
  return { workDir, remove: () => rm(workDir, { recursive: true, force: true }) };
}

export const quietContext = (workDir: string) => ({ log: memoryLogger(), workDir });

/** True while /proc/<pid> exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
