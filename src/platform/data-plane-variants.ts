/**
 * The data planes in front of one application build, shared by the local and the cluster
 * platforms: one per mesh entry, or two (base and head) for an entry with data-plane builds,
 * which the gate pairs like two application builds. The schema allows data-plane builds only
 * with a single application build.
 */
import type { MeshSpec } from '../profile/types.js';
import type { BuildName } from './types.js';

export function variantsOf(build: BuildName, meshes: readonly MeshSpec[]): Array<[BuildName, MeshSpec]> {
  return meshes.flatMap((mesh): Array<[BuildName, MeshSpec]> => {
    if (!mesh.builds) return [[build, mesh]];
    const { builds, ...rest } = mesh;
    return (['base', 'head'] as const).map((side): [BuildName, MeshSpec] => [side, { ...rest, dataPlane: builds[side] }]);
  });
}
