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
} from './cadvisor.js';
import { GENERATOR_POD_PREFIX } from './generators.js';
import type { Kubectl } from '../../system/kubectl.js';
import type { ResourceSampler } from '../types.js';

const METRICS = new Set([CPU_METRIC, MEMORY_METRIC]);

interface PodList {
  items: { metadata: { name: string }; spec?: { nodeName?: string } }[];
}

export function cadvisorPath(node: string): string {
  return `/api/v1/nodes/${encodeURIComponent(node)}/proxy/metrics/cadvisor`;
}

/** Nodes that run pods of `location` in `namespace` (the generators' nodes are not scraped for their own pods). */
async function proxyNodes(kubectl: Kubectl, namespace: string, location: ProxyLocation): Promise<string[]> {
  const pods = await kubectl.getJson<PodList>(['pods', '-n', namespace], { hint: `pods in ${namespace}` });
  const nodes = pods.items
    .filter((pod) => !location.podPrefix || pod.metadata.name.startsWith(location.podPrefix))
    .filter((pod) => !pod.metadata.name.startsWith(GENERATOR_POD_PREFIX))
    .map((pod) => pod.spec?.nodeName)
    .filter((node): node is string => Boolean(node));
  return [...new Set(nodes)].sort();
}

/** The measured part of a trial, in wall-clock ms since the epoch. */
export interface MeasuredWindow {
  startEpochMs: number;
  endEpochMs: number;
}

/** A sampler that scrapes at the edges of the window it is given (again for a repeated trial). */
export interface WindowSampler extends ResourceSampler {
  window(window: MeasuredWindow): void;
}

type Scrape = ContainerUsage & { wallMs: number };

export function startProxySampler(
  kubectl: Kubectl,
  log: Logger,
  variantNamespace: string,
  location: ProxyLocation,
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
  let nodes: Promise<string[]> | undefined;
  const scrape = async (): Promise<Scrape> => {
    nodes ??= proxyNodes(kubectl, namespace, location);
    const texts = await Promise.all(
      (await nodes).map((node) => kubectl.raw(cadvisorPath(node), `the kubelet metrics of node ${node}`)),
    );
    const usage = sumUsage(texts.map((text) => containerUsage(parsePrometheusText(text, METRICS), filter)));
    return { ...usage, wallMs: Date.now() };
  };
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
        return usageBetween(
          start,
          end,
          requests,
          `${location.description} (${end.containers} containers, cAdvisor, measured window)`,
        );
      } catch (error) {
        log.warn(`could not measure ${location.description} in ${namespace}: ${errorMessage(error)}`);
        return undefined;
      }
    },
  };
}
