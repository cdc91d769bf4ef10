// Data-plane builds on a cluster, through the stand-ins of kind, kubectl, istioctl and linkerd:
// base and head data planes in one cluster, one namespace each, their per-namespace objects and
// proxy annotations applied where they belong (and accepted by the stand-in's API server and read
// by its injector model), the control plane sampled per trial into results.json, the verdict
// naming the method, and bad files refused before anything starts.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../../../src/errors.js';
import { runExperiment } from '../../../../src/experiment.js';
import { measure } from '../../../../src/pipeline.js';
import { KindPlatform } from '../../../../src/platform/cluster/kind.js';
import type { DataPlaneFiles, MeshSpec } from '../../../../src/profile/types.js';
import { renderHtmlReport } from '../../../../src/report/html/report.js';
import { localEnvironment } from '../../../../src/results/environment.js';
import { parseResults } from '../../../../src/results/io.js';
import { decide } from '../../../../src/verdict/decide.js';
import { memoryLogger } from '../../../../src/util/log.js';
import { installStandIns, type StandIns } from '../../../__stand-ins__/install.js';
import { clusterProfile, fakeDist, generatorTrial, meshSpec } from '../fixtures.js';
import { ENVOY_FILTER, WASM_PLUGIN, edited, writeFiles } from './fixtures.js';

const trials = [generatorTrial([900, 1000, 1100, 5000], '2026-01-01T00:00:00.000Z')];
const distDir = fakeDist();
let standIns: StandIns;
let workDir: string;

beforeEach(() => {
  standIns = installStandIns(trials);
  workDir = mkdtempSync(join(tmpdir(), 'meshgate-kind-dp-'));
});
afterEach(() => {
  standIns.restore();
  rmSync(workDir, { recursive: true, force: true });
});

const builds = (head: Omit<DataPlaneFiles, 'field'>) => ({
  base: { field: 'mesh[1].builds.base' },
  head: { ...head, field: 'mesh[1].builds.head' },
});

/** Objects of every `kubectl apply`, with the index of the call that applied them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Applied = Record<string, any> & { callIndex: number };
const applied = (s: StandIns): Applied[] =>
  s
    .calls()
    .flatMap((call, index) =>
      call.tool === 'kubectl' && call.args.includes('apply')
        ? parseAllDocuments(call.stdin).map((d): Applied => ({ ...(d.toJS() as object), callIndex: index }))
        : [],
    );

/** What the stand-in's injector model read from each workload's pod template. */
const injected = (
  s: StandIns,
): Record<string, { mesh: string; read: Record<string, string>; ignored: string[] }> =>
  JSON.parse(readFileSync(join(s.dir, 'state', 'proxies'), 'utf8'));

