/**
 * nginx (Debian's nginx-light) as the app of a benchmark scenario, started like meshgate's own
 * proxies: in its own process group through src/system/processes.ts, so a stop or the exit
 * handler's `killAllNow` ends its workers with the master. (nginx.ts here kills only the master
 * when the bench is signalled, which leaves a worker behind unless the whole terminal group got
 * the signal; it also exits on the first signal, before a graceful abort could run.)
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnManaged, untilReadyOrExit } from '../../src/system/processes.js';
import { freePort, waitForHttp } from '../../src/system/readiness.js';
import { NGINX, type Nginx } from './nginx.js';

/** `workers`: nginx worker processes (1 leaves a core to the load generator on a 2-core runner). */
export function startNginxApp(workers = 1): Promise<Nginx> {
  return startNginx(workers, [], 'return 200 "ok\\n";', 'the nginx app');
}

/** nginx as a reverse proxy hop in front of `upstreamUrl`, with keep-alive upstream connections. */
export function startNginxProxy(upstreamUrl: string, workers = 1): Promise<Nginx> {
  const upstream = new URL(upstreamUrl).host;
  return startNginx(
    workers,
    [`  upstream app { server ${upstream}; keepalive 64; }`],
    'proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection "";',
    'the nginx proxy',
  );
}

async function startNginx(workers: number, http: string[], location: string, name: string): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'meshgate-nginx-app-'));
  mkdirSync(join(prefix, 'logs'));
  const port = await freePort();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
    (kind) => `  ${kind}_temp_path ${prefix}/${kind};`,
  );
  const config = [
    `worker_processes ${workers};`,
    `error_log ${prefix}/logs/error.log warn;`,
    `pid ${prefix}/nginx.pid;`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    '  keepalive_requests 1000000;',
    '  keepalive_timeout 120s;',
    ...temp,
    ...http,
    `  server { listen 127.0.0.1:${port}; location / { ${location} } }`,
    '}',
  ].join('\n');
  writeFileSync(join(prefix, 'nginx.conf'), `${config}\n`);
  const proc = spawnManaged(name, NGINX, [
    ...['-p', `${prefix}/`, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'logs/error.log')],
    ...['-g', 'daemon off;'],
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await proc.stop();
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await untilReadyOrExit(proc, waitForHttp(url, name, 10_000), name);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
