/**
 * The built-in sample server on a cluster: meshgate's own sample-server bundle (the one the local
 * platform runs) in a public Node image, so that delays mean the same on every platform.
 */
import type { BuildSpec } from '../../../profile/types.js';
import {
  BUNDLE_MOUNT,
  bundleVolume,
  singleServiceWorkload,
  type BundleFile,
  type WorkloadPlan,
} from './objects.js';

export const SAMPLE_PORT = 8080;

export interface SampleOptions {
  namespace: string;
  build: string;
  spec: Extract<BuildSpec, { kind: 'sample' }>;
  nodeImage: string;
  bundleFiles: readonly BundleFile[];
  nodeSelector?: Record<string, string>;
}

export function sampleWorkload(options: SampleOptions): WorkloadPlan {
  const { volume, mount } = bundleVolume(options.bundleFiles);
  const args = [
    `${BUNDLE_MOUNT}/sample-server/index.js`,
    ...['--host', '0.0.0.0', '--port', String(SAMPLE_PORT)],
    ...['--delay-ms', String(options.spec.delayMs), '--jitter-ms', String(options.spec.jitterMs)],
    ...['--response-bytes', String(options.spec.responseBytes)],
    ...(options.spec.concurrency !== undefined ? ['--concurrency', String(options.spec.concurrency)] : []),
  ];
  return singleServiceWorkload({
    name: `sample-${options.build}`,
    namespace: options.namespace,
    port: SAMPLE_PORT,
    nodeSelector: options.nodeSelector,
    container: {
      name: 'sample',
      image: options.nodeImage,
      imagePullPolicy: 'IfNotPresent',
      command: ['node'],
      args,
      ports: [{ name: 'http', containerPort: SAMPLE_PORT }],
      readinessProbe: { httpGet: { path: '/', port: SAMPLE_PORT }, periodSeconds: 2 },
      volumeMounts: [mount],
    },
    volumes: [volume],
  });
}
