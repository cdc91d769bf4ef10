/**
 * The images a generator pod needs, pulled onto the load nodes before trial 1: a DaemonSet shaped
 * like the generator pod (same image, same mesh labels and annotations, so a meshed variant's
 * injector adds the same proxy, same node selector), waited for with `kubectl rollout status` and
 * deleted again. Without it the first trial's pods pull the Node image (and, for mTLS variants,
 * the proxy image) while the start lead runs out, and its generators start apart.
 *
 * Why a DaemonSet rather than `crictl pull` on the node: it works the same on kind and on any
 * existing cluster (no access to the nodes' container runtime or `docker exec` needed), it lands
 * on every node the generators may use (one pod per matching node, wherever the scheduler would
 * put them), and it pulls what admission adds (an injected sidecar's image), which no list of
 * images written in advance would know. The workload's own images are pulled by its rollout on
 * the workload nodes, which also completes before trial 1.
 */
import type { KubeObject } from '../../../system/kubectl.js';
import { LABEL_RUN } from './objects.js';

/** Named like the generators' Jobs, so that cAdvisor sampling leaves its pods out as it does theirs. */
export const PREPULL_NAME = 'load-prepull';

export interface PrepullOptions {
  namespace: string;
  runId: string;
  nodeImage: string;
  /** The generator pods' labels and annotations (mesh membership). */
  podMeta: { labels: Record<string, string>; annotations: Record<string, string> };
  nodeSelector?: Record<string, string>;
}

export function prepullDaemonSet(options: PrepullOptions): KubeObject {
  const selector = { 'meshgate.dev/prepull': options.runId };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: PREPULL_NAME, namespace: options.namespace, labels: { [LABEL_RUN]: options.runId } },
    spec: {
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels: { ...options.podMeta.labels, [LABEL_RUN]: options.runId, ...selector },
          annotations: { ...options.podMeta.annotations },
        },
        spec: {
          ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'prepull',
              image: options.nodeImage,
              imagePullPolicy: 'IfNotPresent',
              // Stays up until deleted: a DaemonSet's pods restart when they exit.
              command: ['node', '-e', 'setInterval(() => {}, 2 ** 30)'],
              resources: { requests: { cpu: '1m', memory: '16Mi' } },
            },
          ],
        },
      },
    },
  };
}
