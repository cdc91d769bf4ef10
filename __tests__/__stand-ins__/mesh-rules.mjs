// What the API server (with Istio's CRDs installed) and the meshes' proxy injectors do with the
// data-plane objects and annotations meshgate sends, so that the kubectl stand-in refuses what a
// real cluster refuses and records what a real injector would read (tests only).
// Sources, read independently of meshgate's own tables: istio/api
// kubernetes/customresourcedefinitions.gen.yaml (tags 1.20.0 … 1.29.0) for EnvoyFilter
// (networking.istio.io/v1alpha3) and WasmPlugin (extensions.istio.io/v1alpha1), served only when
// Istio is installed; annotation/annotations.yaml for the sidecar annotations; linkerd/linkerd2
// pkg/k8s/labels.go (edge-24.8.2 … edge-26.5.2) for Linkerd's config annotations.
// Server-side apply refuses a field the schema does not declare ("field not declared in schema");
// free-form parts (patch.value, pluginConfig) are x-kubernetes-preserve-unknown-fields.
// What only a real cluster exercises: Envoy accepting a patch's value, a WasmPlugin module being
// fetched and loaded, and the injectors themselves; the stand-in models their outcome.

const ref = { group: 'string', kind: 'string', name: 'string', namespace: 'string' };
const refRequired = ['kind', 'name'];
const port = 'int';

const ENVOY_FILTER = {
  configPatches: ['array', {
    applyTo: { enum: ['INVALID', 'LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER', 'ROUTE_CONFIGURATION', 'VIRTUAL_HOST', 'HTTP_ROUTE', 'CLUSTER', 'EXTENSION_CONFIG', 'BOOTSTRAP', 'LISTENER_FILTER'] },
    match: {
      context: { enum: ['ANY', 'SIDECAR_INBOUND', 'SIDECAR_OUTBOUND', 'GATEWAY'] },
      proxy: { metadata: 'map', proxyVersion: 'string' },
      listener: {
        filterChain: { applicationProtocols: 'string', destinationPort: port, filter: { name: 'string', subFilter: { name: 'string' } }, name: 'string', sni: 'string', transportProtocol: 'string' },
        listenerFilter: 'string', name: 'string', portName: 'string', portNumber: port,
      },
      routeConfiguration: { gateway: 'string', name: 'string', portName: 'string', portNumber: port, vhost: { domainName: 'string', name: 'string', route: { action: { enum: ['ANY', 'ROUTE', 'REDIRECT', 'DIRECT_RESPONSE'] }, name: 'string' } } },
      cluster: { name: 'string', portNumber: port, service: 'string', subset: 'string' },
    },
    patch: { filterClass: { enum: ['UNSPECIFIED', 'AUTHN', 'AUTHZ', 'STATS'] }, operation: { enum: ['INVALID', 'MERGE', 'ADD', 'REMOVE', 'INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST', 'REPLACE'] }, value: 'any' },
  }],
  priority: 'int',
  targetRefs: { since: 22, of: ['array', ref] },
  workloadSelector: { labels: 'map' },
};

const WASM_PLUGIN = {
  failStrategy: { enum: ['FAIL_CLOSE', 'FAIL_OPEN'], enumSince: { FAIL_RELOAD: 27 } },
  imagePullPolicy: { enum: ['UNSPECIFIED_POLICY', 'IfNotPresent', 'Always'] },
  imagePullSecret: 'string',
  match: ['array', { mode: { enum: ['UNDEFINED', 'CLIENT', 'SERVER', 'CLIENT_AND_SERVER'] }, ports: ['array', { number: 'int' }] }],
  phase: { enum: ['UNSPECIFIED_PHASE', 'AUTHN', 'AUTHZ', 'STATS'] },
  pluginConfig: 'any',
  pluginName: 'string',
  priority: 'int',
  selector: { matchLabels: 'map' },
  sha256: 'string',
  targetRef: ref,
  targetRefs: { since: 22, of: ['array', ref] },
  type: { enum: ['UNSPECIFIED_PLUGIN_TYPE', 'HTTP', 'NETWORK'] },
  url: 'string',
  verificationKey: 'string',
  vmConfig: { env: ['array', { name: 'string', value: 'string', valueFrom: { enum: ['INLINE', 'HOST'] } }] },
};

