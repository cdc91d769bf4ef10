/**
 * A data-plane build's manifests (Istio EnvoyFilter, WasmPlugin): read and checked before
 * anything starts, then placed into each variant's namespace and scoped to its workload's pods.
 *
 * meshgate owns the placement: a document must not name a namespace (it is applied into the
 * variant's own), nor a selector or target reference (meshgate selects the workload's pods, so
 * that neither the other variant's pods nor the load generators' proxies run the filter).
 * Only namespaced kinds the mesh lists are accepted, so nothing reaches cluster scope or the
 * mesh's root namespace (where an EnvoyFilter would apply to every proxy of the cluster).
 *
 * Size limits: a file of at most 1 MiB (etcd stores an object of up to 1.5 MiB and the API server
 * refuses a request over 3 MiB, so every object of such a file fits both), and at most 32
 * objects per build.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../../errors.js';
import type { KubeObject } from '../../../system/kubectl.js';
import type { WorkloadPlan } from '../workload/objects.js';
import type { ManifestKind } from './types.js';

export const MANIFEST_FILE_MAX_BYTES = 1_048_576;
export const MANIFEST_OBJECTS_MAX = 32;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'PersistentVolume', 'StorageClass']);
const METADATA_KEYS = new Set(['name', 'labels', 'annotations']);

export interface ManifestCheck {
  /** Profile field holding the list: "mesh[1].builds.head.manifests". */
  field: string;
  mesh: string;
  version: string;
  kinds: readonly ManifestKind[];
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const kindList = (kinds: readonly ManifestKind[]) => kinds.map((k) => `${k.kind} (${k.apiVersion})`).join(' and ');

/** Problems of one document, each naming the field inside it. */
function documentProblems(value: unknown, check: ManifestCheck): { kind?: ManifestKind; problems: string[] } {
  if (!isMap(value)) return { problems: ['expected a Kubernetes object (apiVersion, kind, metadata, spec)'] };
  const kind = check.kinds.find((k) => k.kind === value.kind && k.apiVersion === value.apiVersion);
  if (!kind) {
    const scope = CLUSTER_SCOPED.has(String(value.kind)) ? ' is cluster-scoped and' : '';
    const accepted = check.kinds.length > 0 ? `${check.mesh} builds take ${kindList(check.kinds)}` : `${check.mesh} builds take no manifests (use proxy_annotations)`;
    return { problems: [`kind: ${JSON.stringify(value.kind)} (apiVersion ${JSON.stringify(value.apiVersion)})${scope} is not a data-plane object meshgate applies per variant; ${accepted}`] };
  }
  const problems: string[] = [];
  for (const key of Object.keys(value))
    if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(key)) problems.push(`${key}: not allowed (apiVersion, kind, metadata and spec only)`);
  const metadata = isMap(value.metadata) ? value.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
    problems.push(`metadata.name: ${JSON.stringify(name)} must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.'; at most 253 characters)`);
  if (metadata.namespace !== undefined)
    problems.push(`metadata.namespace: remove it; meshgate applies the object into each variant's own namespace`);
  for (const key of Object.keys(metadata))
    if (!METADATA_KEYS.has(key) && key !== 'namespace') problems.push(`metadata.${key}: not allowed (name, labels and annotations only)`);
  const spec = value.spec;
  if (isMap(spec))
    for (const field of [kind.selector.field, ...kind.selector.competing])
      if (spec[field] !== undefined)
        problems.push(`spec.${field}: remove it; meshgate sets spec.${kind.selector.field} to the workload's pod labels in each variant's namespace`);
  problems.push(...kind.specProblems(spec ?? {}, check.version));
  return { kind, problems };
}

/** Read and check the manifest files of one build; errors name the profile field and the file. */
export function readDataPlaneManifests(files: readonly string[], check: ManifestCheck): KubeObject[] {
  const objects: KubeObject[] = [];
  const names = new Map<string, string>();
  files.forEach((file, index) => {
    const where = `${check.field}[${index}] (${file})`;
    const bytes = statSync(file).size;
    if (bytes > MANIFEST_FILE_MAX_BYTES)
      throw new UserError(`${where}: ${bytes} bytes; a data-plane manifest file may have at most ${MANIFEST_FILE_MAX_BYTES} bytes`);
    const documents = parseAllDocuments(readFileSync(file, 'utf8'));
    documents.forEach((document, docIndex) => {
      const at = `${where}: document ${docIndex + 1}`;
      if (document.errors.length > 0) throw new UserError(`${at}: not valid YAML: ${document.errors[0].message.split('\n')[0]}`);
      const value = document.toJS() as unknown;
      if (value === null || value === undefined) return;
      const { problems } = documentProblems(value, check);
      const object = value as KubeObject;
      const label = `${at}${typeof object.kind === 'string' ? ` (${object.kind} ${String(object.metadata?.name ?? '')})` : ''}`;
      if (problems.length > 0) throw new UserError(`${label}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''}`);
      const key = `${object.kind}/${object.metadata.name}`;
      if (names.has(key)) throw new UserError(`${label}: ${key} is also defined by ${names.get(key)}; names must be unique within a build`);
      names.set(key, at);
      objects.push(object);
      if (objects.length > MANIFEST_OBJECTS_MAX)
        throw new UserError(`${check.field}: more than ${MANIFEST_OBJECTS_MAX} objects in one data-plane build`);
    });
  });
  return objects;
}

/** The build's objects placed in `namespace` and selecting the pods labelled `podLabels`. */
export function scopeDataPlaneObjects(
  objects: readonly KubeObject[],
  kinds: readonly ManifestKind[],
  namespace: string,
  podLabels: Readonly<Record<string, string>>,
): KubeObject[] {
  return objects.map((object) => {
    const kind = kinds.find((k) => k.kind === object.kind && k.apiVersion === object.apiVersion)!;
    const copy = structuredClone(object);
    copy.metadata = { ...copy.metadata, namespace };
    copy.spec = { ...((copy.spec as object | undefined) ?? {}), [kind.selector.field]: { [kind.selector.labelsKey]: { ...podLabels } } };
    return copy;
  });
}

/**
 * The labels of the pods behind the Service that receives the load: data-plane objects select
 * them, so that the generators' own proxies (meshed for mTLS variants) do not run the filters.
 */
export function workloadPodLabels(plan: WorkloadPlan): Record<string, string> {
  const service = plan.objects.find((o) => o.kind === 'Service' && o.metadata.name === plan.service.name);
  const selector = (service?.spec as { selector?: Record<string, string> } | undefined)?.selector;
  if (!selector || Object.keys(selector).length === 0)
    throw new UserError(
      `Service ${plan.service.name} has no spec.selector, so meshgate cannot scope the data-plane objects to the workload's pods`,
    );
  return selector;
}

