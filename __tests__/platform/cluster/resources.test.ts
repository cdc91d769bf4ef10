// Proxy resources are read at the edges of a trial's measured window (after the warm-up, and at
// the end of the measured part), not around the whole Job: the CPU then belongs to the requests
// the trial counts.
import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { cadvisorStaleness, startProxySampler } from '../../../src/platform/cluster/resources.js';
import { Kubectl } from '../../../src/system/kubectl.js';
import { installStandIns } from '../../__stand-ins__/install.js';
import { memoryLogger } from '../../../src/util/log.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '__stand-ins__', 'fixtures');
/** A fixture whose samples are stamped `stampMs` (a fresh cache: the scrape's own time). */
const fixture = (n: number, stampMs: number) =>
  readFileSync(join(fixtures, `cadvisor-${n}.txt`), 'utf8')
    .replaceAll('__NAMESPACE__', 'mg-ns')
    .replace(/ 17323500(?:00|15)000$/gm, ` ${stampMs}`);

function fakeKubectl(stamp: (now: number) => number = (now) => now) {
  const scrapedAtMs: number[] = [];
  const kubectl = {
    getJson: async () => ({
      items: [{ metadata: { name: 'sample-head-6f7c9d9b8-x2x7k' }, spec: { nodeName: 'worker' } }],
    }),
    raw: async () => {
      scrapedAtMs.push(Date.now());
      return fixture(scrapedAtMs.length % 2 === 1 ? 1 : 2, stamp(Date.now()));
    },
  } as unknown as Kubectl;
  return { kubectl, scrapedAtMs };
}

const sidecars = { container: 'istio-proxy', description: 'istio-proxy sidecars' };

test('scrapes when the measured window starts and ends; a repeated trial’s window replaces the first', async () => {
  const { kubectl, scrapedAtMs } = fakeKubectl();
  const sampler = startProxySampler(kubectl, memoryLogger(), 'mg-ns', sidecars);
  expect(scrapedAtMs).toEqual([]); // nothing before the trial's Job says when its window is
  const now = Date.now();
  sampler.window({ startEpochMs: now + 3000, endEpochMs: now + 4000 }); // a skewed attempt …
  sampler.window({ startEpochMs: now + 300, endEpochMs: now + 900 }); // … repeated
  await sleep(1200);
  const use = await sampler.stop(12_000);
  expect(scrapedAtMs).toHaveLength(2);
  expect(scrapedAtMs[0] - now).toBeGreaterThanOrEqual(295);
  expect(scrapedAtMs[0] - now).toBeLessThan(600);
  expect(scrapedAtMs[1] - now).toBeGreaterThanOrEqual(895);
  expect(scrapedAtMs[1] - now).toBeLessThan(1150);
  expect(use).toMatchObject({ memoryMibPeak: 50 });
  expect(use!.source).toContain("cAdvisor samples within 0.0 s of the window's edges");
  await sleep(50);
  expect(scrapedAtMs).toHaveLength(2); // the replaced window's timers never fire
});

test('a trial that ends before its window closes is scraped at once; no window, no numbers', async () => {
  const { kubectl, scrapedAtMs } = fakeKubectl();
  const sampler = startProxySampler(kubectl, memoryLogger(), 'mg-ns', sidecars);
  expect(await sampler.stop(100)).toBeUndefined();
  expect(scrapedAtMs).toEqual([]);
  const far = Date.now() + 60_000;
  sampler.window({ startEpochMs: far, endEpochMs: far + 1000 });
  const use = await sampler.stop(1000);
  expect(scrapedAtMs).toHaveLength(2);
  // Both samples are a minute from the window they should measure: not used.
  expect(use).toBeUndefined();
});

test("cAdvisor samples far from the window (the kubelet's 10–15 s cache) are not used, and the log says how stale", async () => {
  // Every scrape answers the last housekeeping tick: here one 12 s before the window.
  const tick = Date.now() - 12_000;
  const { kubectl } = fakeKubectl(() => tick);
  const log = memoryLogger();
  const sampler = startProxySampler(kubectl, log, 'mg-ns', sidecars);
  const now = Date.now();
  sampler.window({ startEpochMs: now + 100, endEpochMs: now + 600 });
  await sleep(800);
  expect(await sampler.stop(5000)).toBeUndefined();
  expect(log.lines.join('\n')).toMatch(
    /istio-proxy sidecars in mg-ns: CPU and memory of this trial not used \(nor gated\): .* taken 12\.\d s before the window's start and 12\.\d s before its end/,
  );
  expect(
    cadvisorStaleness(
      { timestampMs: 1000 },
      { timestampMs: 11_200 },
      { startEpochMs: 1200, endEpochMs: 11_000 },
    ),
  ).toEqual({ startLagMs: 200, endLagMs: -200, stale: false });
  expect(
    cadvisorStaleness(
      { timestampMs: 1000 },
      { timestampMs: 1000 },
      { startEpochMs: 1200, endEpochMs: 11_000 },
    )!.stale,
  ).toBe(true);
});

