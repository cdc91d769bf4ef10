/**
 * The cluster's instruction counter over trial windows: pods from a `kubectl get pods` answer,
 * their containers' cgroups in a tree built in a temporary directory whose cgroup.procs list real
 * processes, and the stand-in perf (only an arm64 GitHub runner has a real vPMU). Each window is
 * one batch of the trial's requests; the idle window after the trials is subtracted by the rows.
 * With this machine's real perf the method is unavailable, in one line (or exit 3 for method perf).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MeshgateError } from '../../../../src/errors.js';
import {
  ClusterCostCounter,
  clusterCostMethod,
  proxyContainers,
  type PodItems,
} from '../../../../src/platform/cluster/cost/counter.js';
import type { CostSpec } from '../../../../src/profile/types.js';
import { batchValues } from '../../../../src/verdict/cost.js';
import { memoryLogger } from '../../../../src/util/log.js';

const spec = (method: CostSpec['method']): CostSpec => ({
  method,
  requests: 1000,
  batches: 3,
  warmupRequests: 100,
  connections: 2,
  workload: false,
});
const UID = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const ID = (n: number) => String(n).repeat(64);
let dir: string;
let root: string;
let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];
const child = (code: string) => {
  const c = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  children.push(c);
  return c;
};

const pod = (name: string, n: number, node: string, containers: string[], init: string[] = []) => ({
  metadata: { name, uid: UID(n) },
  spec: { nodeName: node },
  status: {
    containerStatuses: containers.map((c, i) => ({ name: c, containerID: `containerd://${ID(n + i)}` })),
    initContainerStatuses: init.map((c) => ({ name: c, containerID: `containerd://${ID(n + 5)}` })),
  },
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-cluster-cost-'));
  root = join(dir, 'cgroup');
  await mkdir(join(dir, 'bin'));
  await symlink(resolve('__tests__/__stand-ins__/perf.mjs'), join(dir, 'bin', 'perf'));
  env = { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, STANDIN_PERF_VPMU: '1' };
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function podCgroup(n: number, id: string, pids: number[]): Promise<void> {
  const path = join(
    root,
    'system.slice/docker-node.scope/kubelet.slice/kubelet-kubepods.slice',
    `kubelet-kubepods-burstable-pod${UID(n).replaceAll('-', '_')}.slice`,
    `cri-containerd-${id}.scope`,
  );
  await mkdir(path, { recursive: true });
  await writeFile(join(path, 'cgroup.procs'), pids.map((p) => `${p}\n`).join(''));
}

describe('proxyContainers', () => {
  it("sidecars of the workload's pods (native sidecars too), never the generators'", async () => {
    const pods: PodItems = {
      items: [
        pod('app-1', 1, 'w1', ['app', 'istio-proxy']),
        pod('app-2', 3, 'w1', ['app'], ['istio-proxy']),
        pod('load-abc', 7, 'l1', ['loadgen', 'istio-proxy']),
      ],
    };
    const found = await proxyContainers(async () => pods, {
      namespace: 'v1',
      location: { container: 'istio-proxy', description: 'istio-proxy sidecars' },
    });
    expect(found.map((c) => `${c.pod} ${c.containerID}`)).toEqual([
      `v1/app-1 containerd://${ID(2)}`,
      `v1/app-2 containerd://${ID(8)}`,
    ]);
  });

  it("node proxies: ztunnel on the workload's nodes only", async () => {
    const byNamespace: Record<string, PodItems> = {
      v1: { items: [pod('app-1', 1, 'w1', ['app']), pod('load-x', 2, 'l1', ['loadgen'])] },
      'istio-system': {
        items: [pod('ztunnel-a', 3, 'w1', ['istio-proxy']), pod('ztunnel-b', 4, 'l1', ['istio-proxy'])],
      },
    };
    const found = await proxyContainers(async (ns) => byNamespace[ns], {
      namespace: 'v1',
      location: {
        container: 'istio-proxy',
        namespace: 'istio-system',
        podPrefix: 'ztunnel',
        description: 'ztunnel',
      },
    });
    expect(found.map((c) => c.pod)).toEqual(['istio-system/ztunnel-a']);
  });
});

describe('clusterCostMethod', () => {
  it("this machine's perf cannot count: one line for auto, exit 3 for method perf; callgrind never counts a cluster", async () => {
    if (existsSync('/sys/bus/event_source/devices/cpu') || spawnSync('perf', ['--version']).status !== 0)
      return;
    expect(await clusterCostMethod(spec('auto'))).toEqual({
      unavailable: expect.stringMatching(
        /^perf cannot count instructions:u on this runner \(perf reports <not supported> .*\); only a runner with a hardware counter \(GitHub's arm64 runners\)/,
      ),
    });
    const error = await clusterCostMethod(spec('perf')).catch((e: unknown) => e);
    expect((error as MeshgateError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(/^cost\.method perf: perf cannot count/);
    expect(await clusterCostMethod(spec('callgrind'))).toEqual({
      unavailable: expect.stringMatching(/not under Valgrind/),
    });
    // With the stand-in's vPMU, perf's version is the tool.
    expect(await clusterCostMethod(spec('auto'), env)).toEqual({ tool: 'perf version 6.1.stand-in' });
  }, 30_000);
});

describe('ClusterCostCounter', () => {
  it('counts each trial window as a batch of its requests, pairs by run order, and subtracts an idle window', async () => {
    // base's sidecar idles; head's burns CPU (the stand-in counts CPU time as its model).
    const baseProxy = child('setInterval(() => undefined, 1000)');
    const headProxy = child('setInterval(() => { const t = Date.now(); while (Date.now() - t < 20); }, 25)');
    // Node's own start-up (~0.1 s of CPU, longer under load) stays out of the windows.
    await new Promise((r) => setTimeout(r, 1500));
    await podCgroup(1, ID(2), [baseProxy.pid!]);
    await podCgroup(4, ID(5), [headProxy.pid!]);
    const pods: Record<string, PodItems> = {
      'ns-base': { items: [pod('app-1', 1, 'w1', ['app', 'istio-proxy'])] },
      'ns-head': { items: [pod('app-4', 4, 'w1', ['app', 'istio-proxy'])] },
    };
    const log = memoryLogger();
    const counter = new ClusterCostCounter({
      tool: 'perf version 6.1.stand-in',
      log,
      listPods: async (ns) => pods[ns],
      cgroupRoot: root,
      env,
    });
    const location = { container: 'istio-proxy', description: 'istio-proxy sidecars' };
    counter.track('base/istio', { namespace: 'ns-base', location });
    counter.track('head/istio', { namespace: 'ns-head', location });
    const trial = async (id: string, requests: number) => {
      const now = Date.now();
      counter.window(id, { startEpochMs: now + 200, endEpochMs: now + 900 });
      await new Promise((r) => setTimeout(r, 1000));
      await counter.stop(id, requests);
    };
    await trial('base/istio', 500);
    await trial('head/istio', 500);
    // A repeated trial's first window is replaced, not counted.
    counter.window('head/istio', { startEpochMs: Date.now(), endEpochMs: Date.now() + 5000 });
    await trial('head/istio', 500);
    await trial('base/istio', 500);
    const costs = await counter.finish(new AbortController().signal);
    const base = costs.get('base/istio')!;
    const head = costs.get('head/istio')!;
    expect(base).toMatchObject({
      method: 'perf',
      tool: 'perf version 6.1.stand-in',
      components: ['istio-proxy sidecars'],
    });
    expect(base.batches.map((b) => [b.sequence, b.requests, b.durationMs])).toEqual([
      [0, 500, 700],
      [3, 500, 700],
    ]);
    expect(head.batches.map((b) => b.sequence)).toEqual([1, 2]);
    expect(head.idle.windowMs).toBe(700);
    expect(head.wallS).toBe(0.7); // the idle window: the counting ran inside the trials
    expect(head.idle.instructions).toHaveLength(1);
    // ~80% of a CPU for 0.7 s, less the same in idle (it keeps burning): what remains is noise;
    // base: ~0. Only the shape is the stand-in's; a vPMU would count real instructions.
    // Bound for a loaded 2-core machine (load average 8 seen: 62 ms of CPU in a 0.7 s window).
    for (const batch of head.batches) expect(batch.instructions[0]).toBeGreaterThan(1e7);
    expect(batchValues(base).every((v) => v >= 0)).toBe(true);
    expect(base.batches[0].instructions[0]).toBeLessThan(head.batches[0].instructions[0] / 10);
    const perfs = spawnSync('pgrep', ['-f', '__stand-ins__/perf.mjs|bin/perf stat']).stdout.toString().trim();
    expect(perfs).toBe('');
  }, 60_000);

  it('a window whose proxy is not on this host is left out with a warning; nothing left running', async () => {
    const log = memoryLogger();
    const counter = new ClusterCostCounter({
      tool: 'perf',
      log,
      listPods: async () => ({ items: [pod('app-9', 9, 'w1', ['istio-proxy'])] }),
      cgroupRoot: root,
      env,
    });
    counter.track('head/istio', {
      namespace: 'ns',
      location: { container: 'istio-proxy', description: 'sidecars' },
    });
    const now = Date.now();
    counter.window('head/istio', { startEpochMs: now, endEpochMs: now + 200 });
    await new Promise((r) => setTimeout(r, 400));
    await counter.stop('head/istio', 100);
    expect(log.lines.join('\n')).toMatch(
      /cost: head\/istio: this trial's window is not counted \(ns\/app-9 \(uid .*\) has no cgroup under .*: its node is not this machine/,
    );
    // Not this machine: no later window is looked up, and the reason is the row's.
    counter.window('head/istio', { startEpochMs: Date.now(), endEpochMs: Date.now() + 100 });
    await counter.stop('head/istio', 100);
    expect(log.lines.filter((l) => l.includes("this trial's window is not counted"))).toHaveLength(1);
    const costs = await counter.finish(new AbortController().signal);
    expect(costs.size).toBe(0);
    expect(counter.whyNothing(costs)).toMatch(
      /^ns\/app-9 \(uid .*\) has no cgroup under .*: its node is not this machine \(or runs in a VM\); perf counts processes of this machine only$/,
    );
  }, 30_000);
});
