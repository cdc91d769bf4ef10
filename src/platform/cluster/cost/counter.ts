/**
 * Instructions per request of a cluster's data plane (profile `cost` on platform kind), counted
 * with perf where the runner has a hardware counter. No separate batches: each trial's measured
 * window is a batch. At the window's start the variant's proxy containers are found on this host
 * (pod UID → cgroup → PIDs, pod-cgroups.ts) and `perf stat -e instructions:u -p …` starts; at its
 * end SIGINT stops it; the count over the trial's requests in that window is the batch. Trials run
 * interleaved base/head, so batches pair in run order as the local cost phase's do. After the
 * trials, one idle window of a trial's length (no load, every counted variant at once) gives
 * what the proxies execute without requests (health checks, xDS, timers), subtracted per batch.
 * A window that cannot be counted (a proxy restarted, perf failed) is left out with a warning;
 * the trial itself is kept.
 *
 * Only an arm64 GitHub runner (vPMU: `perf stat -e instructions:u` counts) with kind exercises
 * this for real. On x64 hosted runners and here the probe refuses, and the verdict says so in one
 * row; the tests run it against a stand-in perf and a cgroup tree in a temporary directory.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SetupError, errorMessage } from '../../../errors.js';
import type { CostSpec } from '../../../profile/types.js';
import type { VariantCost } from '../../../results/schema.js';
import type { Logger } from '../../../util/log.js';
import { probePerf } from '../../perf-probe.js';
import { GENERATOR_POD_PREFIX } from '../generators.js';
import type { ProxyLocation } from '../meshes/types.js';
import type { MeasuredWindow } from '../resources.js';
import { CgroupLookupError, containerPids, HOST_CGROUP_ROOT, type PodContainer } from './pod-cgroups.js';
import {
  parsePerfStatCsv,
  perfCommand,
  startPerfStat,
  type PerfStatResult,
  type PerfStatSession,
} from './perf-stat.js';
import { run } from '../../../system/run-command.js';

/** The fields of `kubectl get pods -o json` the lookup reads. */
export interface PodItems {
  items: {
    metadata: { name: string; uid?: string };
    spec?: { nodeName?: string };
    status?: {
      containerStatuses?: { name: string; containerID?: string }[];
      /** Native sidecars (Istio on Kubernetes ≥ 1.29) are init containers that keep running. */
      initContainerStatuses?: { name: string; containerID?: string }[];
    };
  }[];
}

export type ListPods = (namespace: string) => Promise<PodItems>;

/** Where a variant's data plane runs: its namespace and the mesh's proxy location. */
export interface CountedProxy {
  namespace: string;
  location: ProxyLocation;
}

/**
 * The proxy containers of a variant: its workload's sidecars, or the node proxies (ztunnel) on
 * the nodes of its workload — never the load generators' own proxies.
 */
export async function proxyContainers(listPods: ListPods, proxy: CountedProxy): Promise<PodContainer[]> {
  const { location } = proxy;
  const namespace = location.namespace ?? proxy.namespace;
  const notGenerator = (name: string) => !name.startsWith(GENERATOR_POD_PREFIX);
  let pods = (await listPods(namespace)).items.filter(
    (pod) =>
      notGenerator(pod.metadata.name) &&
      (!location.podPrefix || pod.metadata.name.startsWith(location.podPrefix)),
  );
  if (namespace !== proxy.namespace) {
    const workload = (await listPods(proxy.namespace)).items.filter((pod) => notGenerator(pod.metadata.name));
    const nodes = new Set(workload.map((pod) => pod.spec?.nodeName).filter(Boolean));
    pods = pods.filter((pod) => nodes.has(pod.spec?.nodeName));
  }
  return pods.flatMap((pod) =>
    [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]
      .filter((status) => status.name === location.container)
      .map((status) => ({
        pod: `${namespace}/${pod.metadata.name}`,
        uid: pod.metadata.uid ?? '',
        container: status.name,
        containerID: status.containerID,
      })),
  );
}

/**
 * Whether perf, run as the counter runs it (perfCommand), may attach to another user's process:
 * PID 1 (root's init) for 0.1 s. Undefined when it may.
 */
async function attachProblem(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const [program, ...prefix] = perfCommand();
  const result = await run(
    program,
    [...prefix, 'stat', '-e', 'instructions:u', '-x', ',', '-p', '1', '--', 'sleep', '0.1'],
    { timeoutMs: 30_000, env },
  ).catch((error: unknown) => ({ exitCode: -1, stderr: errorMessage(error) }));
  const parsed = parsePerfStatCsv(result.stderr);
  if ('count' in parsed) return undefined;
  const said = result.stderr.trim().split('\n')[0]?.slice(0, 200) ?? '';
  return `perf may not attach to other users' processes (the proxies'): \`${[program, ...prefix].join(' ')} stat -p 1\` says "${said}"; run meshgate as root, or where \`sudo -n\` works`;
}

