import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { SetupError } from '../../../src/errors.js';
import { KubernetesPlatform } from '../../../src/platform/cluster/kubernetes.js';
import { memoryLogger } from '../../../src/util/log.js';
import { validateObjects } from '../../../src/platform/cluster/workload/validate.js';
import { installStandIns, type StandIns } from '../../__stand-ins__/install.js';
import { clusterProfile, fakeDist, generatorTrial, jobFor, meshSpec } from './fixtures.js';

let standIns: StandIns;
const distDir = fakeDist();
const ctx = () => ({ log: memoryLogger(), workDir: standIns.dir });

beforeEach(() => {
  standIns = installStandIns([
    generatorTrial([1000, 2000], '2026-01-01T00:00:00Z'),
    generatorTrial([1500], '2026-01-01T00:00:00Z'),
  ]);
});
afterEach(() => standIns.restore());

const applied = () =>
  standIns
    .calls()
    .filter((c) => c.tool === 'kubectl' && c.args.includes('apply'))
    .flatMap((c) => parseAllDocuments(c.stdin).map((d) => d.toJS()));

test('uses the current context, installs Linkerd with its checks, enforces mTLS per namespace, and removes its namespaces and Linkerd', async () => {
  const log = memoryLogger();
  const platform = new KubernetesPlatform(
    { generatorLeadMs: 0, distDir, loadNodeSelector: { pool: 'load' } },
    { log, workDir: standIns.dir },
  );
  const profile = clusterProfile({
    platform: 'kubernetes',
    mesh: [meshSpec('none'), meshSpec('linkerd', { mtls: true, concurrency: 2 })],
    generators: 2,
  });
  const targets = await platform.prepare(profile);
  const namespaces = targets.map((t) => new URL(t.url).hostname.split('.')[1]);
  expect(namespaces[0]).toMatch(/^mg-[a-z0-9]{8}-head-none$/);
  expect(namespaces[1]).toBe(namespaces[0].replace(/none$/, 'linkerd'));

  const objects = applied().filter(
    (o) => o.apiVersion !== 'apiextensions.k8s.io/v1' && o.metadata.name !== 'linkerd',
  );
  expect(validateObjects(objects)).toEqual([]);
  const linkerdNs = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === namespaces[1]);
  expect(linkerdNs.metadata.annotations).toEqual({
    'linkerd.io/inject': 'enabled',
    'config.linkerd.io/default-inbound-policy': 'all-authenticated',
    'config.linkerd.io/proxy-cpu-limit': '2',
  });

  // The sampler is started before the trial (as the experiment does) and scrapes at the edges of
  // the window the trial's Job announces; edges not reached when it stops are scraped then.
  const sampler = platform.sampleResources(targets[1])!;
  const trial = await platform.runTrial(targets[1], jobFor(profile), new AbortController().signal);
  expect(trial.requests).toBe(3);
  const job = applied().find((o) => o.kind === 'Job');
  expect(job.metadata.namespace).toBe(namespaces[1]);
  expect(job.spec.template.spec.nodeSelector).toEqual({ pool: 'load' });
  expect(job.spec.template.metadata.annotations).toEqual({
    'config.beta.linkerd.io/proxy-enable-native-sidecar': 'true', // what edge-25.10.2 reads
  });

  // The kubelet serves cAdvisor's cache (stand-in: housekeeping 10 s, then 10–15 s apart), so
  // neither sample is near the trial's measured window: the trial's CPU is not used, and says why.
  const use = await sampler.stop(3000);
  expect(use).toBeUndefined();
  expect(log.lines.join('\n')).toMatch(
    /linkerd-proxy .* CPU and memory of this trial not used \(nor gated\): the kubelet serves cAdvisor's cache \(housekeeping every 10–15 s\) and its samples were taken -?\d+\.\d s before the window's start/,
  );
  expect(await platform.describe()).toMatchObject({
    platform: 'kubernetes',
    meshVersions: { linkerd: 'edge-25.10.2' },
  });

  await platform.cleanup();
  const lines = standIns.lines();
  const sequence = [
    'kubectl config current-context',
    'kubectl cluster-info',
    'linkerd check --pre --context standin-context',
    'linkerd install --crds --set installGatewayAPI=true --context standin-context',
    'kubectl apply --server-side --field-manager=meshgate --force-conflicts -f -',
    'linkerd install --context standin-context',
    'linkerd check --wait=5m --context standin-context',
    `kubectl delete namespace ${namespaces[0]} --ignore-not-found --wait=false`,
    `kubectl delete namespace ${namespaces[1]} --ignore-not-found --wait=false`,
    'linkerd uninstall --context standin-context',
    'kubectl delete --ignore-not-found --wait=false -f -',
  ].map((prefix) => lines.findIndex((line) => line.startsWith(prefix)));
  expect(sequence.every((i) => i >= 0)).toBe(true);
  expect([...sequence].sort((a, b) => a - b)).toEqual(sequence);
  const contextCalls = standIns
    .calls()
    .filter((c) => c.tool === 'kubectl' && !c.args.includes('current-context'));
  expect(contextCalls.every((c) => c.args.slice(0, 2).join(' ') === '--context standin-context')).toBe(true);
});

