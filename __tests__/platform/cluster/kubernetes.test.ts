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
  const platform = new KubernetesPlatform(
    { generatorLeadMs: 0, distDir, loadNodeSelector: { pool: 'load' } },
    ctx(),
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

  const trial = await platform.runTrial(targets[1], jobFor(profile), new AbortController().signal);
  expect(trial.requests).toBe(3);
  const job = applied().find((o) => o.kind === 'Job');
  expect(job.metadata.namespace).toBe(namespaces[1]);
  expect(job.spec.template.spec.nodeSelector).toEqual({ pool: 'load' });
  expect(job.spec.template.metadata.annotations).toEqual({
    'config.beta.linkerd.io/proxy-enable-native-sidecar': 'true',
  });

  const use = await platform.sampleResources(targets[1])!.stop(3000);
  expect(use).toMatchObject({
    cpuMillicores: 100,
    cpuMsPer1kRequests: 500,
    memoryMibMean: 11,
    memoryMibPeak: 12,
  });
  expect(await platform.describe()).toMatchObject({
    platform: 'kubernetes',
    meshVersions: { linkerd: 'edge-25.5.2' },
  });

  await platform.cleanup();
  const lines = standIns.lines();
  const sequence = [
    'kubectl config current-context',
    'kubectl cluster-info',
    'linkerd check --pre --context standin-context',
    'linkerd install --crds --set installGatewayAPI=true --context standin-context',
    'kubectl apply -f -',
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
