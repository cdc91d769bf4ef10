// A first real failure must explain itself: when a cluster step fails, the error names the step
// and a diagnostics bundle (the step, the commands before it, versions, pods, events, describe and
// logs of unwell pods, the mesh's own check, kind's logs), bounded in time and size. Failures are
// injected into the stand-ins at each step.
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnosticsOf } from '../../../src/platform/cluster/diagnostics.js';
import { measure } from '../../../src/pipeline.js';
import { memoryLogger } from '../../../src/util/log.js';
import { installStandIns, type StandIns } from '../../__stand-ins__/install.js';
import { clusterProfile, fakeDist, generatorTrial, meshSpec } from './fixtures.js';

let standIns: StandIns;
let out: string;
const distDir = fakeDist();
beforeEach(() => {
  standIns = installStandIns([generatorTrial([1000, 1100], '2026-01-01T00:00:00Z')]);
  out = mkdtempSync(join(tmpdir(), 'meshgate-diag-'));
});
afterEach(() => {
  standIns.restore();
  rmSync(out, { recursive: true, force: true });
});

async function failingRun(
  platform: 'kind' | 'kubernetes',
  mesh: string,
  fail: { tool: string; match: string },
  limits?: object,
): Promise<{ error: Error; dir: string; readme: string; files: string[] }> {
  const dir = join(out, 'diagnostics');
  const platformOptions = {
    [platform]: { generatorLeadMs: 0, distDir, diagnosticsDir: dir, diagnosticsLimits: limits },
  };
  standIns.set('STANDIN_FAIL', [
    { ...fail, exit: 1, stderr: `${fail.tool}: injected failure at "${fail.match}"` },
  ]);
  const profile = clusterProfile({ platform, mesh: [meshSpec(mesh as 'none')] });
  const error = (await measure(profile, {
    log: memoryLogger(),
    signal: new AbortController().signal,
    platform,
    platformOptions,
  }).then(
    () => {
      throw new Error('the run did not fail');
    },
    (e: unknown) => e,
  )) as Error;
  const list = (d: string): string[] =>
    existsSync(d)
      ? readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? list(join(d, e.name)).map((f) => `${e.name}/${f}`) : [e.name],
        )
      : [];
  return {
    error,
    dir,
    readme: existsSync(join(dir, 'README.txt')) ? readFileSync(join(dir, 'README.txt'), 'utf8') : '',
    files: list(dir),
  };
}

test.each([
  [
    'kind create',
    'none',
    { tool: 'kind', match: 'create cluster' },
    /^create kind cluster meshgate-[a-z0-9]+$/,
    'kind create cluster --name',
  ],
  [
    'the nodes',
    'none',
    { tool: 'kubectl', match: 'wait --for=condition=Ready nodes' },
    /^wait for the nodes$/,
    'kubectl --context kind-meshgate-',
  ],
  [
    'istioctl install',
    'istio',
    { tool: 'istioctl', match: 'install -y' },
    /^install istio$/,
    'istioctl install -y',
  ],
  [
    'linkerd check',
    'linkerd',
    { tool: 'linkerd', match: 'check --wait=5m' },
    /^install linkerd$/,
    'linkerd check --wait=5m',
  ],
  [
    'the workload rollout',
    'none',
    { tool: 'kubectl', match: 'rollout status deployment/sample-head' },
    /^deploy head\/none in mg-[a-z0-9]+-head-none$/,
    'rollout status deployment/sample-head',
  ],
  ['a trial', 'none', { tool: 'kubectl', match: 'logs load-' }, /^trial of head\/none$/, 'logs load-'],
])(
  'a failure at %s names the step and leaves a bundle',
  async (_, mesh, fail, step, command) => {
    standIns.set('STANDIN_UNWELL', [{ namespace: 'kube-system', name: 'coredns-674b8bbfcf-7xk2p' }]);
    const { error, dir, readme, files } = await failingRun('kind', mesh, fail);
    const diagnostics = diagnosticsOf(error);
    expect(diagnostics?.step).toMatch(step);
    expect(diagnostics?.bundle).toBe(dir);
    expect(error.message).toMatch(new RegExp(`^kind: step "${step.source.slice(1, -1)}" failed: `));
    expect(error.message).toContain(`injected failure at "${fail.match}"`);
    expect(error.message).toContain(
      `Diagnostics (the step, the commands before it, tool versions, pods, events, the mesh's check, kind export logs): ${dir}`,
    );
    expect(readme).toMatch(new RegExp(`^step: ${step.source.slice(1, -1)}$`, 'm'));
    expect(readme).toMatch(
      new RegExp(
        `^failed command: .*${command.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.*\\(exit code 1 after \\d+ ms\\)$`,
        'm',
      ),
    );
    expect(files).toEqual(expect.arrayContaining(['README.txt', 'versions.txt', 'kind-export-logs.txt']));
    expect(readFileSync(join(dir, 'versions.txt'), 'utf8')).toContain('kind v0.29.0');
    if (fail.match === 'create cluster') {
      // No cluster, so no kubectl: the current context may be another cluster altogether.
      expect(files).not.toContain('pods.txt');
      expect(standIns.lines().filter((l) => l.startsWith('kubectl'))).toEqual([]);
      return;
    }
    expect(files).toEqual(
      expect.arrayContaining(['pods.txt', 'events.txt', 'pods/kube-system_coredns-674b8bbfcf-7xk2p.txt']),
    );
    expect(readFileSync(join(dir, 'pods/kube-system_coredns-674b8bbfcf-7xk2p.txt'), 'utf8')).toMatch(
      /CrashLoopBackOff[\s\S]*\$ kubectl --context kind-meshgate-\S+ logs coredns-674b8bbfcf-7xk2p -n kube-system --all-containers --prefix --tail=300[\s\S]*--previous/,
    );
    if (mesh === 'istio')
      expect(readFileSync(join(dir, 'istioctl-analyze.txt'), 'utf8')).toContain(
        'istioctl analyze --all-namespaces',
      );
    if (mesh === 'linkerd') expect(files).toContain('linkerd-check.txt');
    // kind's own logs, once the cluster exists.
    if (fail.match !== 'create cluster')
      expect(files).toEqual(
        expect.arrayContaining([
          'kind-logs/kind-version.txt',
          expect.stringMatching(/^kind-logs\/meshgate-[a-z0-9]+-worker\/kubelet\.log$/),
        ]),
      );
    // Collected before cleanup deleted the cluster.
    const lines = standIns.lines();
    const exported = lines.findIndex((l) => l.startsWith('kind export logs'));
    if (fail.match !== 'create cluster')
      expect(exported).toBeLessThan(lines.findIndex((l) => l.startsWith('kind delete cluster')));
  },
  60_000,
);

