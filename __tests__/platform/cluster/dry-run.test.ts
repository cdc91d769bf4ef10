// `meshgate run PROFILE --dry-run` prints the plan of a cluster run and runs none of it: every tool
// on PATH is a tripwire that records being called, and no tool may be downloaded.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runCli } from '../../helpers/cli.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshgate-dry-'));
  mkdirSync(join(dir, 'bin'));
  for (const tool of ['kind', 'kubectl', 'istioctl', 'linkerd', 'docker']) {
    const path = join(dir, 'bin', tool);
    writeFileSync(path, `#!/bin/sh\necho "$0 $*" >> "${join(dir, 'called')}"\nexit 1\n`);
    chmodSync(path, 0o755);
  }
  env = { PATH: `${join(dir, 'bin')}${delimiter}${process.env.PATH ?? ''}`, RUNNER_TOOL_CACHE: join(dir, 'cache') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each([
  ['profiles/kind-istio.yaml', 'istioctl install -y --set profile=minimal', 'istio-injection'],
  ['profiles/kind-linkerd.yaml', 'linkerd check --pre', 'linkerd.io/inject'],
])('%s --dry-run prints every command and manifest in order and runs none of them', async (profile, install, meshMark) => {
  const result = await runCli(['run', profile, '--dry-run'], { env, timeoutMs: 120_000 });
  expect(result.stderr).not.toMatch(/Error|error:/);
  expect(result.code).toBe(0);
  const commands = result.stdout.split('\n').filter((line) => line.startsWith('$ '));
  const first = (prefix: string) => commands.findIndex((line) => line.startsWith(`$ ${prefix}`));
  // In the order a run does them: create, wait for nodes, install the mesh, deploy, trials, delete.
  const order = [
    first('kind create cluster'),
    first('kubectl --context kind-meshgate-'),
    commands.findIndex((line) => line.includes(install)),
    commands.findIndex((line) => line.includes('apply --server-side')),
    commands.findIndex((line) => line.startsWith('$ kubectl apply --server-side')), // a trial's Job
    first('kind delete cluster'),
  ];
  expect(order.every((index) => index >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(result.stdout).toContain('kind: Job');
  expect(result.stdout).toContain(meshMark);
  expect(result.stdout).toMatch(/loadgen\.index\.js: <\d+ bytes, not shown>/);
  expect(existsSync(join(dir, 'called'))).toBe(false); // no tool ran
  expect(existsSync(join(dir, 'cache'))).toBe(false); // nothing was downloaded
});

test('--dry-run on platform local is a one-line usage error', async () => {
  const result = await runCli(['run', 'profiles/smoke.yaml', '--dry-run', '--platform', 'local'], { env });
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toContain('--dry-run plans the cluster platforms');
});
