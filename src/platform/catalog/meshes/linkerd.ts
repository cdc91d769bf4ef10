/** Linkerd, installed with its own CLI; a linkerd2-proxy sidecar per pod. */
import type { ClusterMeshDescriptor } from '../types.js';

export const LINKERD = {
  name: 'linkerd',
  cli: 'linkerd',
  smp: { code: 5, type: 'LINKERD' },
  // Proxy annotations and Helm values; no per-namespace data-plane objects.
  dataPlane: { manifests: false },
} as const satisfies ClusterMeshDescriptor;
