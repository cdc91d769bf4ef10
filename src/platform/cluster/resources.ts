/**
 * Proxy CPU and memory of one variant during one trial: a cAdvisor scrape of every node that
 * hosts the variant's proxies when the trial starts, another when it ends.
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
import type { Kubectl } from '../../system/kubectl.js';
import type { ResourceSampler } from '../types.js';

const METRICS = new Set([CPU_METRIC, MEMORY_METRIC]);

interface PodList {
  items: { metadata: { name: string }; spec?: { nodeName?: string } }[];
}

export function cadvisorPath(node: string): string {
  return `/api/v1/nodes/${encodeURIComponent(node)}/proxy/metrics/cadvisor`;
}

/** Nodes that run pods of `location` in `namespace`. */
async function proxyNodes(kubectl: Kubectl, namespace: string, location: ProxyLocation): Promise<string[]> {
  const pods = await kubectl.getJson<PodList>(['pods', '-n', namespace], { hint: `pods in ${namespace}` });
  const nodes = pods.items
    .filter((pod) => !location.podPrefix || pod.metadata.name.startsWith(location.podPrefix))
    .map((pod) => pod.spec?.nodeName)
    .filter((node): node is string => Boolean(node));
  return [...new Set(nodes)].sort();
}

export function startProxySampler(
  kubectl: Kubectl,
  log: Logger,
  variantNamespace: string,
  location: ProxyLocation,
): ResourceSampler {
  const namespace = location.namespace ?? variantNamespace;
  const filter = { container: location.container, namespace, podPrefix: location.podPrefix };
  let nodes: Promise<string[]> | undefined;
  const scrape = async (): Promise<ContainerUsage & { wallMs: number }> => {
    nodes ??= proxyNodes(kubectl, namespace, location);
    const texts = await Promise.all(
      (await nodes).map((node) => kubectl.raw(cadvisorPath(node), `the kubelet metrics of node ${node}`)),
    );
    const usage = sumUsage(texts.map((text) => containerUsage(parsePrometheusText(text, METRICS), filter)));
    return { ...usage, wallMs: Date.now() };
  };
  const first = scrape();
  first.catch(() => undefined); // reported by stop()
  return {
    async stop(requests: number) {
      try {
        const start = await first;
        const end = await scrape();
        if (end.containers === 0) return undefined;
        return usageBetween(
          start,
          end,
          requests,
          `${location.description} (${end.containers} containers, cAdvisor)`,
        );
      } catch (error) {
        log.warn(`could not measure ${location.description} in ${namespace}: ${errorMessage(error)}`);
        return undefined;
      }
    },
  };
}
