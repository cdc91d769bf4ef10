/**
 * Proxy CPU and memory of one variant during one trial: a cAdvisor scrape of every node that
 * hosts the variant's proxies at each edge of the trial's measured window (after the warm-up,
 * and when the measured part ends), so that the CPU is that of the requests the trial counts —
 * not of the start lead, the warm-up or the Job's teardown. The window is known only once the
 * trial's generator Job is planned (its common start time); the session hands it over then.
 */
import { errorMessage } from '../../errors.js';
import type { ProxyLocation } from './meshes/types.js';
import type { Logger } from '../../util/log.js';
import {
  CPU_METRIC,
  MEMORY_METRIC,
  containerUsage,
  parsePrometheusText,
  sumUsage,
  usageBetween,
  type ContainerUsage,
  type PromSample,
} from './cadvisor.js';
import { GENERATOR_POD_PREFIX, type MeasuredWindow } from './generators.js';
import type { Kubectl } from '../../system/kubectl.js';
import { run } from '../../system/run-command.js';
import type { ResourceSampler } from '../types.js';

const METRICS = new Set([CPU_METRIC, MEMORY_METRIC]);

export interface PodList {
  items: {
    metadata: { name: string; uid?: string };
    spec?: { nodeName?: string };
    status?: { containerStatuses?: { name: string; containerID?: string }[] };
  }[];
}

export function cadvisorPath(node: string): string {
  return `/api/v1/nodes/${encodeURIComponent(node)}/proxy/metrics/cadvisor`;
}

/**
 * Where containers' CPU and memory are read from:
 * - `cgroup` (kind): the nodes are Docker containers on this machine, so each pod container's
 *   cgroup files are read in the node (`docker exec NODE grep -H ^ /proc/uptime …/cpu.stat
 *   …/memory.current`) at the moment asked — exactly at the window's edges, with the kernel's
 *   uptime from the same read as the clock.
 * - `cadvisor` (kubernetes): the kubelet's /metrics/cadvisor, which serves cAdvisor's cache
 *   (housekeeping every 10 s, up to 15 s; read with Count: 1, no refresh): each sample carries
 *   the time it was taken, and a trial whose samples are not near its window is not used.
 */
export type UsageSourceKind = 'cgroup' | 'cadvisor';

/** Reads the containers of the selected pods, per node, as Prometheus-like samples. */
export interface NodeReader {
  nodes(): Promise<string[]>;
  read(node: string): Promise<PromSample[]>;
  /** Find what is to be read (pods, paths) ahead of the first read, so that the reads land on the edges. */
  warm?(): Promise<void>;
}

export function cadvisorReader(kubectl: Kubectl, nodes: () => Promise<string[]>): NodeReader {
  return {
    nodes,
    read: async (node) =>
      parsePrometheusText(
        await kubectl.raw(cadvisorPath(node), `the kubelet metrics of node ${node}`),
        METRICS,
      ),
  };
}

/** kind's kubelet: cgroupDriver systemd, cgroupRoot /kubelet (cgroup v2 inside the node container). */
export const KIND_POD_CGROUPS = '/sys/fs/cgroup/kubelet.slice';
const CONTAINER_ID = /^containerd:\/\/([0-9a-f]{1,64})$/;

interface CgroupContainer {
  namespace: string;
  pod: string;
  container: string;
  id: string;
}

/**
 * The pods' containers' cgroup files, read in their kind node. Which containers: those of the
 * pods `pods()` returns (their containerd ids from the API); their cgroup directories are found
 * once per node by id (`find … -name cri-containerd-<id>.scope`), whatever QoS slice they are in.
 * Only kind's nodes are containers this machine can exec into; a real cluster's cannot.
 */
