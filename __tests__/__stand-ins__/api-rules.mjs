// The rules the Kubernetes API server and kubectl apply to the objects meshgate sends, so that the
// kubectl stand-in refuses what a real cluster would refuse (tests only). Sources: the API
// server's validation (k8s.io/apimachinery/pkg/api/validation: TotalAnnotationSizeLimitB = 256 KiB,
// DNS-1123 names, qualified label names and values), ConfigMap's 1 MiB data limit, and kubectl's
// client-side apply, which copies the whole object into the
// kubectl.kubernetes.io/last-applied-configuration annotation (kubernetes/kubectl#712), and the
// fields an update may not change (immutableFieldIssues, checked against the stored object).
// What only a real cluster exercises: admission webhooks (Istio's and Linkerd's injectors
// themselves), scheduling, and image pulls; the stand-in models their outcome, not their code.

export const ANNOTATIONS_MAX_BYTES = 262_144;
export const CONFIGMAP_MAX_BYTES = 1_048_576;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Kinds whose names must be DNS-1123 labels (63 characters); others are subdomains (253). */
const LABEL_NAMED = new Set(['Namespace', 'Service', 'Pod', 'Job', 'Deployment']);

const bytes = (text) => Buffer.byteLength(text, 'utf8');

function qualifiedNameIssue(key) {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return `prefix part must be a DNS-1123 subdomain`;
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!LABEL_NAME.test(name)) return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

function metaIssues(meta, path) {
  const issues = [];
  for (const [key, value] of Object.entries(meta?.labels ?? {})) {
    const nameIssue = qualifiedNameIssue(key);
    if (nameIssue) issues.push(`${path}.labels: Invalid value: "${key}": ${nameIssue}`);
    if (typeof value !== 'string') issues.push(`${path}.labels: Invalid value: ${JSON.stringify(value)}: must be a string`);
    else if (value.length > 63) issues.push(`${path}.labels: Invalid value: "${value}": must be no more than 63 characters`);
    else if (!LABEL_VALUE.test(value)) issues.push(`${path}.labels: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`);
  }
  let total = 0;
  for (const [key, value] of Object.entries(meta?.annotations ?? {})) {
    const nameIssue = qualifiedNameIssue(key);
    if (nameIssue) issues.push(`${path}.annotations: Invalid value: "${key}": ${nameIssue}`);
    if (typeof value !== 'string') issues.push(`${path}.annotations: Invalid value: ${JSON.stringify(value)}: must be a string`);
    else total += bytes(key) + bytes(value);
  }
  if (total > ANNOTATIONS_MAX_BYTES) issues.push(`${path}.annotations: Too long: must have at most ${ANNOTATIONS_MAX_BYTES} bytes`);
  return issues;
}

/**
 * The object as the API server receives it from `kubectl apply`: client-side apply adds the
 * last-applied annotation holding the object itself (as JSON); server-side apply adds nothing.
 */
export function asApplied(object, serverSide) {
  if (serverSide) return object;
  const annotations = { ...(object.metadata?.annotations ?? {}) };
  annotations[LAST_APPLIED] = `${JSON.stringify(object)}\n`;
  return { ...object, metadata: { ...object.metadata, annotations } };
}

