// requires: nginx haproxy
/** Profiles with the data plane's own files: shapes, paths resolved against the profile, and errors that name the field. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile, parseProfileText } from '../../src/profile/load.js';
import { validateDataPlaneConfigs, variantsOf } from '../../src/platform/local/platform.js';
import { itWith } from '../helpers/system-tools.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-profile-'));
  await mkdir(join(dir, 'filters'));
  for (const name of ['base.conf', 'head.conf', 'main.conf'])
    await writeFile(join(dir, 'filters', name), '# fragment\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function load(yaml: string) {
  const file = join(dir, 'p.yaml');
  await writeFile(file, yaml);
  return loadProfile(file);
}

describe('data-plane builds in a profile', () => {
  it('resolves paths against the profile folder and names each build by its field', async () => {
    const profile = await load(
      'name: dp\nmesh: [none, { name: nginx, builds: { base: { include: filters/base.conf }, head: { include: ./filters/head.conf, global_include: filters/main.conf } } }]\n',
    );
    expect(profile.mesh[1].builds).toEqual({
      base: { include: join(dir, 'filters/base.conf'), field: 'mesh[1].builds.base' },
      head: {
        include: join(dir, 'filters/head.conf'),
        globalInclude: join(dir, 'filters/main.conf'),
        field: 'mesh[1].builds.head',
      },
    });
    const variants = variantsOf('head', profile.mesh).map(
      ([side, mesh]) => `${side}/${mesh.id} ${mesh.dataPlane?.field ?? '-'}`,
    );
    expect(variants).toEqual([
      'head/none -',
      'base/nginx mesh[1].builds.base',
      'head/nginx mesh[1].builds.head',
    ]);
  });

  it('a direct config and a label', async () => {
    const profile = await load(
      'name: dp\nmesh: [none, nginx, { name: nginx, label: nginx-custom, config: filters/base.conf }]\n',
    );
    expect(profile.mesh.map((m) => m.id)).toEqual(['none', 'nginx', 'nginx-custom']);
    expect(profile.mesh[2].dataPlane).toEqual({ config: join(dir, 'filters/base.conf'), field: 'mesh[2]' });
  });

  it('the gate of the data plane: dataplane thresholds and overhead ceilings in their units', () => {
    const profile = parseProfileText(
      'name: g\ngate:\n  dataplane: { cpu: { max_increase: 20%, min_delta: 2ms }, memory: { max_increase: 10%, min_delta: 512KiB } }\n  overhead: { p99: { max_increase: 50% }, cpu: { max: 40ms }, memory: { max: 1GiB } }\n',
      'p.yaml',
    );
    expect(profile.gate.dataPlane).toEqual({
      cpu: { maxIncrease: 0.2, minDelta: 2 },
      memory: { maxIncrease: 0.1, minDelta: 0.5 },
    });
    expect(profile.gate.overheadResources).toEqual({ cpu: { max: 40 }, memory: { max: 1024 } });
    expect(profile.gate.overhead.p99).toEqual({ maxIncrease: 0.5 });
  });

  it.each([
    [
      'a missing file',
      'mesh: [{ name: nginx, builds: { base: {}, head: { include: filters/nope.conf } } }]',
      /p\.yaml: mesh\[0\]\.builds\.head\.include: "filters\/nope\.conf" does not exist \(looked for .*filters\/nope\.conf, relative to the profile's folder\)/,
    ],
    [
      'a folder',
      'mesh: [{ name: haproxy, include: filters }]',
      /mesh\[0\]\.include: "filters" is not a file/,
    ],
    [
      'config with include',
      'mesh: [{ name: nginx, config: filters/base.conf, include: filters/head.conf }]',
      /mesh\[0\]: give either config .* or include\/global_include/,
    ],
    [
      'builds and direct files',
      'mesh: [{ name: nginx, include: filters/base.conf, builds: { base: {}, head: {} } }]',
      /mesh\[0\]: give the data plane's files either directly or in builds/,
    ],
    [
      'a cluster mesh',
      'platform: kind\nmesh: [{ name: istio, include: filters/base.conf }]',
      /mesh\[0\]: include applies to nginx, haproxy and envoy only/,
    ],
    [
      'with application builds',
      'workload: { builds: { base: { sample: echo }, head: { sample: echo } } }\nmesh: [{ name: nginx, builds: { base: {}, head: {} } }]',
      /mesh\[0\]\.builds: a profile compares either two application builds .* or two data planes/,
    ],
    [
      'an unknown key in a build',
      'mesh: [{ name: nginx, builds: { base: { confg: x }, head: {} } }]',
      /mesh\[0\]\.builds\.base: unknown key "confg"/,
    ],
    ['a label on none', 'mesh: [{ name: none, label: bare }]', /mesh\[0\]\.label: none keeps its name/],
    [
      'a bad label',
      'mesh: [{ name: nginx, label: "Nginx Custom" }]',
      /mesh\[0\]\.label: expected lowercase letters, digits and dashes/,
    ],
    [
      'a bad memory amount',
      'gate: { overhead: { memory: { max: 64MB } } }',
      /gate\.overhead\.memory\.max: expected an amount of memory like 64MiB/,
    ],
  ])('%s is exit 2 naming the field', async (_what, body, message) => {
    const error = await load(`name: bad\n${body}\n`).then(
      () => undefined,
      (e: unknown) => e as Error & { exitCode?: number },
    );
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toMatch(message);
  });
});

describe('the shipped data-plane profiles', () => {
  const passesChecks = (file: string, checked: number) => async () => {
    const profile = await loadProfile(file);
    expect(await validateDataPlaneConfigs(profile.mesh, dir)).toBe(checked);
  };
  const checks = (file: string) =>
    `${file} loads and its configs pass the proxies' own checks (nginx -t, haproxy -c; Envoy files by shape)`;
  itWith(['nginx-njs'], checks('profiles/dataplane-filters.yaml'))(
    checks('profiles/dataplane-filters.yaml'),
    passesChecks('profiles/dataplane-filters.yaml', 4),
    30_000,
  );
  it(checks('profiles/dataplane-gzip.yaml'), passesChecks('profiles/dataplane-gzip.yaml', 2), 30_000);
  it(checks('profiles/envoy-wasm.yaml'), passesChecks('profiles/envoy-wasm.yaml', 2), 30_000);
});