export function cgroupReader(
  namespace: string,
  pods: () => Promise<PodList['items']>,
  docker = 'docker',
): NodeReader {
  let byNode: Promise<Map<string, CgroupContainer[]>> | undefined;
  const paths = new Map<string, Promise<Map<string, string>>>();
  const containers = () =>
    (byNode ??= pods().then((items) => {
      const map = new Map<string, CgroupContainer[]>();
      for (const pod of items) {
        const node = pod.spec?.nodeName;
        if (!node) continue;
        for (const status of pod.status?.containerStatuses ?? []) {
          const id = CONTAINER_ID.exec(status.containerID ?? '')?.[1];
          if (id)
            map.set(node, [
              ...(map.get(node) ?? []),
              { namespace, pod: pod.metadata.name, container: status.name, id },
            ]);
        }
      }
      return map;
    }));
  const exec = async (node: string, args: string[]) => {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(node))
      throw new Error(`node name "${node}" is not a kind node container`);
    const result = await run(docker, ['exec', node, ...args], { timeoutMs: 30_000 });
    if (result.exitCode !== 0)
      throw new Error(
        `\`docker exec ${node} ${args[0]}\` failed (exit ${result.exitCode}): ${result.stderr.trim().slice(0, 300)}`,
      );
    return result.stdout;
  };
  const pathsOn = (node: string, list: CgroupContainer[]) => {
    let found = paths.get(node);
    if (!found) {
      const names = list.flatMap((c, i) => [
        ...(i > 0 ? ['-o'] : []),
        '-name',
        `cri-containerd-${c.id}.scope`,
      ]);
      found = exec(node, ['find', KIND_POD_CGROUPS, '-type', 'd', '(', ...names, ')']).then((out) => {
        const map = new Map<string, string>();
        for (const line of out.split('\n')) {
          const id = /\/cri-containerd-([0-9a-f]+)\.scope$/.exec(line.trim())?.[1];
          if (id) map.set(id, line.trim());
        }
        return map;
      });
      paths.set(node, found);
    }
    return found;
  };
  return {
    nodes: async () => [...(await containers()).keys()].sort(),
    async warm() {
      for (const [node, list] of await containers()) await pathsOn(node, list);
    },
    async read(node) {
      const list = (await containers()).get(node) ?? [];
      if (list.length === 0) return [];
      const dirs = await pathsOn(node, list);
      const present = list.filter((c) => dirs.has(c.id));
      const files = present.flatMap((c) => [
        `${dirs.get(c.id)}/cpu.stat`,
        `${dirs.get(c.id)}/memory.current`,
      ]);
      const out = await exec(node, ['grep', '-H', '^', '/proc/uptime', ...files]);
      const lines = out.split('\n');
      const value = (file: string, prefix = '') => {
        const line = lines.find((l) => l.startsWith(`${file}:${prefix}`));
        return line === undefined
          ? undefined
          : Number(line.slice(file.length + 1 + prefix.length).split(' ')[0]);
      };
      const uptimeS = value('/proc/uptime');
      if (uptimeS === undefined || !Number.isFinite(uptimeS))
        throw new Error(`no /proc/uptime from node ${node}`);
      const samples: PromSample[] = [];
      for (const c of present) {
        const dir = dirs.get(c.id)!;
        const labels = { namespace: c.namespace, pod: c.pod, container: c.container, id: dir };
        const usec = value(`${dir}/cpu.stat`, 'usage_usec ');
        const bytes = value(`${dir}/memory.current`);
        if (usec !== undefined)
          samples.push({ name: CPU_METRIC, labels, value: usec / 1e6, timestampMs: uptimeS * 1000 });
        if (bytes !== undefined) samples.push({ name: MEMORY_METRIC, labels, value: bytes });
      }
      return samples;
    },
  };
}

/** Pods of `namespace` that are not load generators, optionally only those starting with `prefix`. */
async function podsOf(kubectl: Kubectl, namespace: string, prefix?: string): Promise<PodList['items']> {
  const pods = await kubectl.getJson<PodList>(['pods', '-n', namespace], { hint: `pods in ${namespace}` });
  return pods.items
    .filter((pod) => !prefix || pod.metadata.name.startsWith(prefix))
    .filter((pod) => !pod.metadata.name.startsWith(GENERATOR_POD_PREFIX));
}

const nodesOf = (pods: PodList['items']) =>
  [...new Set(pods.map((pod) => pod.spec?.nodeName).filter((node): node is string => Boolean(node)))].sort();

/** The measured part of a trial, in wall-clock ms since the epoch. */
export type { MeasuredWindow };

/** A sampler that scrapes at the edges of the window it is given (again for a repeated trial). */
export interface WindowSampler extends ResourceSampler {
  window(window: MeasuredWindow): void;
}

type Scrape = ContainerUsage & { wallMs: number };

/**
 * How far cAdvisor's samples are from the window's edges (ms; positive: before the edge). A
 * sample more than max(1 s, 10 % of the window) from its edge measured another span: the kubelet
 * served its cache (10–15 s housekeeping), not the window.
 */
export function cadvisorStaleness(
  start: Pick<ContainerUsage, 'timestampMs'>,
  end: Pick<ContainerUsage, 'timestampMs'>,
  window: MeasuredWindow,
): { startLagMs: number; endLagMs: number; stale: boolean } | undefined {
  if (start.timestampMs === undefined || end.timestampMs === undefined) return undefined;
  const startLagMs = window.startEpochMs - start.timestampMs;
  const endLagMs = window.endEpochMs - end.timestampMs;
  const tolerance = Math.max(1000, 0.1 * (window.endEpochMs - window.startEpochMs));
  const stale =
    Math.abs(startLagMs) > tolerance ||
    Math.abs(endLagMs) > tolerance ||
    end.timestampMs <= start.timestampMs;
  return { startLagMs, endLagMs, stale };
}

