/**
 * The cluster meshes' implementations by name. Adding a mesh is its descriptor
 * (platform/catalog/meshes/, with a line in the catalog's index), one file in this folder (a
 * ClusterMesh) and one line in CLUSTER_MESHES, which must have exactly the catalog's names. The
 * profile reads the catalog, never this file.
 */
import { UserError } from '../../../errors.js';
import { CLUSTER_MESH_NAMES, isClusterMesh, type ClusterMeshName } from '../../catalog/index.js';
import type { MeshSpec } from '../../../profile/types.js';
import type { ToolName } from '../../../system/tool-versions.js';
import { IstioMesh } from './istio.js';
import { LinkerdMesh } from './linkerd.js';
import { clusterNone } from './none.js';
import type { ClusterMesh } from './types.js';

const CLUSTER_MESHES = {
  none: () => clusterNone,
  istio: () => new IstioMesh(),
  linkerd: () => new LinkerdMesh(),
} as const satisfies Record<ClusterMeshName, () => ClusterMesh>;

export { CLUSTER_MESH_NAMES, isClusterMesh, type ClusterMeshName };

/** A fresh adapter (adapters remember whether they installed the control plane). */
export function clusterMeshFor(name: string): ClusterMesh {
  if (!isClusterMesh(name))
    throw new UserError(
      `mesh '${name}' runs on platform local only; on kind/kubernetes use ${CLUSTER_MESH_NAMES.join(', ')}`,
    );
  return CLUSTER_MESHES[name]();
}

/**
 * The CLIs the meshes of a profile need and the versions to install: each mesh's own CLI, at the
 * version its spec pins, else the door's override, else the pinned default.
 */
export function meshTools(
  specs: readonly MeshSpec[],
  overrides: Partial<Record<ToolName, string>> = {},
): { tools: ToolName[]; versions: Partial<Record<ToolName, string>> } {
  const tools: ToolName[] = [];
  const versions = { ...overrides };
  for (const spec of specs) {
    const cli = clusterMeshFor(spec.name).cli;
    if (!cli) continue;
    if (!tools.includes(cli)) tools.push(cli);
    if (spec.version) versions[cli] = spec.version;
  }
  return { tools, versions };
}
