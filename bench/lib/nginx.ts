/**
 * A private nginx (Debian's nginx-light) on a free loopback port: temporary prefix and config,
 * not daemonized, stopped by the caller (and by processes.ts on exit).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, stopProcess } from './processes.js';

export const NGINX = '/usr/sbin/nginx';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on ${port} within ${timeoutMs} ms`);
}

export interface Nginx {
  url: string;
  stop(): Promise<void>;
}

/** `workers`: nginx worker processes (1 leaves a core to the load generator on a 2-core runner). */
export async function startNginx(workers = 1): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'meshgate-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const port = await freePort();
  const config = `
worker_processes ${workers};
error_log ${prefix}/logs/error.log warn;
pid ${prefix}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / { return 200 "ok\\n"; }
  }
}
`;
  writeFileSync(join(prefix, 'nginx.conf'), config);
  const child = startProcess(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;']);
  try {
    await waitForPort(port, 10_000);
  } catch (error) {
    await stopProcess(child);
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await stopProcess(child);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
