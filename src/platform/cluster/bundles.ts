/**
 * meshgate's own bundles that pods need (dist/loadgen, dist/load-worker, dist/sample-server),
 * read from the dist/ folder next to the running code so that they can travel in a ConfigMap.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SetupError } from '../../errors.js';
import { SOURCE_MODE, type EntryName } from '../../util/entry.js';
import type { BundleFile } from './workload/objects.js';

/** Entries the in-cluster pods run; the load generator starts load-worker threads next to itself. */
export const CLUSTER_ENTRIES: EntryName[] = ['loadgen', 'load-worker', 'sample-server'];

/** dist/ of this installation: ../../../dist from src/platform/cluster in source mode, the bundle's parent otherwise. */
export function defaultDistDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return SOURCE_MODE ? resolve(here, '..', '..', '..', 'dist') : resolve(here, '..');
}

export function readBundleFiles(
  distDir = defaultDistDir(),
  entries: readonly EntryName[] = CLUSTER_ENTRIES,
): BundleFile[] {
  const files: BundleFile[] = [{ path: 'package.json', content: '{"type":"module"}\n' }];
  for (const entry of entries) {
    const path = join(distDir, entry, 'index.js');
    if (!existsSync(path))
      throw new SetupError(
        `${path} is missing: the cluster platforms ship meshgate's bundles to pods; run \`npm run package\` first`,
      );
    files.push({ path: `${entry}/index.js`, content: readFileSync(path, 'utf8') });
  }
  return files;
}
