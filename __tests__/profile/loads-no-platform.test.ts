// Parsing a profile reads only descriptors (src/platform/catalog/), never a platform
// implementation: the profile layer must not pull in kind, kubectl, the proxies or the meshes.
// A child node process (so: the integration group) parses every shipped profile with a resolve
// hook recording each module the loader resolves (type-only imports are erased, so this counts
// what actually runs).
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@jest/globals';

const root = process.cwd();
const here = join(root, '__tests__', 'profile', 'module-count');

test('parsing every shipped profile loads no platform implementation', async () => {
  const profiles = (await readdir(join(root, 'profiles')))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => join(root, 'profiles', name));
  expect(profiles.length).toBeGreaterThan(5);
  const dir = await mkdtemp(join(tmpdir(), 'meshgate-modules-'));
  try {
    const log = join(dir, 'modules.txt');
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        pathToFileURL(join(here, 'register.mjs')).href,
        join(here, 'parse-profiles.mts'),
        ...profiles,
      ],
      {
        cwd: root,
        env: { ...process.env, NODE_OPTIONS: '', MESHGATE_MODULE_LOG: log },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const loaded = [...new Set((await readFile(log, 'utf8')).split('\n'))]
      .filter((url) => url.startsWith('file:'))
      .map((url) => relative(root, new URL(url).pathname))
      .filter((path) => path.startsWith('src/'))
      .sort();
    console.log(
      `parsing ${profiles.length} profiles loaded ${loaded.length} modules of src/:\n  ${loaded.join('\n  ')}`,
    );
    expect(loaded).toContain('src/profile/load.ts'); // the hook saw the program itself
    expect(
      loaded.filter((path) => path.startsWith('src/platform/') && !path.startsWith('src/platform/catalog/')),
    ).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
