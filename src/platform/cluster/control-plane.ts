/**
 * The mesh's control plane (istiod, linkerd-destination, linkerd-proxy-injector …) during one
 * trial: every node that runs its pods is scraped (the kubelet's cAdvisor, as for the data plane)
 * when the trial starts and when it ends, and each component's CPU and memory is the difference,
 * per series, between the two. A control plane serves every namespace of the cluster, so its
 * figures belong to the trial's time, not to one variant alone; they are reported, not gated.
 */
import { errorMessage } from '../../errors.js';
import type { ControlPlaneUse } from '../../results/schema.js';
import type { Kubectl } from '../../system/kubectl.js';
import type { Logger } from '../../util/log.js';
import type { ResourceSampler } from '../types.js';
import { podGroupUsage, usageBetween, type PromSample } from './cadvisor.js';
import type { ControlPlane } from './meshes/types.js';
import { cadvisorReader, cgroupReader, type PodList, type UsageSourceKind } from './resources.js';

interface Scrape {
  samples: PromSample[];
  wallMs: number;
}

/** Per component, the use between two scrapes; components with no container in the end scrape are left out. */
export function controlPlaneUse(
  controlPlane: ControlPlane,
  first: Scrape,
  second: Scrape,
): ControlPlaneUse[] {
  const uses: ControlPlaneUse[] = [];
  for (const component of controlPlane.components) {
    const filter = { namespace: controlPlane.namespace, podPrefix: component.podPrefix };
    const start = { ...podGroupUsage(first.samples, filter), wallMs: first.wallMs };
    const end = { ...podGroupUsage(second.samples, filter), wallMs: second.wallMs };
    if (end.containers === 0) continue;
    const use = usageBetween(start, end, 0, component.name);
    uses.push({
      component: component.name,
      namespace: controlPlane.namespace,
      pods: end.pods,
      cpuMillicores: use.cpuMillicores,
      memoryMibMean: use.memoryMibMean,
      memoryMibPeak: use.memoryMibPeak,
    });
  }
  return uses;
}

export interface ControlPlaneSampler {
  stop(): Promise<ControlPlaneUse[] | undefined>;
}

/**
 * On kind the components' cgroup files (read when the sampler starts and stops); on kubernetes
 * the kubelet's cAdvisor cache, whose samples' own timestamps give the interval (10–15 s
 * housekeeping: the figures cover that span, which may start before the trial or end before it).
 */
export function startControlPlaneSampler(
  kubectl: Kubectl,
  log: Logger,
  controlPlane: ControlPlane,
  source: UsageSourceKind = 'cadvisor',
): ControlPlaneSampler {
  let pods: Promise<PodList['items']> | undefined;
  const ours = () =>
    (pods ??= kubectl
      .getJson<PodList>(['pods', '-n', controlPlane.namespace], { hint: `pods in ${controlPlane.namespace}` })
      .then((list) =>
        list.items.filter((pod) =>
          controlPlane.components.some((c) => pod.metadata.name.startsWith(c.podPrefix)),
        ),
      ));
  const nodes = async () =>
    [
      ...new Set(
        (await ours()).map((pod) => pod.spec?.nodeName).filter((node): node is string => Boolean(node)),
      ),
    ].sort();
  const reader =
    source === 'cgroup' ? cgroupReader(controlPlane.namespace, ours) : cadvisorReader(kubectl, nodes);
  const scrape = async (): Promise<Scrape> => {
    const samples = await Promise.all((await reader.nodes()).map((node) => reader.read(node)));
    return { samples: samples.flat(), wallMs: Date.now() };
  };
  const first = scrape();
  first.catch(() => undefined); // reported by stop()
  return {
    async stop() {
      try {
        const start = await first;
        return controlPlaneUse(controlPlane, start, await scrape());
      } catch (error) {
        log.warn(`could not measure the control plane in ${controlPlane.namespace}: ${errorMessage(error)}`);
        return undefined;
      }
    },
  };
}

/** The data plane's sampler, with the control plane's figures taken over the same trial. */
export function withControlPlane(
  proxies: ResourceSampler,
  controlPlane: ControlPlaneSampler,
): ResourceSampler {
  let measured: ControlPlaneUse[] | undefined;
  return {
    async stop(requests) {
      const [use, plane] = await Promise.all([proxies.stop(requests), controlPlane.stop()]);
      measured = plane;
      return use;
    },
    controlPlane: () => measured,
  };
}
