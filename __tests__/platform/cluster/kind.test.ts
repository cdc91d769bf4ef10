import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { SetupError } from '../../../src/errors.js';
import { mergeTrials } from '../../../src/load/merge-trials.js';
import { KindPlatform } from '../../../src/platform/cluster/kind.js';
import { cleanupFromState, type KindState } from '../../../src/platform/cluster/kind-state.js';
import { KIND_NODE_IMAGE, NODE_IMAGE } from '../../../src/system/tool-versions.js';
import { memoryLogger } from '../../../src/util/log.js';
import { validateObjects } from '../../../src/platform/cluster/workload/validate.js';
import { installStandIns, type StandIns } from '../../__stand-ins__/install.js';
import { clusterProfile, fakeDist, generatorTrial, jobFor, meshSpec } from './fixtures.js';

const trials = [
  generatorTrial([900, 1000, 1100, 5000], '2026-01-01T00:00:00.000Z'),
  generatorTrial([950, 1050, 20000], '2026-01-01T00:00:00.200Z'),
  generatorTrial([1000, 1000], '2026-01-01T00:00:00.100Z'),
];

let standIns: StandIns;
let workDir: string;
const distDir = fakeDist();

beforeEach(() => {
  standIns = installStandIns(trials);
  workDir = mkdtempSync(join(tmpdir(), 'meshgate-kind-'));
});
afterEach(() => {
  standIns.restore();
  rmSync(workDir, { recursive: true, force: true });
});

const applied = (s: StandIns) =>
  s
    .calls()
    .filter((c) => c.tool === 'kubectl' && c.args.includes('apply'))
    .flatMap((c) => parseAllDocuments(c.stdin).map((d) => d.toJS()));