export function startProxySampler(
  kubectl: Kubectl,
  log: Logger,
  variantNamespace: string,
  location: ProxyLocation,
  source: UsageSourceKind = 'cadvisor',
): WindowSampler {
  const namespace = location.namespace ?? variantNamespace;
  // The workload's proxies only: generator pods that join the mesh (mTLS variants) carry a proxy
  // of the same name, whose CPU is the client's, not the data plane's under test.
  const filter = {
    container: location.container,
    namespace,
    podPrefix: location.podPrefix,
    excludePodPrefix: GENERATOR_POD_PREFIX,
  };
  // Node proxies (ztunnel) serve every pod of their node: only those on the nodes of the
  // variant's workload count, the server side — as a sidecar variant counts its workload's
  // proxies and not the generators'. Generators on the same node (no node selectors) make the
  // figure include the client side too; the label says so.
  const nodeProxy = location.namespace !== undefined && location.namespace !== variantNamespace;
  let shared = false;
  const proxyPods = async () => {
    const pods = await podsOf(kubectl, namespace, location.podPrefix);
    if (!nodeProxy) return pods;
    const all = await kubectl.getJson<PodList>(['pods', '-n', variantNamespace], {
      hint: `pods in ${variantNamespace}`,
    });
    const workloadNodes = new Set(
      nodesOf(all.items.filter((p) => !p.metadata.name.startsWith(GENERATOR_POD_PREFIX))),
    );
    shared = all.items.some(
      (p) => p.metadata.name.startsWith(GENERATOR_POD_PREFIX) && workloadNodes.has(p.spec?.nodeName ?? ''),
    );
    return pods.filter((pod) => workloadNodes.has(pod.spec?.nodeName ?? ''));
  };
  let selected: Promise<PodList['items']> | undefined;
  const pods = () => (selected ??= proxyPods());
  const reader =
    source === 'cgroup'
      ? cgroupReader(namespace, pods)
      : cadvisorReader(kubectl, async () => nodesOf(await pods()));
  const scrape = async (): Promise<Scrape> => {
    const samples = await Promise.all((await reader.nodes()).map((node) => reader.read(node)));
    const usage = sumUsage(samples.map((list) => containerUsage(list, filter)));
    return { ...usage, wallMs: Date.now() };
  };
  const what = () =>
    nodeProxy
      ? `${location.description} on the workload's nodes (${shared ? 'server and client side: generators share the node' : 'server side'})`
      : `${location.description} of the workload's pods (server side)`;
  let measured: MeasuredWindow | undefined;
  let edges: { start?: Promise<Scrape>; end?: Promise<Scrape>; timers: NodeJS.Timeout[] } | undefined;
  const at = (epochMs: number, then: () => void) => {
    const timer = setTimeout(then, Math.max(0, epochMs - Date.now()));
    timer.unref(); // a trial that never ends must not keep meshgate alive
    return timer;
  };
  const take = () => {
    const promise = scrape();
    promise.catch(() => undefined); // reported by stop()
    return promise;
  };
  return {
    window(window: MeasuredWindow) {
      for (const timer of edges?.timers ?? []) clearTimeout(timer);
      measured = window;
      // Pods and cgroup paths are looked up now, so that the edges cost one read each.
      reader.warm?.().catch(() => undefined);
      const next: NonNullable<typeof edges> = { timers: [] };
      next.timers.push(at(window.startEpochMs, () => (next.start = take())));
      next.timers.push(at(window.endEpochMs, () => (next.end = take())));
      edges = next;
    },
    async stop(requests: number) {
      const current = edges;
      edges = undefined;
      if (!current) return undefined;
      for (const timer of current.timers) clearTimeout(timer);
      // The trial's Job ends after its window; an edge not reached yet (clocks apart) is taken now,
      // start before end: two scrapes at once would race and may read the same totals.
      current.start ??= take();
      if (!current.end) {
        await current.start.catch(() => undefined);
        current.end = take();
      }
      try {
        const start = await current.start;
        const end = await current.end;
        if (end.containers === 0) return undefined;
        if (source === 'cgroup')
          return usageBetween(
            start,
            end,
            requests,
            `${what()} (${end.containers} containers, cgroup files at the measured window's edges)`,
          );
        const staleness = measured && cadvisorStaleness(start, end, measured);
        if (!staleness || staleness.stale) {
          const how = staleness
            ? `its samples were taken ${(staleness.startLagMs / 1000).toFixed(1)} s before the window's start and ${(staleness.endLagMs / 1000).toFixed(1)} s before its end`
            : 'its samples carry no timestamps';
          log.warn(
            `${location.description} in ${namespace}: CPU and memory of this trial not used (nor gated): the kubelet serves cAdvisor's cache (housekeeping every 10–15 s) and ${how}`,
          );
          return undefined;
        }
        const lag = Math.max(Math.abs(staleness.startLagMs), Math.abs(staleness.endLagMs)) / 1000;
        return usageBetween(
          start,
          end,
          requests,
          `${what()} (${end.containers} containers, cAdvisor samples within ${lag.toFixed(1)} s of the window's edges)`,
        );
      } catch (error) {
        log.warn(`could not measure ${location.description} in ${namespace}: ${errorMessage(error)}`);
        return undefined;
      }
    },
  };
}
