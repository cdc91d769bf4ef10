/** Linkerd, installed with its own CLI; a linkerd2-proxy sidecar per pod. */
import type { ClusterMeshDescriptor, KubernetesRange } from '../types.js';

/**
 * Kubernetes minors by Linkerd line ("Supported Kubernetes Versions" on linkerd.io); edge
 * releases follow the stable line they lead to, from edge YY.M on.
 */
const LINES: { fromEdge: [number, number]; line: string; range: KubernetesRange }[] = [
  {
    fromEdge: [25, 4],
    line: '2.18',
    range: { min: [1, 22], max: [1, 32], source: 'linkerd.io k8s-versions (2.18)' },
  },
  {
    fromEdge: [25, 10],
    line: '2.19',
    range: { min: [1, 29], max: [1, 34], source: 'linkerd.io k8s-versions (2.19)' },
  },
];

function supported(version: string): KubernetesRange | undefined {
  const edge = /^edge-(\d+)\.(\d+)\./.exec(version);
  if (!edge) return undefined;
  const [year, month] = [Number(edge[1]), Number(edge[2])];
  return [...LINES].reverse().find(({ fromEdge: [y, m] }) => year - y > 0 || (year === y && month >= m))
    ?.range;
}

export const LINKERD = {
  name: 'linkerd',
  cli: 'linkerd',
  product: 'Linkerd',
  kubernetes: supported,
  smp: { code: 5, type: 'LINKERD' },
  // Proxy annotations and Helm values; no per-namespace data-plane objects.
  dataPlane: { manifests: false },
} as const satisfies ClusterMeshDescriptor;
