/**
 * What a Linkerd data-plane build may carry: proxy annotations on the workload's pods (the
 * config.* names of linkerd/linkerd2 pkg/k8s/labels.go, by edge release: proxy-cpu-ratio-limit
 * from edge-25.3.3, proxy-metrics-hostname-labels from edge-25.3.4, the beta native-sidecar name
 * from edge-25.10.2, init-image gone in edge-25.11.3, proxy-additional-env from edge-26.4.3), and,
 * mesh-wide, Helm values for `linkerd install --values` (the top-level keys of
 * charts/linkerd-control-plane/values.yaml at edge-25.10.2, the pinned release). Linkerd has no
 * per-namespace filter objects, so a build carries no manifests.
 */
import { TOOL_RELEASES } from '../../../system/tool-versions.js';
import type { ClusterDataPlaneRules, ProxyAnnotation } from '../meshes/types.js';
import { linkerdEdge, linkerdOrdinal } from './versions.js';

type Entry = ProxyAnnotation & { since?: string; until?: string };

const config = (name: string, value: ProxyAnnotation['value'] = 'text', extra: Omit<Entry, 'name' | 'value'> = {}): Entry => ({
  name: `config.linkerd.io/${name}`,
  value,
  ...extra,
});

const ANNOTATIONS: readonly Entry[] = [
  ...['proxy-cpu-request', 'proxy-cpu-limit', 'proxy-memory-request', 'proxy-memory-limit', 'proxy-ephemeral-storage-request', 'proxy-ephemeral-storage-limit'].map(
    (name) => config(name, 'quantity'),
  ),
  config('proxy-cpu-ratio-limit', 'text', { since: 'edge-25.3.3' }),
  config('proxy-metrics-hostname-labels', 'text', { since: 'edge-25.3.4' }),
  config('proxy-additional-env', 'yaml', { since: 'edge-26.4.3' }),
  config('init-image', 'text', { until: 'edge-25.11.2' }),
  config('init-image-version', 'text', { until: 'edge-25.11.2' }),
  ...[
    'proxy-log-level',
    'proxy-log-format',
    'proxy-log-http-headers',
    'access-log',
    'proxy-image',
    'proxy-version',
    'image-pull-policy',
    'proxy-outbound-connect-timeout',
    'proxy-inbound-connect-timeout',
    'proxy-outbound-discovery-cache-unused-timeout',
    'proxy-inbound-discovery-cache-unused-timeout',
    'proxy-disable-outbound-protocol-detect-timeout',
    'proxy-disable-inbound-protocol-detect-timeout',
    'opaque-ports',
    'proxy-await',
    'proxy-admin-shutdown',
    'enable-external-profiles',
    'shutdown-grace-period',
    'close-wait-timeout',
    'proxy-uid',
    'proxy-gid',
    'enable-debug-sidecar',
    'debug-image',
    'debug-image-version',
    'debug-image-pull-policy',
  ].map((name) => config(name)),
  { name: 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds', value: 'text' },
];

const CHART_KEYS = new Set(
  `clusterDomain clusterNetworks imagePullPolicy revisionHistoryLimit controllerLogLevel controllerLogFormat linkerdVersion
  deploymentStrategy enableEndpointSlices enablePodAntiAffinity enablePprof enablePodDisruptionBudget controller cniEnabled
  identityTrustAnchorsPEM identityTrustDomain kubeAPI podAnnotations podLabels commonLabels priorityClassName runtimeClassName
  policyController proxy proxyInit networkValidator imagePullSecrets enablePSP webhookFailurePolicy controllerImage
  controllerImageVersion controllerReplicas controllerUID controllerGID destinationController debugContainer identity
  disableHeartBeat proxyInjector profileValidator policyValidator nodeSelector spValidator prometheusUrl podMonitor egress
  configReaders destinationResources destinationProxyResources identityResources identityProxyResources heartbeatSchedule
  heartbeatResources proxyInjectorResources proxyInjectorProxyResources spValidatorResources tolerations nodeAffinity
  highAvailability`.split(/\s+/),
);

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function valuesProblems(document: unknown, version: string): string[] {
  if (!isMap(document)) return ['(top level): expected a mapping of Helm values (proxy, proxyInit, controllerReplicas …)'];
  // Keys are checked against the chart of the pinned release only: another release's chart may
  // have keys this table does not know (Helm itself ignores unknown keys silently).
  if (version !== TOOL_RELEASES.linkerd.version) return [];
  return Object.keys(document)
    .filter((key) => !CHART_KEYS.has(key))
    .map((key) => `${key}: not a value of the linkerd-control-plane chart of ${version} (a typo would be ignored by Helm and change nothing)`);
}

export const LINKERD_DATA_PLANE: ClusterDataPlaneRules = {
  manifestKinds: [],
  annotationPrefixes: ['config.linkerd.io/', 'config.alpha.linkerd.io/', 'config.beta.linkerd.io/', 'linkerd.io/'],
  annotations(version) {
    const at = linkerdOrdinal(version) ?? linkerdOrdinal(TOOL_RELEASES.linkerd.version)!;
    return ANNOTATIONS.filter(
      (a) => (a.since === undefined || at >= linkerdEdge(a.since)) && (a.until === undefined || at <= linkerdEdge(a.until)),
    ).map(({ name, value }) => ({ name, value }));
  },
  reserved: {
    'linkerd.io/inject': "meshgate puts the workload in the mesh with its namespace's annotation",
    'config.linkerd.io/default-inbound-policy': 'meshgate sets it on the namespace from the entry\'s mtls',
    'config.alpha.linkerd.io/proxy-enable-native-sidecar': 'meshgate sets it for the load generators it meshes',
    'config.beta.linkerd.io/proxy-enable-native-sidecar': 'meshgate sets it for the load generators it meshes',
    'config.linkerd.io/skip-inbound-ports': 'it takes traffic past the proxy under test',
    'config.linkerd.io/skip-outbound-ports': 'it takes traffic past the proxy under test',
    'config.linkerd.io/skip-subnets': 'it takes traffic past the proxy under test',
  },
  installValuesProblems: valuesProblems,
};
