/** Istio, installed with istioctl; sidecar or ambient (ztunnel) data plane. */
import type { ClusterMeshDescriptor } from '../types.js';

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
  smp: { code: 3, type: 'ISTIO' },
  // EnvoyFilter and WasmPlugin per namespace, proxy annotations, an IstioOperator install file.
  dataPlane: { manifests: true },
} as const satisfies ClusterMeshDescriptor;