describe('KindPlatform', () => {
  test('creates a labelled cluster, installs Istio, deploys, runs merged in-cluster load, measures the sidecars, deletes the cluster', async () => {
    const log = memoryLogger();
    const states: KindState[] = [];
    const platform = new KindPlatform(
      { generatorLeadMs: 0, distDir, onState: (s) => states.push(s) },
      { log, workDir },
    );
    const profile = clusterProfile({
      mesh: [meshSpec('none'), meshSpec('istio', { mtls: true })],
      generators: 3,
    });
    const targets = await platform.prepare(profile);

    expect(targets.map((t) => t.variantId)).toEqual(['head/none', 'head/istio']);
    expect(targets[1].url).toMatch(
      /^http:\/\/sample-head\.mg-[a-z0-9]+-head-istio\.svc\.cluster\.local:8080$/,
    );
    const clusterName = states[0].clusterName;
    expect(states[0]).toMatchObject({ platform: 'kind', created: true, keepCluster: false });

    // the generated kind config: control plane + workload worker + load worker, image pinned by digest
    const create = standIns.calls().find((c) => c.tool === 'kind' && c.args[0] === 'create')!;
    const config = parse(create.config!);
    expect(config.nodes.map((n: { role: string }) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    expect(
      config.nodes.every(
        (n: { image: string }) => n.image === KIND_NODE_IMAGE && /@sha256:[0-9a-f]{64}$/.test(n.image),
      ),
    ).toBe(true);
    expect(config.nodes.slice(1).map((n: { labels: object }) => n.labels)).toEqual([
      { 'meshgate.dev/role': 'workload' },
      { 'meshgate.dev/role': 'load' },
    ]);

    const objects = applied(standIns);
    expect(validateObjects(objects)).toEqual([]);
    const istioNs = objects.find((o) => o.kind === 'Namespace' && o.metadata.name.endsWith('-head-istio'));
    expect(istioNs.metadata.labels['istio-injection']).toBe('enabled');
    expect(objects.find((o) => o.kind === 'PeerAuthentication')).toMatchObject({
      spec: { mtls: { mode: 'STRICT' } },
    });
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.nodeSelector).toEqual({ 'meshgate.dev/role': 'workload' });

    // Before trial 1, a DaemonSet shaped like each variant's generator pod pulled its images onto
    // the load node (the mTLS variant's with the sidecar annotation, so its proxy image too).
    const prepulls = applied(standIns).filter((o) => o.kind === 'DaemonSet');
    expect(prepulls.map((o) => o.metadata.namespace)).toEqual(
      targets.map((t) => new URL(t.url).hostname.split('.')[1]),
    );
    for (const prepull of prepulls) {
      expect(prepull.metadata.name).toBe('load-prepull');
      expect(prepull.spec.template.spec.nodeSelector).toEqual({ 'meshgate.dev/role': 'load' });
      expect(prepull.spec.template.spec.containers[0].image).toBe(NODE_IMAGE);
    }
    expect(prepulls[1].spec.template.metadata.annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    const job0 = (o: { spec: { template: { metadata: object } } }) => o.spec.template.metadata;
    expect(job0(prepulls[0])).toMatchObject({ annotations: {} });
    const beforeTrial = standIns.lines();
    const rolledOut = beforeTrial.filter((l) =>
      l.startsWith('kubectl rollout status daemonset/load-prepull'),
    );
    expect(rolledOut).toHaveLength(2);
    expect(beforeTrial.filter((l) => l.startsWith('kubectl delete daemonset load-prepull'))).toHaveLength(2);

    const sampler = platform.sampleResources(targets[1])!;
    const trial = await platform.runTrial(targets[1], jobFor(profile), new AbortController().signal);
    const merged = mergeTrials(trials);
    expect(trial.requests).toBe(9);
    expect(trial.generators).toBe(3);
    expect(trial.histogram).toBe(merged.histogram);
    expect(trial.latencyMs.max).toBeCloseTo(20, 1);

    const job = applied(standIns).find((o) => o.kind === 'Job');
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3 });
    const pod = job.spec.template;
    expect(pod.spec.nodeSelector).toEqual({ 'meshgate.dev/role': 'load' });
    expect(pod.metadata.annotations['sidecar.istio.io/nativeSidecar']).toBe('true'); // mTLS: the client joins the mesh
    const share = JSON.parse(pod.spec.containers[0].env[0].value);
    expect(share).toMatchObject({ rps: 100, connections: 3, url: targets[1].url });

    // On kind the sidecars' cgroup files are read in their node (docker exec), not cAdvisor's
    // cache. The stand-in's trial ends at once, so both edges are read back to back: /proc/uptime's
    // 10 ms resolution over a ~0.1–0.5 s interval allows ±30 % around the stand-in's 200 m.
    const use = await sampler.stop(9000);
    expect(use).toMatchObject({ memoryMibPeak: 50, memoryMibMean: 50 });
    expect(use!.cpuMillicores).toBeGreaterThan(140);
    expect(use!.cpuMillicores).toBeLessThan(260);
    expect(use!.source).toContain('istio-proxy');
    expect(use!.source).toContain('cgroup files');
    expect(
      standIns
        .lines()
        .some((l) =>
          /^docker exec meshgate-worker grep -H \^ \/proc\/uptime \/sys\/fs\/cgroup\/kubelet\.slice\/\S+\/cri-containerd-5b1e\.scope\/cpu\.stat/.test(
            l,
          ),
        ),
    ).toBe(true);
    expect(standIns.lines().some((l) => l.startsWith('kubectl get --raw'))).toBe(false);
    expect(platform.sampleResources(targets[0])).toBeUndefined();

    const env = await platform.describe();
    expect(env).toMatchObject({
      platform: 'kind',
      kubernetesVersion: 'v1.33.1',
      meshVersions: { istio: '1.27.1' },
    });

    await platform.cleanup();
    await platform.cleanup(); // safe twice
    const lines = standIns.lines();
    const order = [
      `kind create cluster --name ${clusterName}`,
      'kubectl wait --for=condition=Ready nodes --all',
      'istioctl install -y --set profile=minimal',
      'kubectl rollout status deployment/istiod -n istio-system',
      'kubectl rollout status deployment/sample-head',
      'kubectl wait --for=condition=complete job/load-',
      'kubectl logs load-',
      'kubectl delete job load-',
      `kind delete cluster --name ${clusterName}`,
    ].map((prefix) => lines.findIndex((line) => line.startsWith(prefix)));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(lines.filter((line) => line.startsWith('kind delete'))).toHaveLength(1);
    expect(
      standIns
        .calls()
        .filter((c) => c.tool === 'kubectl')
        .every((c) => c.args[0] === '--context' && c.args[1] === `kind-${clusterName}`),
    ).toBe(true);
  });

  test("loads the base and head images into kind as archives for the nodes' platform, pulling what Docker lacks", async () => {
    standIns.set('STANDIN_DOCKER_IMAGES', ['meshgate/app:head']);
    // Both multi-platform, as registries and `docker buildx` produce them: `kind load docker-image`
    // would fail under Docker's containerd image store.
    standIns.set('STANDIN_DOCKER_MULTIPLATFORM', ['meshgate/app:base', 'meshgate/app:head']);
    const platform = new KindPlatform({ generatorLeadMs: 0, distDir }, { log: memoryLogger(), workDir });
    const builds = {
      base: { kind: 'image' as const, image: 'meshgate/app:base', port: 9000 },
      head: { kind: 'image' as const, image: 'meshgate/app:head', port: 9000 },
    };
    const targets = await platform.prepare(clusterProfile({ builds }));
    await platform.cleanup();
    const lines = standIns.lines();
    expect(targets.map((t) => t.url)).toEqual([
      expect.stringMatching(/^http:\/\/app-base\..*:9000$/),
      expect.stringMatching(/^http:\/\/app-head\..*:9000$/),
    ]);
    expect(lines.filter((l) => l.startsWith('docker pull'))).toEqual([
      'docker pull --platform linux/amd64 meshgate/app:base',
    ]);
    expect(lines.filter((l) => l.startsWith('docker image save'))).toEqual([
      expect.stringMatching(
        /^docker image save --platform linux\/amd64 -o \S+image-0\.tar meshgate\/app:base$/,
      ),
      expect.stringMatching(
        /^docker image save --platform linux\/amd64 -o \S+image-1\.tar meshgate\/app:head$/,
      ),
    ]);
    expect(lines.filter((l) => l.startsWith('kind load'))).toEqual([
      expect.stringMatching(/^kind load image-archive \S+image-0\.tar --name meshgate-/),
      expect.stringMatching(/^kind load image-archive \S+image-1\.tar --name meshgate-/),
    ]);
    const deployment = applied(standIns).find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
  });

  test('a rollout that times out is a SetupError naming the command, its stderr and what to check; the cluster is still deleted', async () => {
    standIns.set('STANDIN_FAIL', [
      {
        tool: 'kubectl',
        match: 'rollout status deployment/sample-head',
        exit: 1,
        stderr: 'error: timed out waiting for the condition',
      },
    ]);
    const platform = new KindPlatform({ generatorLeadMs: 0, distDir }, { log: memoryLogger(), workDir });
    const failure = await platform.prepare(clusterProfile({})).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SetupError);
    expect((failure as SetupError).exitCode).toBe(3);
    expect((failure as Error).message).toMatch(
      /`kubectl --context kind-meshgate-\w+ rollout status deployment\/sample-head .*` failed \(exit code 1\)/,
    );
    expect((failure as Error).message).toContain('timed out waiting for the condition');
    expect((failure as Error).message).toContain('Check: `kubectl describe deployment/sample-head');
    await platform.cleanup();
    expect(standIns.lines().filter((l) => l.startsWith('kind delete cluster'))).toHaveLength(1);
  });

  test('an Istio install failure is exit 3 and cleanup still deletes the cluster', async () => {
    standIns.set('STANDIN_FAIL', [
      {
        tool: 'istioctl',
        match: 'install',
        exit: 1,
        stderr: 'Error: failed to install manifests: context deadline exceeded',
      },
    ]);
    const platform = new KindPlatform({ generatorLeadMs: 0, distDir }, { log: memoryLogger(), workDir });
    await expect(
      platform.prepare(clusterProfile({ mesh: [meshSpec('istio', { mode: 'ambient' })] })),
    ).rejects.toThrow(
      /istioctl install -y --set profile=ambient[\s\S]*context deadline exceeded[\s\S]*Check: the istio-system pods/,
    );
    await platform.cleanup();
    expect(standIns.lines().some((l) => l.startsWith('kind delete cluster'))).toBe(true);
  });

  test('a user-supplied cluster is reused: no create, no delete; namespaces and our meshes are removed', async () => {
    const platform = new KindPlatform(
      { clusterName: 'mine', generatorLeadMs: 0, distDir },
      { log: memoryLogger(), workDir },
    );
    await platform.prepare(clusterProfile({ mesh: [meshSpec('istio')] }));
    expect(platform.stateToSave()).toMatchObject({ clusterName: 'mine', created: false });
    await platform.cleanup();
    const lines = standIns.lines();
    expect(lines.some((l) => l.startsWith('kind create') || l.startsWith('kind delete'))).toBe(false);
    expect(lines).toContainEqual(
      expect.stringMatching(/^kubectl delete namespace mg-\w+-head-istio --ignore-not-found --wait=false$/),
    );
    expect(lines).toContainEqual('istioctl uninstall --purge -y --context kind-mine');
    const deployment = applied(standIns).find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.nodeSelector).toBeUndefined();
  });

  test('cleanupFromState deletes only clusters meshgate created', async () => {
    const log = memoryLogger();
    const kindPath = join(standIns.binDir, 'kind');
    await cleanupFromState(
      { platform: 'kind', clusterName: 'meshgate-abc', created: true, keepCluster: false, kindPath },
      log,
    );
    await cleanupFromState(
      { platform: 'kind', clusterName: 'theirs', created: false, keepCluster: false, kindPath },
      log,
    );
    await cleanupFromState(
      { platform: 'kind', clusterName: 'kept', created: true, keepCluster: true, kindPath },
      log,
    );
    expect(standIns.lines()).toEqual(['kind delete cluster --name meshgate-abc']);
  });
});

test('the post step can hand over a saved KindState directly or nested under `kind`', async () => {
  const { cleanupFromSavedState } = await import('../../../src/platform/cluster/kind-state.js');
  const kindPath = join(standIns.binDir, 'kind');
  const state = {
    platform: 'kind',
    clusterName: 'meshgate-post',
    created: true,
    keepCluster: false,
    kindPath,
  };
  await cleanupFromSavedState({ platform: 'kind', profile: 'x', kind: state }, memoryLogger());
  await cleanupFromSavedState(state, memoryLogger());
  await cleanupFromSavedState({ platform: 'kind' }, memoryLogger());
  await cleanupFromSavedState(null, memoryLogger());
  expect(standIns.lines()).toEqual([
    'kind delete cluster --name meshgate-post',
    'kind delete cluster --name meshgate-post',
  ]);
});

test("the platform registry creates the cluster platforms with the doors' settings", async () => {
  const { createPlatform } = await import('../../../src/platform/registry.js');
  expect(createPlatform('kind', { log: memoryLogger(), workDir }, { kind: { keepCluster: true } }).name).toBe(
    'kind',
  );
  expect(createPlatform('kubernetes', { log: memoryLogger(), workDir }).name).toBe('kubernetes');
});
