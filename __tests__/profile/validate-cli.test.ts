import { describe, expect, test, beforeAll, afterAll } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runCli } from '../helpers/cli.js';

// Each broken profile must give exit 2, name the file and the field path, and show no stack trace.
const broken: [string, string, string][] = [
  ['bad YAML', 'name: x\nload: [rps: 1', 'invalid YAML'],
  ['unknown top-level key', 'name: x\nmeshes: [none]', '(top level): unknown key "meshes"'],
  ['unknown nested key', 'name: x\nload: {rate: 5}', 'load: unknown key "rate"'],
  ['wrong type', 'name: x\nload: {rps: fast}', 'load.rps: expected a number ≥ 0, got "fast"'],
  ['negative rate', 'name: x\nload: {rps: -5}', 'load.rps: expected a number ≥ 0, got -5'],
  ['duration without unit', 'name: x\nload: {duration: 15}', 'load.duration: expected a duration'],
  [
    'compound duration',
    'name: x\nload: {duration: 1m30}',
    'load.duration: expected a duration with a unit, like 250us, 500ms, 15s or 2m, got "1m30"',
  ],
  ['empty mesh list', 'name: x\nmesh: []', 'mesh: expected at least one mesh'],
  ['unknown mesh', 'name: x\nmesh: [none, consul]', 'mesh[1]: unknown mesh'],
  [
    'url and command',
    'name: x\nworkload: {builds: {base: {url: "http://127.0.0.1:1"}, head: {url: "http://127.0.0.1:2", command: [srv]}}}',
    'workload.builds.head: a build has exactly one of sample, command, url or image; found command and url',
  ],
  ['bad name', 'name: My Test', 'name: expected lowercase letters, digits and dashes'],
  [
    'fractional connections',
    'name: x\nload: {connections: 2.5}',
    'load.connections: expected a whole number ≥ 1, got 2.5',
  ],
  [
    'bad percentage',
    'name: x\ngate: {p99: {max_increase: ten}}',
    'gate.p99.max_increase: expected a percentage',
  ],
  [
    'head without base',
    'name: x\nworkload: {builds: {head: {sample: echo}}}',
    'workload.builds.base: missing',
  ],
  ['max_trials below trials', 'name: x\ntrials: 6\nmax_trials: 4', 'max_trials: must be ≥ trials (6)'],
  [
    'mode on a non-istio mesh',
    'name: x\nmesh: [{name: linkerd, mode: ambient}]',
    'mesh[0]: mode applies to istio only',
  ],
  ['missing name', 'load: {rps: 5}', 'name: missing'],
  ['not a mapping', '- a\n- b', 'expected a YAML mapping'],
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-profiles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('meshgate validate rejects broken profiles', () => {
  test.each(broken)('%s', async (label, yaml, expected) => {
    const file = join(dir, `${label.replace(/\W+/g, '-')}.yaml`);
    await writeFile(file, yaml);
    const run = await runCli(['validate', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain(expected);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.stdout).toBe('');
  });
});

describe('meshgate validate accepts good profiles', () => {
  test('the Meshery/SMP fixture becomes rps 10, 2 connections, 60 s, istio', async () => {
    const run = await runCli([
      'validate',
      '--json',
      '__tests__/__fixtures__/external/meshery/load-test.yaml',
    ]);
    expect(run.code).toBe(0);
    const profile = JSON.parse(run.stdout);
    expect(profile.load).toMatchObject({ rps: 10, connections: 2, durationS: 60 });
    expect(profile.mesh.map((m: { name: string }) => m.name)).toEqual(['istio']);
    expect(profile.workload.builds.head).toEqual({ kind: 'url', url: 'https://smp-spec.io' });
  });

  test.each(['profiles/smoke.yaml', 'profiles/pr-p99.yaml', 'profiles/mesh-overhead.yaml'])(
    '%s',
    async (file) => {
      // pr-p99.yaml starts ./base/bin/server and ./head/bin/server, which the user's workflow
      // builds before meshgate runs; validate warns while they are missing, so give it a folder with them.
      const cwd = await mkdtemp(join(tmpdir(), 'meshgate-validate-cwd-'));
      for (const build of ['base', 'head']) {
        await mkdir(join(cwd, build, 'bin'), { recursive: true });
        await writeFile(join(cwd, build, 'bin', 'server'), '#!/bin/sh\n', { mode: 0o755 });
      }
      const run = await runCli(['validate', resolve(file)], { cwd });
      await rm(cwd, { recursive: true, force: true });
      expect(run.stderr.split('\n').filter((line) => line && !line.startsWith('warning: '))).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('name:');
    },
  );

  test('a local proxy that is not installed: validate says what run would stop for', async () => {
    // PATH without envoy (only node's folder): run stops with this message, exit 3; validate
    // (still exit 0: a workflow may install Envoy before its run) warns with the same words.
    const env = { PATH: dirname(process.execPath) };
    const file = 'profiles/envoy-wasm.yaml';
    if (['/usr/local/sbin', '/usr/sbin', '/sbin'].some((dir) => existsSync(join(dir, 'envoy'))))
      throw new Error('this test needs a machine without envoy in the sbin folders');
    const run = await runCli(['validate', file], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'warning: mesh envoy: no envoy executable on PATH or in /usr/sbin; put an Envoy build on PATH',
    );
    expect(run.stderr).toContain('`meshgate run` here stops before measuring (exit 3)');
    // One warning per mesh, however many hops or variants it has.
    expect(run.stderr.match(/mesh envoy-route: no envoy/g)).toHaveLength(1);
  });

  test('a missing file is exit 2 naming the file', async () => {
    const run = await runCli(['validate', 'no/such/profile.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no/such/profile.yaml: cannot read the profile');
  });
});
