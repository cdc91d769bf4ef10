/**
 * A build given as a container image (the PR's image, loaded into kind with
 * `kind load docker-image`, or pullable by the cluster): one Deployment and one Service.
 */
import type { BuildSpec } from '../../../profile/types.js';
import { singleServiceWorkload, type WorkloadPlan } from './objects.js';

export interface ImageOptions {
  namespace: string;
  build: string;
  spec: Extract<BuildSpec, { kind: 'image' }>;
  nodeSelector?: Record<string, string>;
}

export function imageWorkload(options: ImageOptions): WorkloadPlan {
  const port = options.spec.port;
  return singleServiceWorkload({
    name: `app-${options.build}`,
    namespace: options.namespace,
    port,
    nodeSelector: options.nodeSelector,
    container: {
      name: 'app',
      image: options.spec.image,
      // Images loaded into kind are not in any registry: never pull them, even for :latest.
      imagePullPolicy: 'IfNotPresent',
      ports: [{ name: 'http', containerPort: port }],
      readinessProbe: { tcpSocket: { port }, periodSeconds: 2 },
    },
  });
}
