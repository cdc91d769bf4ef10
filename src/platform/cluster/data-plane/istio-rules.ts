/**
 * What an Istio data-plane build may carry: EnvoyFilter and WasmPlugin manifests (istio-crds.ts),
 * the sidecar annotations the injector reads on a pod (istio/api annotation/annotations.yaml,
 * tags 1.20.0 … 1.29.0: nativeSidecar from 1.24, statsCompression from 1.26, the stats flush,
 * eviction and histogram-bins settings from 1.28; enableCoreDump gone in 1.25), and, mesh-wide,
 * an IstioOperator file for `istioctl install -f` (istio/istio operator/pkg/apis/types.go).
 */
import type { ClusterDataPlaneRules, ProxyAnnotation } from '../meshes/types.js';
import { ENVOY_FILTER, WASM_PLUGIN } from './istio-crds.js';
import { istioMinor } from './versions.js';

type Entry = ProxyAnnotation & { since?: number; until?: number };

const ANNOTATIONS: readonly Entry[] = [
  { name: 'proxy.istio.io/config', value: 'yaml' },
  { name: 'sidecar.istio.io/proxyCPU', value: 'quantity' },
  { name: 'sidecar.istio.io/proxyCPULimit', value: 'quantity' },
  { name: 'sidecar.istio.io/proxyMemory', value: 'quantity' },
  { name: 'sidecar.istio.io/proxyMemoryLimit', value: 'quantity' },
  { name: 'sidecar.istio.io/proxyImage', value: 'text' },
  { name: 'sidecar.istio.io/proxyImageType', value: 'text' },
  { name: 'sidecar.istio.io/interceptionMode', value: 'text' },
  { name: 'sidecar.istio.io/bootstrapOverride', value: 'text' },
  { name: 'sidecar.istio.io/logLevel', value: 'text' },
  { name: 'sidecar.istio.io/componentLogLevel', value: 'text' },
  { name: 'sidecar.istio.io/agentLogLevel', value: 'text' },
  { name: 'sidecar.istio.io/statsInclusionPrefixes', value: 'text' },
  { name: 'sidecar.istio.io/statsInclusionSuffixes', value: 'text' },
  { name: 'sidecar.istio.io/statsInclusionRegexps', value: 'text' },
  { name: 'sidecar.istio.io/statsHistogramBuckets', value: 'yaml' },
  { name: 'sidecar.istio.io/extraStatTags', value: 'text' },
  { name: 'sidecar.istio.io/userVolume', value: 'yaml' },
  { name: 'sidecar.istio.io/userVolumeMount', value: 'yaml' },
  { name: 'sidecar.istio.io/rewriteAppHTTPProbers', value: 'text' },
  { name: 'sidecar.istio.io/enableCoreDump', value: 'text', until: 24 },
  { name: 'sidecar.istio.io/nativeSidecar', value: 'text', since: 24 },
  { name: 'sidecar.istio.io/statsCompression', value: 'text', since: 26 },
  { name: 'sidecar.istio.io/statsEvictionInterval', value: 'text', since: 28 },
  { name: 'sidecar.istio.io/statsFlushInterval', value: 'text', since: 28 },
  { name: 'sidecar.istio.io/statsHistogramBins', value: 'text', since: 28 },
  { name: 'status.sidecar.istio.io/port', value: 'text' },
  { name: 'readiness.status.sidecar.istio.io/initialDelaySeconds', value: 'text' },
  { name: 'readiness.status.sidecar.istio.io/periodSeconds', value: 'text' },
  { name: 'readiness.status.sidecar.istio.io/failureThreshold', value: 'text' },
  { name: 'readiness.status.sidecar.istio.io/applicationPorts', value: 'text' },
];

const OPERATOR_SPEC_KEYS = ['hub', 'tag', 'compatibilityVersion', 'meshConfig', 'components', 'values', 'unvalidatedValues'];
const OPERATOR_RESERVED: Record<string, string> = {
  profile: 'meshgate chooses the profile (minimal, or ambient when a variant uses ambient mode)',
  namespace: 'meshgate installs into istio-system, where it looks for istiod',
  revision: "the variants' namespaces are labelled istio-injection=enabled, which a revisioned control plane does not serve",
  installPackagePath: "meshgate installs from istioctl's own charts",
};
const COMPONENTS = ['base', 'pilot', 'cni', 'ztunnel', 'istiodRemote', 'ingressGateways', 'egressGateways', 'gateway'];

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function operatorProblems(document: unknown): string[] {
  if (!isMap(document)) return ['(top level): expected an IstioOperator (apiVersion install.istio.io/v1alpha1, kind IstioOperator, spec)'];
  const problems: string[] = [];
  if (document.apiVersion !== 'install.istio.io/v1alpha1') problems.push(`apiVersion: expected install.istio.io/v1alpha1, found ${JSON.stringify(document.apiVersion)}`);
  if (document.kind !== 'IstioOperator') problems.push(`kind: expected IstioOperator, found ${JSON.stringify(document.kind)}`);
  for (const key of Object.keys(document))
    if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(key)) problems.push(`${key}: unknown field of an IstioOperator`);
  const spec = document.spec;
  if (!isMap(spec)) return [...problems, 'spec: expected a mapping (meshConfig, values, components …)'];
  for (const [key, value] of Object.entries(spec)) {
    if (OPERATOR_RESERVED[key]) problems.push(`spec.${key}: not allowed here: ${OPERATOR_RESERVED[key]}`);
    else if (!OPERATOR_SPEC_KEYS.includes(key)) problems.push(`spec.${key}: unknown field; an IstioOperator spec has ${OPERATOR_SPEC_KEYS.join(', ')}`);
    else if (['meshConfig', 'values', 'components'].includes(key) && !isMap(value)) problems.push(`spec.${key}: expected a mapping`);
  }
  if (isMap(spec.components))
    for (const key of Object.keys(spec.components))
      if (!COMPONENTS.includes(key)) problems.push(`spec.components.${key}: unknown component; expected one of ${COMPONENTS.join(', ')}`);
  return problems;
}

export const ISTIO_DATA_PLANE: ClusterDataPlaneRules = {
  manifestKinds: [ENVOY_FILTER, WASM_PLUGIN],
  annotationPrefixes: [
    'sidecar.istio.io/',
    'proxy.istio.io/',
    'traffic.sidecar.istio.io/',
    'status.sidecar.istio.io/',
    'readiness.status.sidecar.istio.io/',
  ],
  annotations(version) {
    const minor = istioMinor(version) ?? 27;
    return ANNOTATIONS.filter((a) => (a.since === undefined || minor >= a.since) && (a.until === undefined || minor <= a.until)).map(
      ({ name, value }) => ({ name, value }),
    );
  },
  reserved: {
    'sidecar.istio.io/inject': "meshgate puts the workload in the mesh with its namespace's label",
    'sidecar.istio.io/status': 'the injector writes it',
    'sidecar.istio.io/discoveryAddress': 'it would connect the proxy to another control plane than the one measured',
    'proxy.istio.io/overrides': 'the injector writes it',
    'traffic.sidecar.istio.io/': 'it takes traffic past the proxy under test',
  },
  installValuesProblems: (document) => operatorProblems(document),
};
