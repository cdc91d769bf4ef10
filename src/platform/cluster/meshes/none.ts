/** No mesh on a cluster: plain Kubernetes networking (kube-proxy); the baseline for overhead. */
import { NONE } from '../../catalog/meshes/none.js';
import type { ClusterMesh } from './types.js';
import { emptyMeta } from './types.js';

export const clusterNone: ClusterMesh = {
  name: NONE.name,
  install: async () => undefined,
  enableNamespace: emptyMeta,
  mtls: () => [],
  clientPod: emptyMeta,
  version: async () => undefined,
  proxyContainerName: () => undefined,
  uninstall: async () => undefined,
};
