/**
 * Builds the shipped form of the load generator (dist/loadgen + dist/load-worker, as
 * scripts/package.mjs does) into a temporary directory, so the bench measures what runs in
 * generator pods without touching the repository's dist/. Transpile-only: fast, no type check.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Bundle {
  loadgen: string;
  remove(): void;
}

export function bundleLoadgen(): Bundle {
  const root = mkdtempSync(join(tmpdir(), 'meshgate-dist-'));
  const ncc = join('node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  try {
    for (const [name, source] of [
      ['loadgen', 'src/load/standalone.ts'],
      ['load-worker', 'src/load/worker.ts'],
    ])
      execFileSync(
        process.execPath,
        [ncc, 'build', source, '-o', join(root, name), '--target', 'es2022', '-q', '-t'],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    loadgen: join(root, 'loadgen', 'index.js'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