/**
 * perf's version where the cluster's proxies can be counted, or the one line that says why not.
 * `cost.method perf` where perf cannot count is a set-up error, as on platform local.
 */
export async function clusterCostMethod(
  spec: CostSpec,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ tool: string } | { unavailable: string }> {
  if (spec.method === 'callgrind')
    return {
      unavailable:
        "cost.method callgrind counts local processes only: a cluster's proxies run in their pods, not under Valgrind (cost.method auto counts them with perf where the runner has a hardware counter)",
    };
  const probe = await probePerf(env);
  const why = probe.available
    ? await attachProblem(env)
    : `perf cannot count instructions:u on this runner (${probe.detail}); only a runner with a hardware counter (GitHub's arm64 runners) counts the cluster's proxies`;
  if (!why) return { tool: probe.detail };
  if (spec.method === 'perf')
    throw new SetupError(`cost.method perf: ${why}; use cost.method auto, or remove cost`);
  return { unavailable: why };
}

interface Window {
  window: MeasuredWindow;
  timers: NodeJS.Timeout[];
  /** The PIDs, looked up ahead of the start edge. */
  pids: Promise<number[]>;
  session?: PerfStatSession | { problem: string };
  result?: Promise<PerfStatResult>;
}

export interface ClusterCostOptions {
  tool: string;
  log: Logger;
  listPods: ListPods;
  /** Default /sys/fs/cgroup. */
  cgroupRoot?: string;
  /** Environment of the perf processes (PATH finds perf). */
  env?: NodeJS.ProcessEnv;
}

export class ClusterCostCounter {
  private readonly proxies = new Map<string, CountedProxy>();
  private readonly costs = new Map<string, VariantCost>();
  private readonly windows = new Map<string, Window>();
  private readonly windowLengths: number[] = [];
  private sequence = 0;
  /** The last reason a window or the idle window was not counted. */
  private lastProblem?: string;
  /** Set when the proxies are not on this machine (a kubernetes cluster elsewhere): no more lookups. */
  private elsewhere?: string;

  constructor(private readonly options: ClusterCostOptions) {}

  /** Count `variantId`'s proxies in its trials' windows from now on. */
  track(variantId: string, proxy: CountedProxy): void {
    this.proxies.set(variantId, proxy);
  }

  tracks(variantId: string): boolean {
    return this.proxies.has(variantId);
  }

  private async pids(proxy: CountedProxy): Promise<number[]> {
    const containers = await proxyContainers(this.options.listPods, proxy);
    if (containers.length === 0)
      throw new Error(`no ${proxy.location.container} container found for ${proxy.namespace}`);
    const found = await containerPids(this.options.cgroupRoot ?? HOST_CGROUP_ROOT, containers);
    const pids = [...new Set(found.flatMap((f) => f.pids))];
    if (pids.length === 0) throw new Error(`the ${proxy.location.container} containers have no processes`);
    return pids;
  }

  private start(pids: number[]): PerfStatSession | { problem: string } {
    try {
      return startPerfStat(pids, { env: this.options.env });
    } catch (error) {
      return { problem: errorMessage(error) };
    }
  }

  private static end(session: Window['session']): Promise<PerfStatResult> {
    if (!session) return Promise.resolve({ problem: "the window's start was never reached" });
    return 'problem' in session ? Promise.resolve(session) : session.stop();
  }

  /** A trial of `variantId` will measure `window` (a repeated trial replaces the window before). */
  window(variantId: string, window: MeasuredWindow): void {
    const proxy = this.proxies.get(variantId);
    if (!proxy || this.elsewhere) return;
    this.discard(variantId);
    const pids = this.pids(proxy);
    pids.catch(() => undefined); // reported when the window is stopped
    const current: Window = { window, timers: [], pids };
    const at = (epochMs: number, then: () => void) => {
      const timer = setTimeout(then, Math.max(0, epochMs - Date.now()));
      timer.unref();
      current.timers.push(timer);
    };
    at(window.startEpochMs, () => {
      void pids.then(
        (list) => {
          if (this.windows.get(variantId) === current && !current.result) current.session = this.start(list);
        },
        (error: unknown) => (current.session = { problem: errorMessage(error) }),
      );
    });
    at(window.endEpochMs, () => (current.result ??= ClusterCostCounter.end(current.session)));
    this.windows.set(variantId, current);
  }