test("on kind, the sidecars' cgroup files are read in their node at the window's edges: the CPU is the window's", async () => {
  // The stand-in's containers burn CPU at the fixtures' rates (istio-proxy: 200 m) from the moment
  // its cluster booted, and its kubelet would answer from a 10–15 s cache: only reading the
  // cgroups at the edges gives the window's 200 m.
  const standIns = installStandIns([]);
  try {
    const log = memoryLogger();
    const kubectl = new Kubectl(join(standIns.binDir, 'kubectl'), log, 'kind-meshgate');
    const sampler = startProxySampler(kubectl, log, 'mg-ns', sidecars, 'cgroup');
    const now = Date.now();
    sampler.window({ startEpochMs: now + 300, endEpochMs: now + 2300 });
    await sleep(2600);
    const use = await sampler.stop(4000);
    // The rate is over the reads' own clock (/proc/uptime, 10 ms steps over ~2 s): ±10 %.
    expect(use!.cpuMillicores).toBeGreaterThan(180);
    expect(use!.cpuMillicores).toBeLessThan(220);
    // CPU time of the 2 s window per 1,000 of its 4,000 requests: 100 ms. Each edge is one
    // `docker exec` (a stand-in process start, up to ~0.5 s apart on a loaded 2-core machine): ±25 %.
    expect(Math.abs(use!.cpuMsPer1kRequests - 100)).toBeLessThan(25);
    expect(use!.memoryMibPeak).toBe(50);
    const reads = standIns
      .lines()
      .filter((l) => l.startsWith('docker exec meshgate-worker grep -H ^ /proc/uptime'));
    expect(reads).toHaveLength(2);
    expect(reads[0]).toContain(
      '/sys/fs/cgroup/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod8c1f6e2a_4b7d_4f0e_9a43_1c2d3e4f5a6b.slice/cri-containerd-5b1e.scope/cpu.stat',
    );
  } finally {
    standIns.restore();
  }
}, 20_000);

test('ambient counts the same hop as a sidecar: ztunnel on the workload’s nodes only, labelled with what it counts', async () => {
  // ztunnel-w serves the workload's node (server side); ztunnel-l the load node, where the
  // enrolled generators' traffic is encrypted (client side) — as a sidecar variant's generators'
  // own istio-proxy, it is not the data plane under test.
  const series = (pod: string, cpu: number, stamp: number) =>
    `container_cpu_usage_seconds_total{container="istio-proxy",id="/k/${pod}",namespace="istio-system",pod="${pod}"} ${cpu} ${stamp}\n` +
    `container_memory_working_set_bytes{container="istio-proxy",id="/k/${pod}",namespace="istio-system",pod="${pod}"} 1048576 ${stamp}\n`;
  const measure = async (generatorNode: string) => {
    const scraped: string[] = [];
    const kubectl = {
      getJson: async (args: string[]) =>
        args.includes('istio-system')
          ? {
              items: [
                { metadata: { name: 'ztunnel-w' }, spec: { nodeName: 'node-w' } },
                { metadata: { name: 'ztunnel-l' }, spec: { nodeName: 'node-l' } },
              ],
            }
          : {
              items: [
                { metadata: { name: 'sample-head-1' }, spec: { nodeName: 'node-w' } },
                { metadata: { name: 'load-abc-0' }, spec: { nodeName: generatorNode } },
              ],
            },
      raw: async (path: string) => {
        const node = /nodes\/([^/]+)\//.exec(path)![1];
        scraped.push(node);
        const edge = scraped.filter((n) => n === node).length > 1 ? 1 : 0; // a node's first scrape is the start
        const now = Date.now();
        return node === 'node-w'
          ? series('ztunnel-w', 10 + edge * 0.1, now)
          : series('ztunnel-l', 50 + edge * 0.4, now);
      },
    } as unknown as Kubectl;
    const sampler = startProxySampler(kubectl, memoryLogger(), 'mg-ambient', {
      container: 'istio-proxy',
      namespace: 'istio-system',
      podPrefix: 'ztunnel-',
      description: 'ztunnel',
    });
    const now = Date.now();
    sampler.window({ startEpochMs: now + 100, endEpochMs: now + 600 });
    await sleep(800);
    return { use: await sampler.stop(1000), scraped };
  };
  const apart = await measure('node-l');
  expect(new Set(apart.scraped)).toEqual(new Set(['node-w']));
  expect(apart.use!.cpuMsPer1kRequests).toBeCloseTo(100, 0); // 0.1 s of ztunnel-w per 1,000 requests
  expect(apart.use!.source).toContain("ztunnel on the workload's nodes (server side)");
  const shared = await measure('node-w');
  expect(shared.use!.source).toContain('server and client side: generators share the node');
});
