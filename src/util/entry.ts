/**
 * How meshgate starts its own code in another thread or process (load worker threads, the sample
 * server, the standalone load generator).
 *
 * Shipped code runs from ncc bundles laid out as dist/<entry>/index.js, and a bundle finds its
 * siblings next to itself. In source mode (tests, `tsx`), this file is src/util/entry.ts and the
 * entries are TypeScript files run through tsx's loader from the checkout's node_modules.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { NO_MEMORY_REDUCER } from './memory-reducer.js';

export type EntryName = 'cli' | 'main' | 'post' | 'loadgen' | 'load-worker' | 'sample-server';

/** Source file of each entry, relative to src/ (scripts/package.mjs bundles the same list). */
export const ENTRY_SOURCES: Record<EntryName, string> = {
  cli: 'cli/index.ts',
  main: 'action/main.ts',
  post: 'action/post.ts',
  loadgen: 'load/standalone.ts',
  'load-worker': 'load/worker.ts',
  'sample-server': 'sample-server/main.ts',
};

const here = fileURLToPath(import.meta.url);
export const SOURCE_MODE = here.endsWith('.ts');
/** src/ in source mode, dist/ in bundle mode. */
const codeRoot = resolve(dirname(here), '..');
const tsxRoot = join(codeRoot, '..', 'node_modules', 'tsx', 'dist');

function scriptOf(name: EntryName): string {
  const script = SOURCE_MODE ? join(codeRoot, ENTRY_SOURCES[name]) : join(codeRoot, name, 'index.js');
  if (!existsSync(script)) throw new Error(`meshgate is incompletely installed: ${script} is missing`);
  return script;
}

/** Node flags of processes that keep time (memory-reducer.ts). */
const TIMING_FLAGS: Partial<Record<EntryName, string[]>> = {
  'sample-server': [NO_MEMORY_REDUCER],
  loadgen: [NO_MEMORY_REDUCER],
};

/** Arguments for `spawn(process.execPath, [...nodeArgsFor(name), ...yourArgs])`. */
export function nodeArgsFor(name: EntryName): string[] {
  const script = scriptOf(name);
  const flags = TIMING_FLAGS[name] ?? [];
  return SOURCE_MODE
    ? [...flags, '--import', pathToFileURL(join(tsxRoot, 'loader.mjs')).href, script]
    : [...flags, script];
}

/** Start an entry as a worker thread. */
export function startWorker(name: EntryName, options: WorkerOptions = {}): Worker {
  const script = scriptOf(name);
  if (!SOURCE_MODE) return new Worker(script, options);
  // Worker threads do not accept --import; register tsx inside the worker, then load the entry.
  const api = pathToFileURL(join(tsxRoot, 'esm', 'api', 'index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(script).href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