  /** After the trial: its window's count, over `requests`, becomes one batch (or a warning). */
  async stop(variantId: string, requests: number): Promise<void> {
    const current = this.windows.get(variantId);
    if (!current) return;
    this.windows.delete(variantId);
    for (const timer of current.timers) clearTimeout(timer);
    // A failed lookup is the reason, even when the window's start was not reached.
    const lookup = await current.pids.then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof CgroupLookupError && error.elsewhere && this.costs.size === 0) {
          this.elsewhere = error.message;
          this.options.log.warn(
            `cost: not counted: ${error.message}; perf counts processes of this machine only`,
          );
        }
        return { problem: errorMessage(error) };
      },
    );
    const ended = await (current.result ??= ClusterCostCounter.end(current.session));
    const result = lookup ?? ended;
    const proxy = this.proxies.get(variantId)!;
    if ('problem' in result || requests <= 0) {
      this.lastProblem = 'problem' in result ? result.problem : 'a window without requests';
      this.options.log.warn(
        `cost: ${variantId}: this trial's window is not counted (${'problem' in result ? result.problem : 'no requests'}); its latency and CPU are kept`,
      );
      return;
    }
    const durationMs = current.window.endEpochMs - current.window.startEpochMs;
    this.windowLengths.push(durationMs);
    let cost = this.costs.get(variantId);
    if (!cost) {
      cost = {
        method: 'perf',
        tool: this.options.tool,
        components: [proxy.location.description.slice(0, 100)],
        idle: { windowMs: 1, instructions: [] },
        batches: [],
        wallS: 0,
      };
      this.costs.set(variantId, cost);
    }
    cost.batches.push({ sequence: this.sequence++, requests, durationMs, instructions: [result.count] });
    this.options.log.debug(
      `cost: ${variantId}: ${Math.round(result.count / requests)} instructions per request over ${requests} requests (perf)`,
    );
  }

  /** Stop a window's perf without using it. */
  private discard(variantId: string): void {
    const current = this.windows.get(variantId);
    if (!current) return;
    this.windows.delete(variantId);
    for (const timer of current.timers) clearTimeout(timer);
    void current.pids.then(
      () => (current.result ??= ClusterCostCounter.end(current.session)),
      () => undefined,
    );
  }

  /**
   * After the trials: one idle window as long as the trials' (their median), all counted variants
   * at once, then each variant's cost. A variant whose idle window could not be counted keeps no
   * cost (its batches could not be corrected): a warning says so.
   */
  async finish(signal: AbortSignal): Promise<Map<string, VariantCost>> {
    for (const id of [...this.windows.keys()]) this.discard(id);
    const counted = [...this.costs.keys()];
    if (counted.length === 0) return new Map();
    const lengths = [...this.windowLengths].sort((a, b) => a - b);
    const windowMs = Math.max(200, lengths[Math.floor(lengths.length / 2)]);
    this.options.log.info(
      `cost: an idle window of ${(windowMs / 1000).toFixed(1)} s (no load) for ${counted.join(', ')}`,
    );
    const sessions = await Promise.all(
      counted.map(async (id) => {
        try {
          return this.start(await this.pids(this.proxies.get(id)!));
        } catch (error) {
          return { problem: errorMessage(error) };
        }
      }),
    );
    let results: PerfStatResult[];
    try {
      await sleep(windowMs, undefined, { signal });
    } finally {
      // Ends every perf, even when cancelled.
      results = await Promise.all(sessions.map((s) => ClusterCostCounter.end(s)));
    }
    const out = new Map<string, VariantCost>();
    for (const [i, id] of counted.entries()) {
      const result = results[i];
      if ('problem' in result) {
        this.lastProblem = `idle window: ${result.problem}`;
        this.options.log.warn(
          `cost: ${id}: the idle window could not be counted (${result.problem}); no cost for ${id}`,
        );
        continue;
      }
      // The counting itself ran inside the trials: the idle window is all the time it added.
      out.set(id, {
        ...this.costs.get(id)!,
        idle: { windowMs, instructions: [result.count] },
        wallS: windowMs / 1000,
      });
    }
    return out;
  }

  /** Why nothing was counted, when nothing was (after finish). */
  whyNothing(finished: ReadonlyMap<string, VariantCost>): string | undefined {
    if (finished.size > 0) return undefined;
    if (this.proxies.size === 0) return 'no variant runs a mesh proxy (mesh none only)';
    if (this.elsewhere) return `${this.elsewhere}; perf counts processes of this machine only`;
    return `no trial window could be counted (last: ${this.lastProblem ?? 'no trial ran'})`;
  }

  /** Stop every perf still running (cleanup, failures). */
  close(): void {
    for (const id of [...this.windows.keys()]) this.discard(id);
  }
}
