// The doors and the pipeline talk to the platforms only through platform/registry.ts and
// platform/types.ts: the options come from one mapping of the doors' settings and are passed to
// measure() explicitly (no global), and each capability is declared by the platform that has it.
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clusterFlags } from '../../src/cli/commands/run.js';
import { parseSettings } from '../../src/action/inputs.js';
import { parseProfile } from '../../src/profile/load.js';
import {
  checkProfileFor,
  cleanupAfterRun,
  createPlatform,
  planRun,
  platformOptions,
  platformsWithPostCleanup,
  toolsNeeded,
} from '../../src/platform/registry.js';
import { memoryLogger } from '../../src/util/log.js';
import { clusterProfile, meshSpec } from './cluster/fixtures.js';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });

test('the doors, the pipeline and the cost phase import from platform/ only its registry and types', () => {
  const doors = [...files('src/cli'), ...files('src/action'), 'src/pipeline.ts', 'src/cost-phase.ts'];
  const reaching = doors.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/from '([^']*\/platform\/[^']+)'/g)]
      .map((m) => m[1])
      .filter((spec) => !/\/platform\/(registry|types)\.js$/.test(spec))
      .map((spec) => `${file} -> ${spec}`),
  );
  expect(reaching).toEqual([]);
});

describe('options from the doors', () => {
  const inputs = {
    'kind-cluster': 'mine',
    'kubernetes-context': 'lab',
    'tool-versions': 'kind=v0.29.0',
    'workload-node-selector': 'pool=app',
    'load-node-selector': 'pool=load',
    'generator-lead': '30s',
  };

  test('the CLI flags and the action inputs of the same names map to the same platform options', () => {
    const fromAction = platformOptions(
      parseSettings(
        (name) => ({ ...inputs, profile: 'p.yaml', 'keep-cluster': 'true', 'github-token': 't' })[name] ?? '',
        {},
      ).cluster,
    );
    const fromCli = platformOptions(clusterFlags({ ...inputs, 'keep-cluster': true }));
    expect(fromCli).toEqual(fromAction);
    expect(fromCli.kind).toEqual({
      clusterName: 'mine',
      keepCluster: true,
      toolVersions: { kind: 'v0.29.0' },
      generatorLeadMs: 30_000,
    });
    expect(fromCli.kubernetes).toMatchObject({ context: 'lab', loadNodeSelector: { pool: 'load' } });
  });

  test('what only a door knows is added where it is set, and each platform saves its own state', () => {
    const saved: unknown[] = [];
    const options = platformOptions(clusterFlags({}), {
      preferPathTools: false,
      saveState: (platform, state) => saved.push([platform, state]),
    });
    expect(options.kind?.preferPathTools).toBe(false);
    expect('githubToken' in options.kind!).toBe(false); // the platform's own default stays
    options.kubernetes?.onState?.({ context: 'c' } as never);
    expect(saved).toEqual([['kubernetes', { context: 'c' }]]);
    // The CLI adds nothing: no key it did not set.
    expect(Object.keys(platformOptions(clusterFlags({})).kind!).sort()).toEqual(
      ['clusterName', 'generatorLeadMs', 'keepCluster', 'toolVersions'].sort(),
    );
  });

  test('options reach the platform created for them, and no other', () => {
    const ctx = { log: memoryLogger(), workDir: '/nonexistent' };
    const kind = createPlatform('kind', ctx, { kind: { clusterName: 'given' } }) as unknown as {
      options: { clusterName?: string };
    };
    expect(kind.options.clusterName).toBe('given');
    const plain = createPlatform('kind', ctx) as unknown as { options: { clusterName?: string } };
    expect(plain.options.clusterName).toBeUndefined();
  });
});

describe('capabilities', () => {
  test('a local proxy config is refused by the cluster platforms before anything starts, not by local', () => {
    const profile = clusterProfile({
      mesh: [
        { ...meshSpec('none'), name: 'nginx', id: 'nginx', dataPlane: { config: 'nginx.conf' } } as never,
      ],
    });
    expect(() => checkProfileFor('kind', profile)).toThrow(
      'mesh[0] (nginx) carries its own proxy config, which runs on platform local only, not kind',
    );
    expect(() => checkProfileFor('local', profile)).not.toThrow();
  });

  test('--dry-run on a platform without a plan says why', async () => {
    await expect(
      planRun('local', clusterProfile({ platform: 'local' }), { log: memoryLogger(), write: () => {} }),
    ).rejects.toThrow(
      '--dry-run plans the cluster platforms (kind, kubernetes); platform local only starts processes on this machine',
    );
  });

  test('the post step cleans up the platforms that leave something behind; malformed state is ignored', async () => {
    expect(platformsWithPostCleanup()).toEqual(['kind', 'kubernetes']);
    await expect(cleanupAfterRun('kubernetes', { not: 'a state' }, memoryLogger())).resolves.toBeUndefined();
    await expect(cleanupAfterRun('kind', null, memoryLogger())).resolves.toBeUndefined();
    await expect(cleanupAfterRun('local', {}, memoryLogger())).resolves.toBeUndefined();
  });

  test('Valgrind is a tool of platform local, needed when cost counts with callgrind', () => {
    const profile = (cost?: object) =>
      parseProfile({ name: 'x', mesh: ['nginx'], ...(cost ? { cost } : {}) }, 'p.yaml', {});
    expect(toolsNeeded('local', profile({})).map((tool) => tool.name)).toEqual(['Valgrind']);
    expect(toolsNeeded('local', profile({ method: 'perf' }))).toEqual([]);
    expect(toolsNeeded('local', profile())).toEqual([]);
    expect(toolsNeeded('kind', profile({}))).toEqual([]);
  });
});
