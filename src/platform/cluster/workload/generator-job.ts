/**
 * In-cluster load: an indexed Job of `generators` pods, each running meshgate's standalone load
 * generator bundle (dist/loadgen) in a public Node image with its share of the rate and the
 * connections, all starting at one wall-clock time, each printing one LoadTrial JSON line.
 */
import type { LoadJob } from '../../../load/types.js';
import type { KubeObject } from '../../../system/kubectl.js';
import { BUNDLE_MOUNT, LABEL_RUN, bundleVolume, type BundleFile } from './objects.js';

export const GENERATOR_CONTAINER = 'loadgen';

export interface GeneratorJobOptions {
  name: string;
  namespace: string;
  runId: string;
  generators: number;
  /** The whole trial's job; each pod gets 1/generators of the rate and connections. */
  job: LoadJob;
  nodeImage: string;
  bundleFiles: readonly BundleFile[];
  /** Labels and annotations that keep the pods out of the mesh (or in it, for mTLS). */
  podMeta: { labels: Record<string, string>; annotations: Record<string, string> };
  nodeSelector?: Record<string, string>;
  /** Seconds after which Kubernetes stops the Job whatever happens. */
  activeDeadlineS: number;
}

/** One generator's share of a job: rate split exactly, connections rounded up, threads ≤ connections. */
export function generatorShare(job: LoadJob, generators: number): LoadJob {
  const connections = Math.max(1, Math.ceil(job.connections / generators));
  return {
    ...job,
    rps: job.rps / generators,
    connections,
    threads: Math.max(1, Math.min(job.threads, connections)),
  };
}

export function generatorJob(options: GeneratorJobOptions): KubeObject {
  const { volume, mount } = bundleVolume(options.bundleFiles);
  const share = generatorShare(options.job, options.generators);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: options.name, namespace: options.namespace, labels: { [LABEL_RUN]: options.runId } },
    spec: {
      completionMode: 'Indexed',
      completions: options.generators,
      parallelism: options.generators,
      backoffLimit: 0,
      activeDeadlineSeconds: options.activeDeadlineS,
      template: {
        metadata: {
          labels: { [LABEL_RUN]: options.runId, 'meshgate.dev/job': options.name, ...options.podMeta.labels },
          annotations: { ...options.podMeta.annotations },
        },
        spec: {
          restartPolicy: 'Never',
          ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
          // Spread generators over the load nodes when there are several.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { 'meshgate.dev/job': options.name } },
            },
          ],
          containers: [
            {
              name: GENERATOR_CONTAINER,
              image: options.nodeImage,
              imagePullPolicy: 'IfNotPresent',
              command: ['node', `${BUNDLE_MOUNT}/loadgen/index.js`],
              env: [{ name: 'MESHGATE_JOB', value: JSON.stringify(share) }],
              volumeMounts: [mount],
            },
          ],
          volumes: [volume],
        },
      },
    },
  };
}