/** The Istio kinds served by the CRDs, by "apiVersion/kind". */
export const ISTIO_CRDS = {
  'networking.istio.io/v1alpha3/EnvoyFilter': { spec: ENVOY_FILTER, required: [] },
  'extensions.istio.io/v1alpha1/WasmPlugin': { spec: WASM_PLUGIN, required: ['url'] },
  'security.istio.io/v1/PeerAuthentication': { spec: null, required: [] },
};

const minorOf = (version) => Number(/^v?1\.(\d+)/.exec(version)?.[1] ?? 27);
const isMap = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

function walk(value, schema, path, minor, issues) {
  if (schema === 'any') return;
  if (schema === 'string') return void (typeof value !== 'string' && issues.push(`${path}: Invalid value: "${typeof value}": ${path} in body must be of type string`));
  if (schema === 'int') return void (!Number.isInteger(value) && issues.push(`${path}: Invalid value: "${typeof value}": ${path} in body must be of type integer`));
  if (schema === 'map') {
    if (!isMap(value)) return void issues.push(`${path}: Invalid value: "${typeof value}": ${path} in body must be of type object`);
    for (const [key, item] of Object.entries(value)) if (typeof item !== 'string') issues.push(`${path}.${key}: Invalid value: "${typeof item}": must be of type string`);
    return;
  }
  if (Array.isArray(schema)) {
    if (!Array.isArray(value)) return void issues.push(`${path}: Invalid value: "${typeof value}": ${path} in body must be of type array`);
    return value.forEach((item, i) => walk(item, schema[1], `${path}[${i}]`, minor, issues));
  }
  if (schema.since !== undefined) return walk(value, schema.of, path, minor, issues);
  if (schema.enum) {
    const allowed = [...schema.enum, ...Object.entries(schema.enumSince ?? {}).filter(([, since]) => minor >= since).map(([v]) => v)];
    if (!allowed.includes(value)) issues.push(`${path}: Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((v) => `"${v}"`).join(', ')}`);
    return;
  }
  if (!isMap(value)) return void issues.push(`${path}: Invalid value: "${typeof value}": ${path} in body must be of type object`);
  for (const [key, item] of Object.entries(value)) {
    const field = schema[key];
    if (field === undefined || (field.since !== undefined && minor < field.since)) issues.push(`${path}.${key}: field not declared in schema`);
    else walk(item, field, `${path}.${key}`, minor, issues);
  }
}

/**
 * Why the API server refuses an Istio object, or [] when it accepts it. `istio`: undefined when
 * Istio is not installed (no CRDs), else its version.
 */
export function istioObjectIssues(object, istio) {
  const group = String(object?.apiVersion ?? '').split('/')[0];
  if (!group.endsWith('istio.io')) return [];
  const crd = ISTIO_CRDS[`${object.apiVersion}/${object.kind}`];
  if (!istio || !crd)
    return [`error: resource mapping not found for name: "${object?.metadata?.name}" namespace: "${object?.metadata?.namespace ?? ''}" from "STDIN": no matches for kind "${object?.kind}" in version "${object?.apiVersion}"\nensure CRDs are installed first`];
  if (!crd.spec) return [];
  const issues = [];
  const spec = object.spec ?? {};
  for (const name of crd.required) if (spec[name] === undefined) issues.push(`spec.${name}: Required value`);
  walk(spec, crd.spec, '.spec', minorOf(istio), issues);
  if (object.kind === 'EnvoyFilter') {
    for (const [i, r] of (spec.targetRefs ?? []).entries()) for (const name of refRequired) if (!r?.[name]) issues.push(`spec.targetRefs[${i}].${name}: Required value`);
    if (spec.workloadSelector && spec.targetRefs) issues.push('spec: Invalid value: "object": only one of targetRefs or workloadSelector can be set');
  }
  if (object.kind === 'WasmPlugin' && [spec.selector, spec.targetRef, spec.targetRefs].filter(Boolean).length > 1)
    issues.push('spec: Invalid value: "object": only one of targetRefs or selector can be set');
  if (!object.metadata?.namespace) issues.push('metadata.namespace: Required value (a namespaced object applied from stdin without a namespace lands in the context\'s default namespace)');
  return issues.map((issue) => (issue.startsWith('.spec') ? `Error from server: failed to create typed patch object (${object.metadata?.namespace}/${object.metadata?.name}; ${object.apiVersion}, Kind=${object.kind}): ${issue}` : `The ${object.kind} "${object.metadata?.name}" is invalid: ${issue}`));
}