/** Every rule the object breaks, as the API server words it ("The X "n" is invalid: …"). */
export function validateObject(object) {
  const issues = [];
  const kind = object?.kind;
  const name = object?.metadata?.name;
  if (typeof name !== 'string' || name === '') issues.push('metadata.name: Required value');
  else if (LABEL_NAMED.has(kind) ? name.length > 63 || !DNS1123_LABEL.test(name) : name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
    issues.push(`metadata.name: Invalid value: "${name}": a lowercase RFC 1123 ${LABEL_NAMED.has(kind) ? 'label (at most 63 characters)' : 'subdomain'} must consist of lower case alphanumeric characters, '-' or '.'`);
  issues.push(...metaIssues(object?.metadata, 'metadata'));
  const template = object?.spec?.template?.metadata;
  if (template) issues.push(...metaIssues(template, 'spec.template.metadata'));
  if (kind === 'ConfigMap') {
    let size = 0;
    for (const value of Object.values(object.data ?? {})) size += bytes(String(value));
    for (const value of Object.values(object.binaryData ?? {})) size += Buffer.from(String(value), 'base64').length;
    if (size > CONFIGMAP_MAX_BYTES) issues.push(`[]: Too long: must have at most ${CONFIGMAP_MAX_BYTES} bytes`);
  }
  return issues.map((issue) => `The ${kind} "${name}" is invalid: ${issue}`);
}

/**
 * Which native-sidecar annotations a Linkerd version's proxy injector reads. Linkerd's proxy
 * configuration reference: config.alpha.linkerd.io/proxy-enable-native-sidecar until the beta
 * name arrived in edge-25.10.2 (stable 2.19), after which the alpha name is deprecated but read.
 */
export function linkerdNativeSidecarKeys(version) {
  const edge = /^edge-(\d+)\.(\d+)\.(\d+)/.exec(version);
  const stable = /^(?:stable-|enterprise-)?v?2\.(\d+)\./.exec(version);
  const beta = edge
    ? Number(edge[1]) * 10000 + Number(edge[2]) * 100 + Number(edge[3]) >= 251002
    : stable
      ? Number(stable[1]) >= 19
      : false;
  const alpha = 'config.alpha.linkerd.io/proxy-enable-native-sidecar';
  return beta ? ['config.beta.linkerd.io/proxy-enable-native-sidecar', alpha] : [alpha];
}

/**
 * Whether a Job's pods can complete: a pod Linkerd injects keeps its proxy running after the
 * generator exits unless the proxy is a native sidecar, set by an annotation this version reads.
 */
export function linkerdJobCompletes({ linkerdVersion, namespaceAnnotations = {}, podAnnotations = {} }) {
  if (!linkerdVersion) return true;
  const inject = podAnnotations['linkerd.io/inject'] ?? namespaceAnnotations['linkerd.io/inject'];
  if (inject !== 'enabled') return true;
  return linkerdNativeSidecarKeys(linkerdVersion).some((key) => podAnnotations[key] === 'true');
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Fields the API server refuses to change on an update of an object that exists (the validation
 * of Job, Deployment, DaemonSet, Service and ConfigMap updates in k8s.io/kubernetes
 * pkg/apis/*\/validation; e.g. `The Job "x" is invalid: spec.template: Invalid value: …: field is
 * immutable`, kubernetes/kubernetes#89657). A field the new object leaves out keeps its stored value (server-side
 * apply merges), so only a field present in both and different is refused. Job exceptions the
 * stand-in does not model (meshgate never uses them): a suspended Job's scheduling directives and
 * elastic Indexed Jobs, whose completions may change together with parallelism.
 */
export function immutableFieldIssues(stored, next) {
  if (!stored) return [];
  const issues = [];
  const check = (path, before, after, why = 'field is immutable') => {
    if (after !== undefined && before !== undefined && !same(before, after))
      issues.push(`${path}: Invalid value: ${JSON.stringify(after).slice(0, 200)}: ${why}`);
  };
  const kind = next.kind;
  if (kind === 'Job') {
    check('spec.selector', stored.spec?.selector, next.spec?.selector);
    check('spec.template', stored.spec?.template, next.spec?.template);
    check('spec.completions', stored.spec?.completions, next.spec?.completions);
    check('spec.completionMode', stored.spec?.completionMode, next.spec?.completionMode);
  }
  if (kind === 'Deployment' || kind === 'DaemonSet' || kind === 'StatefulSet')
    check('spec.selector', stored.spec?.selector, next.spec?.selector);
  if (kind === 'Service') {
    // clusterIP is allocated on create; "None" (headless) and an explicit address may not change.
    check('spec.clusterIP', stored.spec?.clusterIP, next.spec?.clusterIP, 'may not change once set');
    check('spec.clusterIPs[0]', stored.spec?.clusterIPs?.[0], next.spec?.clusterIPs?.[0], 'may not change once set');
  }
  if (kind === 'ConfigMap' && stored.immutable === true) {
    if (!same(stored.data, next.data)) issues.push('data: Forbidden: field is immutable when `immutable` is set');
    if (!same(stored.binaryData, next.binaryData)) issues.push('binaryData: Forbidden: field is immutable when `immutable` is set');
    if (next.immutable !== undefined && next.immutable !== true) issues.push('immutable: Forbidden: field is immutable when `immutable` is set');
  }
  return issues.map((issue) => `The ${kind} "${next.metadata?.name}" is invalid: ${issue}`);
}
