/**
 * The cluster meshes by name. Adding a mesh is one file in this folder (a ClusterMesh) and one
 * line in CLUSTER_MESHES; the profile's list of cluster mesh names, the tools a run installs and
 * the version a profile pins all come from here.
 */
import { UserError } from '../../../errors.js';
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
} as const satisfies Record<string, () => ClusterMesh>;

export type ClusterMeshName = keyof typeof CLUSTER_MESHES;
export const CLUSTER_MESH_NAMES = Object.keys(CLUSTER_MESHES) as ClusterMeshName[];

export function isClusterMesh(name: string): name is ClusterMeshName {
  return Object.hasOwn(CLUSTER_MESHES, name);
}

/** A fresh adapter (adapters remember whether they installed the control plane). */
export function clusterMeshFor(name: string): ClusterMesh {
  if (!isClusterMesh(name))
    throw new UserError(
      `mesh '${name}' runs on platform local only; on kind/kubernetes use ${CLUSTER_MESH_NAMES.join(', ')}`,
    );
  return CLUSTER_MESHES[name]();
}

/** Data-plane modes of a cluster mesh (undefined when it has none or is not a cluster mesh). */
export function clusterMeshModes(name: string): readonly string[] | undefined {
  return isClusterMesh(name) ? clusterMeshFor(name).modes : undefined;
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