// Which proxy annotations each injector reads, by version.
const ISTIO_POD_ANNOTATIONS = [
  'proxy.istio.io/config', 'sidecar.istio.io/proxyCPU', 'sidecar.istio.io/proxyCPULimit', 'sidecar.istio.io/proxyMemory', 'sidecar.istio.io/proxyMemoryLimit',
  'sidecar.istio.io/proxyImage', 'sidecar.istio.io/proxyImageType', 'sidecar.istio.io/interceptionMode', 'sidecar.istio.io/bootstrapOverride', 'sidecar.istio.io/logLevel',
  'sidecar.istio.io/componentLogLevel', 'sidecar.istio.io/agentLogLevel', 'sidecar.istio.io/statsInclusionPrefixes', 'sidecar.istio.io/statsInclusionSuffixes',
  'sidecar.istio.io/statsInclusionRegexps', 'sidecar.istio.io/statsHistogramBuckets', 'sidecar.istio.io/extraStatTags', 'sidecar.istio.io/userVolume',
  'sidecar.istio.io/userVolumeMount', 'sidecar.istio.io/rewriteAppHTTPProbers', 'status.sidecar.istio.io/port',
];
const ISTIO_SINCE = { 'sidecar.istio.io/nativeSidecar': 24, 'sidecar.istio.io/statsCompression': 26, 'sidecar.istio.io/statsEvictionInterval': 28, 'sidecar.istio.io/statsFlushInterval': 28, 'sidecar.istio.io/statsHistogramBins': 28 };

const LINKERD_CONFIG = [
  'proxy-cpu-request', 'proxy-cpu-limit', 'proxy-memory-request', 'proxy-memory-limit', 'proxy-ephemeral-storage-request', 'proxy-ephemeral-storage-limit',
  'proxy-log-level', 'proxy-log-format', 'proxy-log-http-headers', 'access-log', 'proxy-image', 'proxy-version', 'image-pull-policy', 'proxy-await',
  'proxy-outbound-connect-timeout', 'proxy-inbound-connect-timeout', 'opaque-ports', 'skip-inbound-ports', 'skip-outbound-ports', 'default-inbound-policy',
].map((name) => `config.linkerd.io/${name}`);
const edge = (version) => {
  const m = /^edge-(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 251002;
};
const LINKERD_SINCE = { 'config.linkerd.io/proxy-cpu-ratio-limit': 250303, 'config.linkerd.io/proxy-metrics-hostname-labels': 250304, 'config.linkerd.io/proxy-additional-env': 260403 };

/** The proxy settings an injector takes from a pod (Linkerd: pod, then namespace) and what it ignores. */
export function injectedProxy(mesh, version, podAnnotations = {}, namespaceAnnotations = {}) {
  const reads = (name) =>
    mesh === 'istio'
      ? ISTIO_POD_ANNOTATIONS.includes(name) || minorOf(version) >= (ISTIO_SINCE[name] ?? Infinity)
      : LINKERD_CONFIG.includes(name) || edge(version) >= (LINKERD_SINCE[name] ?? Infinity);
  const prefix = mesh === 'istio' ? /^(sidecar|proxy)\.istio\.io\// : /^config\.(alpha\.|beta\.)?linkerd\.io\//;
  const sources = mesh === 'linkerd' ? { ...namespaceAnnotations, ...podAnnotations } : podAnnotations;
  const read = {};
  const ignored = [];
  for (const [name, value] of Object.entries(sources)) {
    if (!prefix.test(name)) continue;
    if (reads(name)) read[name] = value;
    else ignored.push(name);
  }
  return { mesh, version, read, ignored };
}
