/** No mesh on a cluster: plain Kubernetes networking (kube-proxy); the baseline for overhead. */
import type { ClusterMeshDescriptor } from '../types.js';

export const NONE = {
  name: 'none',
  smp: { code: 0, type: 'NONE' },
} as const satisfies ClusterMeshDescriptor;
