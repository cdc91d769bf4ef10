/** Istio, installed with istioctl; sidecar or ambient (ztunnel) data plane. */
import type { ClusterMeshDescriptor, KubernetesRange } from '../types.js';

/** Kubernetes minors each Istio minor supports (istio.io support status). */
const SUPPORTED: Record<string, KubernetesRange> = {
  '1.26': { min: [1, 29], max: [1, 33], source: 'istio.io support status' },
  '1.27': { min: [1, 29], max: [1, 33], source: 'istio.io support status' },
  '1.28': { min: [1, 30], max: [1, 34], source: 'istio.io support status' },
};

export const ISTIO = {
  name: 'istio',
  modes: [
    { name: 'sidecar', meaning: 'an istio-proxy (Envoy) sidecar in every pod of the namespace' },
    {
      name: 'ambient',
      meaning:
        "no sidecars: the node's ztunnel carries the pods' traffic (the variant is named istio-ambient)",
    },
  ],
  cli: 'istioctl',
  product: 'Istio',
  kubernetes: (version: string) => {
    const minor = /^(\d+\.\d+)/.exec(version)?.[1];
    return minor !== undefined && Object.hasOwn(SUPPORTED, minor) ? SUPPORTED[minor] : undefined;
  },
  smp: { code: 3, type: 'ISTIO' },
  // EnvoyFilter and WasmPlugin per namespace, proxy annotations, an IstioOperator install file.
  dataPlane: { manifests: true },
} as const satisfies ClusterMeshDescriptor;
