/**
 * The action installs Valgrind when a cost profile needs it and it is missing, and reports the
 * seconds taken; a failed install is exit 3 with what to do. The installer here is a stand-in that
 * keeps apt-get's one rule the step depends on (a package is there after a successful install);
 * only a real runner runs apt-get itself.
 */
import { describe, expect, it } from '@jest/globals';
import { MeshgateError } from '../../src/errors.js';
import { ensureValgrind, type Installer } from '../../src/action/valgrind-setup.js';
import { parseProfile } from '../../src/profile/load.js';
import { memoryLogger } from '../../src/util/log.js';

const profile = (cost: string) =>
  parseProfile({ name: 'x', mesh: ['nginx'], ...(cost ? { cost: JSON.parse(cost) } : {}) }, 'p.yaml', {});

function apt(options: { failFirst?: boolean; failAlways?: boolean } = {}) {
  const calls: string[][] = [];
  let installed = false;
  const install: Installer = async (argv) => {
    calls.push(argv);
    const fail = options.failAlways || (options.failFirst && calls.length === 1);
    if (argv.includes('install') && !fail) installed = true;
    return {
      command: argv.join(' '),
      exitCode: fail ? 100 : 0,
      stdout: '',
      stderr: fail ? 'E: Unable to locate package valgrind' : '',
      timedOut: false,
    };
  };
  return { calls, install, version: async () => (installed ? 'valgrind-3.22.0' : undefined) };
}

describe('ensureValgrind', () => {
  it('installs it when a callgrind profile needs it, logging the seconds', async () => {
    const log = memoryLogger();
    const fake = apt();
    const seconds = await ensureValgrind(profile('{}'), 'local', log, fake.install, fake.version);
    expect(fake.calls).toEqual([['apt-get', 'install', '-y', '--no-install-recommends', 'valgrind']]);
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(log.lines.join('\n')).toMatch(/cost: installed valgrind-3\.22\.0 in [\d.]+ s/);
  });

  it('updates the package lists once when the first install fails', async () => {
    const fake = apt({ failFirst: true });
    await ensureValgrind(profile('{}'), 'local', memoryLogger(), fake.install, fake.version);
    expect(fake.calls.map((argv) => argv[1])).toEqual(['install', 'update', 'install']);
  });

  it('a failed install is exit 3 naming the field and what to do', async () => {
    const fake = apt({ failAlways: true });
    const error = await ensureValgrind(
      profile('{}'),
      'local',
      memoryLogger(),
      fake.install,
      fake.version,
    ).catch((e: unknown) => e);
    expect((error as MeshgateError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(
      /^cost\.method: installing Valgrind failed after [\d.]+ s \(E: Unable to locate package valgrind\); install Valgrind/,
    );
  });

  it('does nothing without a cost section, with method perf, or on a cluster platform', async () => {
    const fake = apt();
    expect(await ensureValgrind(profile(''), 'local', memoryLogger(), fake.install, fake.version)).toBe(0);
    expect(
      await ensureValgrind(profile('{"method":"perf"}'), 'local', memoryLogger(), fake.install, fake.version),
    ).toBe(0);
    expect(await ensureValgrind(profile('{}'), 'kind', memoryLogger(), fake.install, fake.version)).toBe(0);
    expect(fake.calls).toEqual([]);
  });
});