test('on an existing cluster (kubernetes) only the run’s and the mesh’s namespaces are looked into', async () => {
  const { error, readme, dir } = await failingRun('kubernetes', 'istio', {
    tool: 'istioctl',
    match: 'install -y',
  });
  expect(error.message).toContain('kubernetes: step "install istio" failed');
  expect(readme).toContain('failed command: istioctl install -y');
  const pods = readFileSync(join(dir, 'pods.txt'), 'utf8');
  expect(pods).toContain('get pods -o wide -n istio-system');
  expect(pods).not.toContain(' -A');
  expect(readFileSync(join(dir, 'istioctl-analyze.txt'), 'utf8')).toContain(
    'istioctl analyze -n istio-system --context standin-context',
  );
  expect(standIns.lines().some((l) => l.startsWith('kind '))).toBe(false);
}, 60_000);

test('the bundle is bounded in time and size: a hanging command is cut, oversized logs left out, and the README says so', async () => {
  standIns.set('STANDIN_SLOW', [{ tool: 'istioctl', match: 'analyze', ms: 30_000 }]);
  standIns.set('STANDIN_KIND_LOG_BYTES', 300_000);
  const started = Date.now();
  const { readme, files } = await failingRun(
    'kind',
    'istio',
    { tool: 'kubectl', match: 'rollout status deployment/sample-head' },
    {
      commandMs: 2000,
      totalMs: 8000,
      bundleBytes: 400_000,
    },
  );
  expect(Date.now() - started).toBeLessThan(25_000); // not the 30 s the analyze hangs
  expect(readme).toMatch(/timed out: istioctl analyze --all-namespaces/);
  expect(readme).toMatch(
    /kind-logs\/meshgate-[a-z0-9]+-[a-z0-9-]+\/journal\.log: left out \(300000 bytes; the bundle is bounded at 400000\)/,
  );
  expect(files.filter((f) => f.endsWith('journal.log')).length).toBeLessThan(3);
}, 60_000);

test('a cancelled run leaves no bundle', async () => {
  const dir = join(out, 'diagnostics');
  standIns.set('STANDIN_SLOW', [{ tool: 'kind', match: 'create cluster', ms: 5000 }]);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('cancelled')), 1500);
  await expect(
    measure(clusterProfile({ mesh: [meshSpec('none')] }), {
      log: memoryLogger(),
      signal: controller.signal,
      platform: 'kind',
      platformOptions: { kind: { generatorLeadMs: 0, distDir, diagnosticsDir: dir } },
    }),
  ).rejects.toThrow('cancelled');
  expect(existsSync(dir)).toBe(false);
}, 60_000);
