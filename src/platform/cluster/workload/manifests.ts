/**
 * The user's own manifests as a workload: applied into each variant's namespace, with every
 * container image written as `{image}` replaced by the build's image (so one set of manifests
 * serves both the base and the head build), and `workload.service` (name:port) receiving the load.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { UserError, errorMessage } from '../../../errors.js';
import type { KubeObject } from '../../../system/kubectl.js';
import type { WorkloadPlan } from './objects.js';

export const IMAGE_PLACEHOLDER = '{image}';
const ROLLOUT_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
]);

export interface ManifestOptions {
  namespace: string;
  build: string;
  /** The build's image, substituted for {image}; undefined when the manifests name their images. */
  image?: string;
  /** profile.workload.service, "name:port". */
  service: string | undefined;
}

/** Parse manifest files (multi-document YAML) into objects; errors name the file. */
export function readManifestFiles(
  paths: readonly string[],
  read = (path: string) => readFileSync(path, 'utf8'),
): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = read(path);
    } catch (error) {
      throw new UserError(`cannot read workload.manifests entry ${path}: ${errorMessage(error)}`);
    }
    for (const [index, document] of parseAllDocuments(text).entries()) {
      if (document.errors.length > 0)
        throw new UserError(
          `${path}: document ${index + 1} is not valid YAML: ${document.errors[0].message}`,
        );
      const value = document.toJS() as unknown;
      if (value === null || value === undefined) continue;
      const object = value as Partial<KubeObject>;
      if (
        typeof object.kind !== 'string' ||
        typeof object.apiVersion !== 'string' ||
        typeof object.metadata?.name !== 'string'
      )
        throw new UserError(`${path}: document ${index + 1} needs apiVersion, kind and metadata.name`);
      if (CLUSTER_SCOPED.has(object.kind))
        throw new UserError(
          `${path}: ${object.kind} ${object.metadata.name} is cluster-scoped; meshgate applies manifests into a namespace per variant`,
        );
      objects.push(object as KubeObject);
    }
  }
  return objects;
}

function replaceImages(value: unknown, image: string): { value: unknown; replaced: number } {
  let replaced = 0;
  const walk = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item));
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
    if (key === 'image' && node === IMAGE_PLACEHOLDER) {
      replaced++;
      return image;
    }
    return node;
  };
  return { value: walk(value), replaced };
}

export function parseService(service: string | undefined): { name: string; port: number } {
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?):(\d+)$/.exec(service ?? '');
  if (!match)
    throw new UserError(
      `workload.service is required with workload.manifests, as name:port (found ${service ?? 'nothing'})`,
    );
  return { name: match[1], port: Number(match[3]) };
}

export function manifestWorkload(objects: readonly KubeObject[], options: ManifestOptions): WorkloadPlan {
  const service = parseService(options.service);
  let replaced = 0;
  const placed = objects.map((object) => {
    const copy = options.image
      ? replaceImages(object, options.image)
      : { value: structuredClone(object), replaced: 0 };
    replaced += copy.replaced;
    const result = copy.value as KubeObject;
    result.metadata = { ...result.metadata, namespace: options.namespace };
    return result;
  });
  if (options.image && replaced === 0)
    throw new UserError(
      `workload.manifests: no container image is "${IMAGE_PLACEHOLDER}", so the ${options.build} build's image ${options.image} would not be used; write image: "${IMAGE_PLACEHOLDER}" where it belongs`,
    );
  if (!placed.some((object) => object.kind === 'Service' && object.metadata.name === service.name))
    throw new UserError(
      `workload.service names Service "${service.name}", which workload.manifests do not define`,
    );
  const rollouts = placed
    .filter((object) => ROLLOUT_KINDS.has(object.kind))
    .map((object) => `${object.kind.toLowerCase()}/${object.metadata.name}`);
  return { objects: placed, rollouts, service };
}
