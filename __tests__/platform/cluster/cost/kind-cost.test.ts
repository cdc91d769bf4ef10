/**
 * Profile `cost` on platform kind against the cluster stand-ins, on this machine whose perf cannot
 * count (no hardware counter): `cost.method perf` is exit 3 before any cluster is created;
 * `auto` runs as usual and results.json says why nothing was counted, in one line that the
 * verdict's row shows. (Counting itself: counter.test.ts, with a stand-in perf.)
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measureCost } from '../../../../src/cost-phase.js';
import type { MeshgateError } from '../../../../src/errors.js';
import { KindPlatform } from '../../../../src/platform/cluster/kind.js';
import type { CostSpec } from '../../../../src/profile/types.js';
import { makeResults } from '../../../__fixtures__/results.js';
import { runCli } from '../../../helpers/cli.js';
import { memoryLogger } from '../../../../src/util/log.js';
import { installStandIns, type StandIns } from '../../../__stand-ins__/install.js';
import { clusterProfile, fakeDist, generatorTrial, jobFor, meshSpec } from '../fixtures.js';

const noCounter =
  spawnSync('perf', ['--version']).status === 0 && !existsSync('/sys/bus/event_source/devices/cpu');
const cost = (method: CostSpec['method']): CostSpec => ({
  method,
  requests: 1000,
  batches: 3,
  warmupRequests: 100,
  connections: 2,
  workload: false,
});
let standIns: StandIns;
let workDir: string;
const distDir = fakeDist();

beforeEach(() => {
  standIns = installStandIns([generatorTrial([900, 1000, 1100], '2026-01-01T00:00:00.000Z')]);
  workDir = mkdtempSync(join(tmpdir(), 'meshgate-kind-cost-'));
});
afterEach(() => {
  standIns.restore();
  rmSync(workDir, { recursive: true, force: true });
});

test('cost.method perf where perf cannot count: exit 3 before kind creates anything', async () => {
  if (!noCounter) return;
  const platform = new KindPlatform({ generatorLeadMs: 0, distDir }, { log: memoryLogger(), workDir });
  const profile = { ...clusterProfile({ mesh: [meshSpec('istio')] }), cost: cost('perf') };
  const error = await platform.prepare(profile).catch((e: unknown) => e);
  expect((error as MeshgateError).exitCode).toBe(3);
  expect((error as Error).message).toMatch(
    /cost\.method perf: perf cannot count instructions:u on this runner/,
  );
  expect(standIns.calls().filter((c) => c.tool === 'kind' && c.args[0] === 'create')).toEqual([]);
  await platform.cleanup();
}, 120_000);

test('cost.method auto where perf cannot count: the run goes on; results say why, in one line', async () => {
  if (!noCounter) return;
  const log = memoryLogger();
  const platform = new KindPlatform({ generatorLeadMs: 0, distDir }, { log, workDir });
  const profile = { ...clusterProfile({ mesh: [meshSpec('istio')] }), cost: cost('auto') };
  try {
    const targets = await platform.prepare(profile);
    const results = makeResults({ variants: { 'head/istio': { p99Ms: [2, 2] } } });
    const out = await measureCost(profile, platform, targets, results, {
      log,
      signal: new AbortController().signal,
    });
    expect(out.variants.every((v) => v.cost === undefined)).toBe(true);
    expect(out.costUnavailable).toMatch(
      /^perf cannot count instructions:u on this runner \(.*<not supported>.*\); only a runner with a hardware counter \(GitHub's arm64 runners\) counts the cluster's proxies$/,
    );
    expect(log.lines.join('\n')).toMatch(/cost: not counted: perf cannot count/);
  } finally {
    await platform.cleanup();
  }
}, 180_000);

test("a runner whose perf counts (stand-in vPMU) but whose kind pods are not on this host: each trial's window says why, and so does the row", async () => {
  // The stand-in cluster's pods have no cgroup under this machine's /sys/fs/cgroup (and its
  // container ids are shorter than containerd's 64 hex digits, which the lookup refuses first):
  // each window is refused with the reason, as for a kind whose Docker runs elsewhere (a VM).
  const bin = join(workDir, 'perf-bin');
  mkdirSync(bin);
  symlinkSync(resolve('__tests__/__stand-ins__/perf.mjs'), join(bin, 'perf'));
  const saved = { PATH: process.env.PATH, VPMU: process.env.STANDIN_PERF_VPMU };
  process.env.PATH = `${bin}:${process.env.PATH}`;
  process.env.STANDIN_PERF_VPMU = '1';
  const log = memoryLogger();
  const platform = new KindPlatform({ generatorLeadMs: 0, distDir }, { log, workDir });
  const profile = { ...clusterProfile({ mesh: [meshSpec('istio')] }), cost: cost('auto') };
  try {
    const targets = await platform.prepare(profile);
    const sampler = platform.sampleResources(targets[0])!;
    const trial = await platform.runTrial(targets[0], jobFor(profile), new AbortController().signal);
    await sampler.stop(trial.requests);
    expect(log.lines.join('\n')).toMatch(
      /cost: head\/istio: this trial's window is not counted \(.*(has no cgroup under \/sys\/fs\/cgroup: its node is not this machine|is not containerd's)/,
    );
    const results = makeResults({ variants: { 'head/istio': { p99Ms: [2, 2] } } });
    const out = await measureCost(profile, platform, targets, results, {
      log,
      signal: new AbortController().signal,
    });
    expect(out.variants[0].cost).toBeUndefined();
    expect(out.costUnavailable).toMatch(
      /^(no trial window could be counted \(last: .*is not containerd's|.*its node is not this machine)/,
    );
  } finally {
    await platform.cleanup();
    process.env.PATH = saved.PATH;
    if (saved.VPMU === undefined) delete process.env.STANDIN_PERF_VPMU;
    else process.env.STANDIN_PERF_VPMU = saved.VPMU;
  }
}, 180_000);

test('a dry run plans the cluster only: no perf probe, so cost.method perf does not fail it', async () => {
  const bin = join(workDir, 'dry-bin');
  mkdirSync(bin);
  for (const tool of ['kind', 'kubectl', 'istioctl', 'linkerd', 'docker', 'perf']) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "$0 $*" >> "${join(workDir, 'called')}"\nexit 1\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  const profile = join(workDir, 'kind-istio-cost.yaml');
  writeFileSync(
    profile,
    readFileSync('profiles/kind-istio.yaml', 'utf8').replace(/^trials:/m, 'cost: { method: perf }\ntrials:'),
  );
  const result = await runCli(['run', profile, '--dry-run'], {
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, RUNNER_TOOL_CACHE: join(workDir, 'cache') },
    timeoutMs: 120_000,
  });
  expect(result.stderr).not.toMatch(/Error|error:/);
  expect(result.code).toBe(0);
  expect(result.stdout).not.toMatch(/\$ perf/);
  expect(existsSync(join(workDir, 'called'))).toBe(false);
}, 180_000);