describe('cluster data-plane builds through the stand-ins', () => {
  test('Istio: head carries an EnvoyFilter, a WasmPlugin and a sidecar annotation; base the stock sidecar; istiod sampled per trial', async () => {
    const files = writeFiles({ 'head.yaml': [ENVOY_FILTER, WASM_PLUGIN] });
    const istio: MeshSpec = meshSpec('istio', {
      builds: builds({
        manifests: [files.path('head.yaml')],
        proxyAnnotations: { 'sidecar.istio.io/proxyCPULimit': '500m' },
      }),
    });
    // One trial per variant: each stand-in trial is a generator Job's worth of tool processes.
    const profile = { ...clusterProfile({ mesh: [meshSpec('none'), istio] }), trials: 1, maxTrials: 1 };
    const log = memoryLogger();
    const platform = new KindPlatform({ generatorLeadMs: 0, distDir }, { log, workDir });
    try {
      const targets = await platform.prepare(profile);
      expect(targets.map((t) => [t.variantId, t.build])).toEqual([
        ['head/none', 'head'],
        ['base/istio', 'base'],
        ['head/istio', 'head'],
      ]);
      // The same application build behind both data planes, each in its own namespace.
      expect(targets[1].url).toMatch(/^http:\/\/sample-head\.mg-\w+-base-istio\.svc\.cluster\.local:8080$/);
      expect(targets[2].url).toMatch(/^http:\/\/sample-head\.mg-\w+-head-istio\.svc\.cluster\.local:8080$/);

      const objects = applied(standIns);
      const headNs = objects.find((o) => o.kind === 'Namespace' && o.metadata.name.endsWith('-head-istio'))!
        .metadata.name;
      const baseNs = objects.find((o) => o.kind === 'Namespace' && o.metadata.name.endsWith('-base-istio'))!
        .metadata.name;
      const filters = objects.filter((o) => o.kind === 'EnvoyFilter' || o.kind === 'WasmPlugin');
      expect(filters.map((o) => [o.kind, o.metadata.namespace])).toEqual([
        ['EnvoyFilter', headNs],
        ['WasmPlugin', headNs],
      ]);
      const podLabels = { 'meshgate.dev/app': 'sample-head' };
      expect(filters[0].spec.workloadSelector).toEqual({ labels: podLabels });
      expect(filters[1].spec.selector).toEqual({ matchLabels: podLabels });
      expect(filters[0].spec.configPatches).toEqual(ENVOY_FILTER.spec.configPatches);
      const deployments = objects.filter((o) => o.kind === 'Deployment' && o.metadata.name === 'sample-head');
      const headDeployment = deployments.find((o) => o.metadata.namespace === headNs)!;
      const baseDeployment = deployments.find((o) => o.metadata.namespace === baseNs)!;
      expect(headDeployment.spec.template.metadata.labels).toMatchObject(podLabels);
      expect(headDeployment.spec.template.metadata.annotations).toEqual({
        'sidecar.istio.io/proxyCPULimit': '500m',
      });
      expect(baseDeployment.spec.template.metadata.annotations).toBeUndefined();
      // The filters are in place before head's pods start.
      expect(filters[0].callIndex).toBeLessThan(headDeployment.callIndex);
      // The stand-in's injector read the annotation for head's sidecar only.
      const proxies = injected(standIns);
      expect(proxies[`${headNs}/sample-head`]).toMatchObject({
        mesh: 'istio',
        read: { 'sidecar.istio.io/proxyCPULimit': '500m' },
        ignored: [],
      });
      expect(proxies[`${baseNs}/sample-head`].mesh).toBe('istio');
      expect(proxies[`${baseNs}/sample-head`].read).toEqual({});

      const controller = new AbortController();
      const results = await runExperiment(profile, platform, targets, {
        log,
        signal: controller.signal,
        environment: localEnvironment('kind'),
      });
      const reread = parseResults(JSON.stringify(results), 'results.json');
      const headIstio = reread.variants.find((v) => v.id === 'head/istio')!;
      expect(headIstio.trials).toHaveLength(1);
      for (const trial of headIstio.trials) {
        // cgroup files read in the node at the window's edges (stand-in rates: 200 m, istiod 30 m);
        // the stand-in's windows are short, so /proc/uptime's 10 ms steps allow ±30 %.
        expect(trial.resources!.cpuMillicores).toBeGreaterThan(140);
        expect(trial.resources!.cpuMillicores).toBeLessThan(260);
        expect(trial.controlPlane).toMatchObject([
          { component: 'istiod', namespace: 'istio-system', pods: 1, memoryMibMean: 90, memoryMibPeak: 90 },
        ]);
        expect(trial.controlPlane![0].cpuMillicores).toBeGreaterThan(20);
        expect(trial.controlPlane![0].cpuMillicores).toBeLessThan(40);
      }
      expect(reread.variants.find((v) => v.id === 'head/none')!.trials[0].controlPlane).toBeUndefined();

      const verdict = decide(reread);
      expect(verdict.notes).toContainEqual(
        'Method for istio: same job. base/istio and head/istio ran side by side (one namespace each, in one cluster) in interleaved trials and are compared pair by pair.',
      );
      expect(verdict.notes.join('\n')).toMatch(
        /head\/istio runs manifests head\.yaml \+ annotation sidecar\.istio\.io\/proxyCPULimit=500m/,
      );
      expect(
        verdict.checks.some(
          (c) =>
            c.comparison === 'build' && c.variant === 'head/istio' && c.metric === 'proxyCpuMsPer1kRequests',
        ),
      ).toBe(true);
      const html = renderHtmlReport(reread, verdict);
      expect(html).toContain('<section id="control-plane"><h2>Control-plane resources</h2>');
      expect(html).toMatch(
        /<th scope="row">head\/istio<\/th><td>istiod<\/td><td>1<\/td><td>[23]\d\.\d<\/td><td>90\.0 \/ 90\.0<\/td>/,
      );
    } finally {
      await platform.cleanup();
    }
  }, 120_000);

  test('Linkerd: head carries proxy annotations on its pods; the injector of edge-25.10.2 reads them; the control plane per component', async () => {
    const linkerd: MeshSpec = meshSpec('linkerd', {
      builds: builds({
        proxyAnnotations: {
          'config.linkerd.io/proxy-cpu-limit': '1',
          'config.linkerd.io/proxy-memory-limit': '64Mi',
        },
      }),
    });
    const profile = clusterProfile({ mesh: [meshSpec('none'), linkerd] });
    const platform = new KindPlatform({ generatorLeadMs: 0, distDir }, { log: memoryLogger(), workDir });
    try {
      const targets = await platform.prepare(profile);
      const proxies = injected(standIns);
      const head = Object.entries(proxies).find(([key]) => key.endsWith('-head-linkerd/sample-head'))![1];
      const base = Object.entries(proxies).find(([key]) => key.endsWith('-base-linkerd/sample-head'))![1];
      expect(head.read).toEqual({
        'config.linkerd.io/proxy-cpu-limit': '1',
        'config.linkerd.io/proxy-memory-limit': '64Mi',
      });
      expect(base.read).toEqual({});
      const sampler = platform.sampleResources(targets.find((t) => t.variantId === 'head/linkerd')!)!;
      await sampler.stop(9000);
      const byComponent = Object.fromEntries(
        (sampler.controlPlane?.() ?? []).map((use) => [use.component, use]),
      );
      expect(Object.keys(byComponent)).toEqual([
        'linkerd-destination',
        'linkerd-identity',
        'linkerd-proxy-injector',
      ]);
      // Stand-in rates 36 m, 2 m, 10 m, read back to back (±30 %: /proc/uptime's 10 ms steps).
      const near = (value: number, expected: number) =>
        expect(Math.abs(value - expected)).toBeLessThan(expected * 0.3);
      near(byComponent['linkerd-destination'].cpuMillicores, 36);
      expect(byComponent['linkerd-destination'].memoryMibPeak).toBeCloseTo(84, 3);
      near(byComponent['linkerd-identity'].cpuMillicores, 2);
      near(byComponent['linkerd-proxy-injector'].cpuMillicores, 10);
    } finally {
      await platform.cleanup();
    }
  }, 120_000);

  test('an annotation Linkerd does not read is refused by meshgate; the stand-in injector would have ignored it silently', async () => {
    const { injectedProxy } = await import('../../../__stand-ins__/mesh-rules.mjs');
    const typo = { 'config.linkerd.io/proxy-cpu-limt': '1' };
    expect(injectedProxy('linkerd', 'edge-25.10.2', typo)).toMatchObject({
      read: {},
      ignored: ['config.linkerd.io/proxy-cpu-limt'],
    });
    const profile = clusterProfile({
      mesh: [meshSpec('none'), meshSpec('linkerd', { builds: builds({ proxyAnnotations: typo }) })],
    });
    const failure = await measure(profile, {
      log: memoryLogger(),
      signal: new AbortController().signal,
      platform: 'kind',
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).exitCode).toBe(2);
    expect((failure as Error).message).toBe(
      "mesh[1].builds.head.proxy_annotations: config.linkerd.io/proxy-cpu-limt: linkerd edge-25.10.2 does not read this annotation (it would be ignored, and head would run base's proxy)",
    );
    // Refused before anything started: no cluster, no install.
    expect(
      standIns.lines().filter((line) => /^(kind create|istioctl|linkerd install|kubectl apply)/.test(line)),
    ).toEqual([]);
  });

  test('a manifest the API server would refuse is exit 2 before the cluster exists; the same object is refused by the stand-in too', async () => {
    const bad = edited(ENVOY_FILTER, (o) => (o.spec.configPatches[0].patch.operation = 'INSERT_AFTERWARDS'));
    const files = writeFiles({ 'head.yaml': bad });
    const profile = clusterProfile({
      mesh: [meshSpec('istio', { builds: builds({ manifests: [files.path('head.yaml')] }) })],
    });
    const failure = await measure(profile, {
      log: memoryLogger(),
      signal: new AbortController().signal,
      platform: 'kind',
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as Error).message).toMatch(
      /^mesh\[1\]\.builds\.head\.manifests\[0\] \(.*head\.yaml\): document 1 \(EnvoyFilter add-header\): spec\.configPatches\[0\]\.patch\.operation: Unsupported value: "INSERT_AFTERWARDS"/,
    );
    expect(standIns.lines().some((line) => line.startsWith('kind create'))).toBe(false);
    // Applied anyway (bypassing meshgate's check), a cluster with Istio refuses it.
    const { toYamlStream } = await import('../../../../src/system/kubectl.js');
    const { run } = await import('../../../../src/system/run-command.js');
    standIns.set('STANDIN_EXISTING', ['deployment/istiod']);
    const result = await run('kubectl', ['apply', '--server-side', '-f', '-'], {
      stdin: toYamlStream([{ ...bad, metadata: { ...bad.metadata, namespace: 'ns' } }]),
      timeoutMs: 30_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      '.spec.configPatches[0].patch.operation: Unsupported value: "INSERT_AFTERWARDS"',
    );
  });

  test("mesh-wide install values go to istioctl install -f, before meshgate's own --set", async () => {
    const files = writeFiles({
      'values.yaml': {
        apiVersion: 'install.istio.io/v1alpha1',
        kind: 'IstioOperator',
        spec: { meshConfig: { defaultConfig: { concurrency: 2 } } },
      },
    });
    const profile = clusterProfile({
      mesh: [meshSpec('none'), meshSpec('istio', { installValues: files.path('values.yaml') })],
    });
    const platform = new KindPlatform({ generatorLeadMs: 0, distDir }, { log: memoryLogger(), workDir });
    try {
      await platform.prepare(profile);
      expect(standIns.lines()).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^istioctl install -y -f ${files.path('values.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} --set profile=minimal `,
          ),
        ),
      );
    } finally {
      await platform.cleanup();
    }
  }, 120_000);
});