test('an existing Linkerd is reused and left installed', async () => {
  standIns.set('STANDIN_EXISTING', ['deployment/linkerd-destination']);
  const platform = new KubernetesPlatform({ context: 'prod-like', generatorLeadMs: 0, distDir }, ctx());
  await platform.prepare(clusterProfile({ platform: 'kubernetes', mesh: [meshSpec('linkerd')] }));
  await platform.cleanup();
  const lines = standIns.lines();
  expect(lines.some((l) => l.startsWith('linkerd install') || l.startsWith('linkerd uninstall'))).toBe(false);
  expect(lines.some((l) => l.startsWith('kubectl config current-context'))).toBe(false);
  const job = applied().find((o) => o.kind === 'Namespace');
  expect(job.metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
});

test('a failed `linkerd check` is exit 3 with its output, and cleanup still removes what was created', async () => {
  standIns.set('STANDIN_FAIL', [
    {
      tool: 'linkerd',
      match: 'check --wait',
      exit: 1,
      stderr:
        '× control plane pods are ready\n    pod/linkerd-destination-5c9b container destination is in CrashLoopBackOff',
    },
  ]);
  const platform = new KubernetesPlatform({ generatorLeadMs: 0, distDir }, ctx());
  const failure = await platform
    .prepare(clusterProfile({ platform: 'kubernetes', mesh: [meshSpec('linkerd')] }))
    .catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(SetupError);
  expect((failure as Error).message).toMatch(
    /`linkerd check --wait=5m --context standin-context` failed \(exit code 1\)/,
  );
  expect((failure as Error).message).toContain('CrashLoopBackOff');
  expect((failure as Error).message).toContain('Check: the linkerd namespace');
  await platform.cleanup();
  expect(standIns.lines()).toContain('linkerd uninstall --context standin-context');
});

test('a generator Job that fails is exit 3 with the pods listed, and the Job is deleted', async () => {
  standIns.set('STANDIN_FAIL', [
    { tool: 'kubectl', match: 'wait --for=condition=complete job/', exit: 1, stderr: 'error: timed out' },
    { tool: 'kubectl', match: 'wait --for=condition=failed job/', exit: 0, stderr: '' },
  ]);
  const platform = new KubernetesPlatform({ generatorLeadMs: 0, distDir }, ctx());
  const profile = clusterProfile({ platform: 'kubernetes', generators: 2 });
  const [target] = await platform.prepare(profile);
  const failure = await platform
    .runTrial(target, jobFor(profile), new AbortController().signal)
    .catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(SetupError);
  expect((failure as Error).message).toMatch(
    /load generator Job load-\w+-\d+ in mg-\w+-head-none failed:\nload-\w+-\d+-0-x0z/,
  );
  expect((failure as Error).message).toContain('Check: `kubectl describe pod`');
  expect(standIns.lines()).toContainEqual(
    expect.stringMatching(/^kubectl delete job load-\w+-\d+ -n mg-\w+-head-none/),
  );
  await platform.cleanup();
});

test('an aborted trial stops waiting and deletes its Job', async () => {
  const platform = new KubernetesPlatform({ generatorLeadMs: 0, distDir }, ctx());
  const profile = clusterProfile({ platform: 'kubernetes' });
  standIns.set('STANDIN_FAIL', [
    { tool: 'kubectl', match: 'wait --for=condition=complete job/', exit: 1, stderr: 'error: timed out' },
  ]);
  const [target] = await platform.prepare(profile);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('stopped by the experiment')), 300);
  await expect(platform.runTrial(target, jobFor(profile), controller.signal)).rejects.toThrow(
    /stopped by the experiment/,
  );
  expect(standIns.lines()).toContainEqual(expect.stringMatching(/^kubectl delete job load-/));
  await platform.cleanup();
});

