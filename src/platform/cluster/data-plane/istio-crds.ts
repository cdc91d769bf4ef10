/**
 * The two Istio objects a data-plane build may carry, with the fields their CRDs declare (from
 * istio/api's kubernetes/customresourcedefinitions.gen.yaml, tags 1.20.0 … 1.29.0): EnvoyFilter
 * (networking.istio.io/v1alpha3) and WasmPlugin (extensions.istio.io/v1alpha1). Versions are
 * Istio minors: `targetRefs` arrived in 1.22 on both kinds, WasmPlugin's failStrategy FAIL_RELOAD
 * in 1.27. Free-form parts (an EnvoyFilter patch's `value`, a WasmPlugin's `pluginConfig`) are
 * preserved unknown by the CRDs, so only Envoy itself judges them, at run time.
 */
import type { ManifestKind } from '../meshes/types.js';
import { arr, int, obj, schemaProblems, str, stringMap, type FieldSchema } from './crd-schema.js';
import { istioMinor } from './versions.js';

/** The oldest and newest minors these tables were read from; others are checked as the nearest. */
const OLDEST_MINOR = 20;
const NEWEST_MINOR = 29;
const PINNED_MINOR = 27;

const policyTargetRef = obj(
  {
    group: str({ maxLength: 253, pattern: /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/ }),
    kind: str({ minLength: 1, maxLength: 63, pattern: /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/ }),
    name: str({ minLength: 1, maxLength: 253 }),
    namespace: str(),
  },
  { required: ['kind', 'name'] },
);

const port = int({ minimum: 0, maximum: 4294967295 });

const envoyFilterSpec: FieldSchema = obj({
  configPatches: arr(
    obj({
      applyTo: str({
        enum: ['INVALID', 'LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER', 'ROUTE_CONFIGURATION', 'VIRTUAL_HOST', 'HTTP_ROUTE', 'CLUSTER', 'EXTENSION_CONFIG', 'BOOTSTRAP', 'LISTENER_FILTER'],
      }),
      match: obj({
        context: str({ enum: ['ANY', 'SIDECAR_INBOUND', 'SIDECAR_OUTBOUND', 'GATEWAY'] }),
        proxy: obj({ metadata: stringMap(), proxyVersion: str() }),
        listener: obj({
          filterChain: obj({
            applicationProtocols: str(),
            destinationPort: port,
            filter: obj({ name: str(), subFilter: obj({ name: str() }) }),
            name: str(),
            sni: str(),
            transportProtocol: str(),
          }),
          listenerFilter: str(),
          name: str(),
          portName: str(),
          portNumber: port,
        }),
        routeConfiguration: obj({
          gateway: str(),
          name: str(),
          portName: str(),
          portNumber: port,
          vhost: obj({
            domainName: str(),
            name: str(),
            route: obj({ action: str({ enum: ['ANY', 'ROUTE', 'REDIRECT', 'DIRECT_RESPONSE'] }), name: str() }),
          }),
        }),
        cluster: obj({ name: str(), portNumber: port, service: str(), subset: str() }),
      }),
      patch: obj({
        filterClass: str({ enum: ['UNSPECIFIED', 'AUTHN', 'AUTHZ', 'STATS'] }),
        operation: str({ enum: ['INVALID', 'MERGE', 'ADD', 'REMOVE', 'INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST', 'REPLACE'] }),
        value: { type: 'object', preserveUnknown: true },
      }),
    }),
  ),
  priority: int({ minimum: -2147483648, maximum: 2147483647 }),
  targetRefs: { ...arr(policyTargetRef, { maxItems: 16 }), since: 22 },
  workloadSelector: obj({ labels: stringMap({ maxProperties: 256 }) }),
});

const wasmPluginSpec: FieldSchema = obj(
  {
    failStrategy: str({ enum: ['FAIL_CLOSE', 'FAIL_OPEN', { value: 'FAIL_RELOAD', since: 27 }] }),
    imagePullPolicy: str({ enum: ['UNSPECIFIED_POLICY', 'IfNotPresent', 'Always'] }),
    imagePullSecret: str({ minLength: 1, maxLength: 253 }),
    match: arr(
      obj({
        mode: str({ enum: ['UNDEFINED', 'CLIENT', 'SERVER', 'CLIENT_AND_SERVER'] }),
        ports: arr(obj({ number: int({ minimum: 1, maximum: 65535 }) }, { required: ['number'] })),
      }),
    ),
    phase: str({ enum: ['UNSPECIFIED_PHASE', 'AUTHN', 'AUTHZ', 'STATS'] }),
    pluginConfig: { type: 'object', preserveUnknown: true },
    pluginName: str({ minLength: 1, maxLength: 256 }),
    priority: int({ minimum: -2147483648, maximum: 2147483647 }),
    selector: obj({ matchLabels: stringMap({ maxProperties: 4096 }) }),
    sha256: str({ pattern: /(^$|^[a-f0-9]{64}$)/ }),
    targetRef: policyTargetRef,
    targetRefs: { ...arr(policyTargetRef, { maxItems: 16 }), since: 22 },
    type: str({ enum: ['UNSPECIFIED_PLUGIN_TYPE', 'HTTP', 'NETWORK'] }),
    // The CRD's rule: a URL with scheme http, https, oci or file, or one without a scheme.
    url: str({ minLength: 1, pattern: /^(?:(?:https?|oci|file):\/\/|[^:/\s]+(?::\d+)?(?:\/|$))/ }),
    verificationKey: str(),
    vmConfig: obj({
      env: arr(
        obj(
          {
            name: str({ minLength: 1, maxLength: 256 }),
            value: str({ maxLength: 2048 }),
            valueFrom: str({ enum: ['INLINE', 'HOST'] }),
          },
          { required: ['name'] },
        ),
        { maxItems: 256 },
      ),
    }),
  },
  { required: ['url'] },
);

/** The minor a check uses: the version's, clamped to the range the tables were read from. */
function minorOf(version: string): number {
  const minor = istioMinor(version) ?? PINNED_MINOR;
  return Math.min(Math.max(minor, OLDEST_MINOR), NEWEST_MINOR);
}

export const ENVOY_FILTER: ManifestKind = {
  apiVersion: 'networking.istio.io/v1alpha3',
  kind: 'EnvoyFilter',
  selector: { field: 'workloadSelector', labelsKey: 'labels', competing: ['targetRefs'] },
  specProblems: (spec, version) => schemaProblems(spec, envoyFilterSpec, 'spec', minorOf(version)),
};

export const WASM_PLUGIN: ManifestKind = {
  apiVersion: 'extensions.istio.io/v1alpha1',
  kind: 'WasmPlugin',
  selector: { field: 'selector', labelsKey: 'matchLabels', competing: ['targetRef', 'targetRefs'] },
  specProblems: (spec, version) => schemaProblems(spec, wasmPluginSpec, 'spec', minorOf(version)),
};
