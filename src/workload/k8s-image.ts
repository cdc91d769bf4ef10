/**
 * A build given as a container image (the PR's image, loaded into kind with
 * `kind load docker-image`, or pullable by the cluster): one Deployment and one Service.
 */
import type { BuildSpec } from '../profile/types.js';
import { LABEL_APP, type WorkloadPlan } from './k8s-objects.js';

export interface ImageOptions {
  namespace: string;
  build: string;
  spec: Extract<BuildSpec, { kind: 'image' }>;
  nodeSelector?: Record<string, string>;
}

export function imageWorkload(options: ImageOptions): WorkloadPlan {
  const name = `app-${options.build}`;
  const labels = { [LABEL_APP]: name };
  const port = options.spec.port;
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: options.namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
          containers: [
            {
              name: 'app',
              image: options.spec.image,
              // Images loaded into kind are not in any registry: never pull them, even for :latest.
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: port }],
              readinessProbe: { tcpSocket: { port }, periodSeconds: 2 },
            },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: options.namespace, labels },
    spec: { selector: labels, ports: [{ name: 'http', port, targetPort: port, appProtocol: 'http' }] },
  };
  return { objects: [deployment, service], rollouts: [`deployment/${name}`], service: { name, port } };
}