test('an unreachable cluster is exit 3 naming the context', async () => {
  standIns.set('STANDIN_FAIL', [
    {
      tool: 'kubectl',
      match: 'cluster-info',
      exit: 1,
      stderr: 'Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout',
    },
  ]);
  const platform = new KubernetesPlatform({ distDir }, ctx());
  await expect(platform.prepare(clusterProfile({ platform: 'kubernetes' }))).rejects.toThrow(
    /cluster-info[\s\S]*i\/o timeout[\s\S]*context standin-context is reachable/,
  );
  await platform.cleanup();
});

test('a meshed generator Job carries the native-sidecar annotation the installed Linkerd reads, so it completes', async () => {
  standIns.set('STANDIN_LINKERD_VERSION', 'edge-25.5.2'); // a profile or tool-versions may still choose it
  const platform = new KubernetesPlatform({ generatorLeadMs: 0, distDir }, ctx());
  const profile = clusterProfile({ platform: 'kubernetes', mesh: [meshSpec('linkerd', { mtls: true })] });
  const targets = await platform.prepare(profile);
  await platform.runTrial(targets[0], jobFor(profile), new AbortController().signal);
  const job = applied().find((o) => o.kind === 'Job');
  expect(job.spec.template.metadata.annotations).toEqual({
    'config.alpha.linkerd.io/proxy-enable-native-sidecar': 'true',
  });
  await platform.cleanup();
});

test('the post step, from the saved state alone, deletes the run namespaces and the mesh this run installed', async () => {
  const { cleanupKubernetesFromState, isKubernetesState } =
    await import('../../../src/platform/cluster/kubernetes-state.js');
  const states: unknown[] = [];
  const platform = new KubernetesPlatform(
    { generatorLeadMs: 0, distDir, onState: (s) => states.push(JSON.parse(JSON.stringify(s))) },
    ctx(),
  );
  await platform.prepare(
    clusterProfile({ platform: 'kubernetes', mesh: [meshSpec('none'), meshSpec('istio')] }),
  );
  // The main step dies here: no platform.cleanup(). The post step has only what was saved.
  const saved = states.at(-1);
  expect(isKubernetesState(saved)).toBe(true);
  expect(saved).toMatchObject({ context: 'standin-context', installedMeshes: ['istio'] });
  const before = standIns.lines().length;
  await cleanupKubernetesFromState(saved as never, memoryLogger());
  const post = standIns.lines().slice(before);
  expect(post).toEqual([
    expect.stringMatching(
      /^kubectl delete namespace -l meshgate\.dev\/run=[a-z0-9]+ --ignore-not-found --wait=false$/,
    ),
    'istioctl uninstall --purge -y --context standin-context',
    'kubectl delete namespace istio-system --ignore-not-found --wait=false',
  ]);
});

test('a mesh that was already installed is never in the saved state, so the post step leaves it', async () => {
  standIns.set('STANDIN_EXISTING', ['deployment/istiod']);
  const states: { installedMeshes: string[] }[] = [];
  const platform = new KubernetesPlatform(
    { generatorLeadMs: 0, distDir, onState: (s) => states.push(s) },
    ctx(),
  );
  await platform.prepare(clusterProfile({ platform: 'kubernetes', mesh: [meshSpec('istio')] }));
  expect(states.at(-1)!.installedMeshes).toEqual([]);
  await platform.cleanup();
});

test('a trial whose generators started too far apart is repeated; the repeat is the one kept', async () => {
  standIns.restore();
  standIns = installStandIns({
    byJob: [
      // first Job: the second generator started 4 s late (its node was still pulling the image)
      [
        generatorTrial([1000, 1000], '2026-01-01T00:00:00.000Z'),
        generatorTrial([9000], '2026-01-01T00:00:04.000Z'),
      ],
      [
        generatorTrial([1000, 1100], '2026-01-01T00:01:00.000Z'),
        generatorTrial([1200], '2026-01-01T00:01:00.050Z'),
      ],
    ],
  });
  const log = memoryLogger();
  const platform = new KubernetesPlatform({ generatorLeadMs: 0, distDir }, { log, workDir: standIns.dir });
  const profile = clusterProfile({ platform: 'kubernetes', mesh: [meshSpec('none')], generators: 2 });
  const [target] = await platform.prepare(profile);
  const trial = await platform.runTrial(target, jobFor(profile), new AbortController().signal);
  expect(trial.requests).toBe(3); // the repeat's three requests, not the skewed 3 + 0
  expect(trial.latencyMs.max).toBeLessThan(2);
  expect(
    standIns.lines().filter((l) => l.startsWith('kubectl apply') && l.includes('server-side')).length,
  ).toBeGreaterThan(0);
  expect(log.lines.some((l) => l.includes('started 4000 ms apart') && l.includes('repeating'))).toBe(true);
  await platform.cleanup();
});
