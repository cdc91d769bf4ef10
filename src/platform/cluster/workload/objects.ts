/**
 * Building blocks of the Kubernetes objects meshgate generates: names, labels, the namespace of
 * a variant, and the ConfigMap that carries meshgate's own bundles (load generator, sample server)
 * into pods that run a public Node image.
 */
import type { KubeObject } from '../../../system/kubectl.js';

export const LABEL_RUN = 'meshgate.dev/run';
export const LABEL_APP = 'meshgate.dev/app';
/** Node label that kind's generated config sets: `workload` or `load`. */
export const NODE_ROLE_LABEL = 'meshgate.dev/role';
export const BUNDLE_MOUNT = '/meshgate';
export const BUNDLE_CONFIGMAP = 'meshgate-bundles';

/** One file of a bundle: where it is mounted under /meshgate, and its text. */
export interface BundleFile {
  path: string; // e.g. loadgen/index.js
  content: string;
}

/** A DNS-1123 label from free text: lowercase, [a-z0-9-], at most `max` characters. */
export function dnsLabel(text: string, max = 63): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-');
  return cleaned.slice(0, max).replace(/^-+|-+$/g, '') || 'x';
}

/** Namespace of one variant: mg-<run>-<build>-<mesh id>. */
export function variantNamespace(runId: string, build: string, meshId: string): string {
  return dnsLabel(`mg-${runId}-${build}-${meshId}`);
}

export function namespaceObject(
  name: string,
  runId: string,
  meta: { labels: Record<string, string>; annotations: Record<string, string> },
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { [LABEL_RUN]: runId, ...meta.labels }, annotations: { ...meta.annotations } },
  };
}

const keyOf = (path: string): string => path.replace(/\//g, '.');

export function bundleConfigMap(namespace: string, files: readonly BundleFile[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: BUNDLE_CONFIGMAP, namespace },
    data: Object.fromEntries(files.map((file) => [keyOf(file.path), file.content])),
  };
}

/** The pod volume and mount that lay the bundle files out under /meshgate. */
export function bundleVolume(files: readonly BundleFile[]): { volume: object; mount: object } {
  return {
    volume: {
      name: 'meshgate-bundles',
      configMap: {
        name: BUNDLE_CONFIGMAP,
        items: files.map((file) => ({ key: keyOf(file.path), path: file.path })),
      },
    },
    mount: { name: 'meshgate-bundles', mountPath: BUNDLE_MOUNT, readOnly: true },
  };
}

/** What the platform must apply and wait for to get one build running in a namespace. */
export interface WorkloadPlan {
  objects: KubeObject[];
  /** `kind/name` of every object to wait for with `kubectl rollout status`. */
  rollouts: string[];
  /** The Service that receives the load. */
  service: { name: string; port: number };
}

/** One Deployment of one replica and the Service in front of it: the shape of every built-in workload. */
export function singleServiceWorkload(options: {
  name: string;
  namespace: string;
  port: number;
  container: object;
  volumes?: object[];
  nodeSelector?: Record<string, string>;
}): WorkloadPlan {
  const { name, namespace, port } = options;
  const labels = { [LABEL_APP]: name };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
          containers: [options.container],
          ...(options.volumes ? { volumes: options.volumes } : {}),
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: { selector: labels, ports: [{ name: 'http', port, targetPort: port, appProtocol: 'http' }] },
  };
  return { objects: [deployment, service], rollouts: [`deployment/${name}`], service: { name, port } };
}
