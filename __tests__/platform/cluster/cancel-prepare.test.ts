// Cancelling a run while the cluster is being prepared stops the tools prepare() started, and
// cleanup waits for them: a slow `kind create cluster` or `istioctl install` (stand-ins that take
// their time and die on SIGTERM, as the real Go binaries do) never completes after cleanup.
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measure } from '../../../src/pipeline.js';
import { memoryLogger } from '../../../src/util/log.js';
import { installStandIns, type StandIns } from '../../__stand-ins__/install.js';
import { clusterProfile, fakeDist, generatorTrial, meshSpec } from './fixtures.js';

const SLOW_MS = 6000;
let standIns: StandIns;
const distDir = fakeDist();
beforeEach(() => {
  standIns = installStandIns([generatorTrial([1000], '2026-01-01T00:00:00Z')]);
});
afterEach(() => {
  standIns.restore();
});

const state = (name: string) => join(standIns.dir, 'state', name);
const slow = () =>
  existsSync(state('slow.jsonl'))
    ? readFileSync(state('slow.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { pid: number; started?: number; finished?: number })
    : [];
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function cancelDuring(
  platform: 'kind' | 'kubernetes',
  mesh: ReturnType<typeof meshSpec>[],
): Promise<{ pid: number; ended: number }> {
  const controller = new AbortController();
  const started = Date.now();
  const run = measure(clusterProfile({ platform, mesh }), {
    log: memoryLogger(),
    signal: controller.signal,
    platform,
    platformOptions: { kind: { generatorLeadMs: 0, distDir }, kubernetes: { generatorLeadMs: 0, distDir } },
  });
  // Cancel once the slow tool runs (well inside its SLOW_MS).
  while (slow().length === 0 && Date.now() - started < 20_000) await sleep(50);
  const [{ pid }] = slow();
  controller.abort(new Error('cancelled'));
  await expect(run).rejects.toThrow('cancelled');
  return { pid, ended: Date.now() };
}

test('cancelling during a slow `kind create cluster` stops it, and the cluster is deleted after it ended', async () => {
  standIns.set('STANDIN_SLOW', [{ tool: 'kind', match: 'create cluster', ms: SLOW_MS }]);
  const { pid } = await cancelDuring('kind', [meshSpec('none')]);
  // By the time measure() returns (cleanup done), kind create is gone ...
  expect(alive(pid)).toBe(false);
  // ... and it never finishes afterwards, leaving a cluster behind.
  await sleep(SLOW_MS + 500);
  expect(slow().some((entry) => entry.finished)).toBe(false);
  expect(existsSync(state('cluster.json'))).toBe(false);
  const lines = standIns.lines();
  expect(lines.findIndex((l) => l.startsWith('kind delete cluster'))).toBeGreaterThan(
    lines.findIndex((l) => l.startsWith('kind create cluster')),
  );
  // Nothing after the cancel started new work: no mesh install, no workload.
  expect(lines.some((l) => l.includes('apply'))).toBe(false);
}, 40_000);

test('cancelling during a slow `istioctl install` on an existing cluster stops it before the uninstall runs', async () => {
  standIns.set('STANDIN_SLOW', [{ tool: 'istioctl', match: 'install -y', ms: SLOW_MS }]);
  const { pid } = await cancelDuring('kubernetes', [meshSpec('istio')]);
  expect(alive(pid)).toBe(false);
  await sleep(SLOW_MS + 500);
  expect(slow().some((entry) => entry.finished)).toBe(false);
  // Istio is not left on the user's cluster: the install never completed after the uninstall.
  expect(existsSync(state('istio-version'))).toBe(false);
  expect(standIns.lines().some((l) => l.startsWith('istioctl uninstall'))).toBe(true);
}, 40_000);
