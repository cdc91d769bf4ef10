/**
 * The meshgate CLI bundled once per test file with esbuild (tsx's own compiler, already installed),
 * so that tests which start the CLI dozens of times pay ~0.3 s per start instead of tsx's ~1.5 s.
 * It is the same source as dist/cli (which ncc builds); only the bundler differs. Started as
 * `node <dir>/cli/index.js`, its code runs in bundle mode (src/util/entry.ts) and finds the other
 * entries it starts (load workers, the sample server) next to it, as dist/ lays them out; pass
 * them in `entries` when the test runs load.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENTRY_SOURCES } from '../../src/util/entry.js';

export interface BundledCli {
  script: string;
  dispose(): Promise<void>;
}

export async function bundleCli(entries: Array<'load-worker' | 'sample-server' | 'loadgen'> = []): Promise<BundledCli> {
  const directory = await mkdtemp(join(tmpdir(), 'meshgate-cli-bundle-'));
  const esbuild = (await import(pathToFileURL(resolve('node_modules/esbuild/lib/main.js')).href)) as {
    build(options: Record<string, unknown>): Promise<unknown>;
  };
  const script = join(directory, 'cli', 'index.js');
  await esbuild.build({
    entryPoints: Object.fromEntries(
      (['cli', ...entries] as const).map((name) => [`${name}/index`, resolve('src', ENTRY_SOURCES[name])]),
    ),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: directory,
    logLevel: 'error',
    // The cluster platforms ship the loadgen bundle in a ConfigMap (at most 1 MiB), as dist/ does minified.
    minify: entries.includes('loadgen'),
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  await writeFile(join(directory, 'package.json'), '{ "type": "module" }\n');
  return { script, dispose: () => rm(directory, { recursive: true, force: true }) };
}

export interface BoundedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory in KB, when GNU time is installed. */
  maxRssKb?: number;
}

const GNU_TIME = '/usr/bin/time';

/** Run `node script args…` with a heap cap, measuring wall time and (with GNU time) peak memory. */
export function runBounded(
  script: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number; heapMb?: number; env?: Record<string, string> } = {},
): Promise<BoundedRun & { killed: boolean }> {
  const node = [`--max-old-space-size=${options.heapMb ?? 256}`, script, ...args];
  const timed = existsSync(GNU_TIME);
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(
      timed ? GNU_TIME : process.execPath,
      timed ? ['-f', '@@maxrss=%M', process.execPath, ...node] : node,
      {
        cwd: options.cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      // The whole group: under GNU time, killing only `time` would leave node running.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs ?? 30_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      const rss = /@@maxrss=(\d+)\n?$/.exec(stderr);
      if (rss) stderr = stderr.slice(0, rss.index);
      // GNU time reports a non-zero exit itself ("Command exited with non-zero status 2").
      stderr = stderr.replace(/Command exited with non-zero status \d+\n?$/, '');
      done({
        code,
        stdout,
        stderr,
        ms: Date.now() - started,
        maxRssKb: rss ? Number(rss[1]) : undefined,
        killed,
      });
    });
  });
}
