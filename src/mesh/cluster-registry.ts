/** The cluster mesh adapter for a mesh name. */
import { UserError } from '../errors.js';
import type { MeshName } from '../profile/types.js';
import { clusterNone } from './cluster-none.js';
import type { ClusterMesh } from './cluster-types.js';
import { IstioMesh } from './istio.js';
import { LinkerdMesh } from './linkerd.js';

/** A fresh adapter (adapters remember whether they installed the control plane). */
export function clusterMeshFor(name: MeshName): ClusterMesh {
  switch (name) {
    case 'none':
      return clusterNone;
    case 'istio':
      return new IstioMesh();
    case 'linkerd':
      return new LinkerdMesh();
    default:
      throw new UserError(
        `mesh '${name}' runs on platform local only; on kind/kubernetes use none, istio or linkerd`,
      );
  }
}
