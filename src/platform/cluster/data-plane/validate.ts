/**
 * Every cluster data-plane build of a profile, checked before anything starts (prepare, the dry
 * run): manifests, proxy annotations and install files against the rules of the mesh version
 * the run installs. The result is what each variant carries, by variant id.
 *
 * Which comparisons are possible follows from where a setting lives. Per-namespace objects and
 * per-pod annotations of base and head live side by side in one cluster (one namespace each), so
 * they are measured in the same job. An install file is mesh-wide: one control plane per cluster,
 * so two entries of one mesh must agree on it, and its effect is judged against a stored
 * baseline by the cross-job method (stats/data-plane-method.ts says which was used).
 */
import { UserError } from '../../../errors.js';
import type { KubeObject } from '../../../system/kubectl.js';
import { TOOL_RELEASES } from '../../../system/tool-versions.js';
import type { MeshSpec } from '../../../profile/types.js';
import { variantsOf } from '../../data-plane-variants.js';
import { clusterMeshFor, isClusterMesh } from '../meshes/registry.js';
import type { ClusterMesh } from '../meshes/types.js';
import { annotationProblems } from './annotations.js';
import { checkInstallValues } from './install-values.js';
import { readDataPlaneManifests } from './manifests.js';

/** What one variant's data plane carries on top of the mesh's stock proxy. */
export interface VariantDataPlane {
  objects: KubeObject[];
  annotations: Record<string, string>;
}

/** The mesh version a run installs for `spec` (the profile's, else the pinned CLI's). */
export function meshVersion(adapter: ClusterMesh, spec: MeshSpec): string {
  return spec.version ?? (adapter.cli ? TOOL_RELEASES[adapter.cli].version : 'unknown');
}

function checkInstallFiles(meshes: readonly MeshSpec[]): void {
  const byMesh = new Map<string, { file?: string; index: number }>();
  meshes.forEach((spec, index) => {
    if (!isClusterMesh(spec.name)) return;
    const adapter = clusterMeshFor(spec.name);
    if (spec.installValues !== undefined) {
      if (!adapter.dataPlaneRules) throw new UserError(`mesh[${index}].install_values: ${spec.name} installs nothing`);
      checkInstallValues(spec.installValues, `mesh[${index}].install_values`, adapter.dataPlaneRules, meshVersion(adapter, spec));
    }
    const earlier = byMesh.get(spec.name);
    if (earlier && earlier.file !== spec.installValues)
      throw new UserError(
        `mesh[${index}].install_values: ${spec.name} is installed once per cluster, and mesh[${earlier.index}] asks for ${earlier.file ? `install_values ${earlier.file}` : 'no install_values'}; compare install settings against a stored baseline instead (one setting per job)`,
      );
    byMesh.set(spec.name, { file: spec.installValues, index });
  });
}

/** Check every build; exit 2 (UserError) naming the profile field, the file and the problem. */
export function validateClusterDataPlanes(meshes: readonly MeshSpec[]): Map<string, VariantDataPlane> {
  checkInstallFiles(meshes);
  const planned = new Map<string, VariantDataPlane>();
  // Both application builds: an entry without data-plane builds carries its files to both.
  const variants = (['base', 'head'] as const).flatMap((build) => variantsOf(build, meshes));
  for (const [side, spec] of variants) {
    if (planned.has(`${side}/${spec.id}`)) continue;
    const files = spec.dataPlane;
    if (!files || !isClusterMesh(spec.name)) continue;
    const adapter = clusterMeshFor(spec.name);
    const rules = adapter.dataPlaneRules;
    if (!rules) throw new UserError(`${files.field}: ${spec.name} has no data plane to configure`);
    const carries = (files.manifests?.length ?? 0) > 0 || Object.keys(files.proxyAnnotations ?? {}).length > 0;
    if (spec.mode === 'ambient' && carries)
      throw new UserError(
        `${files.field}: ambient variants run no sidecar (ztunnel on each node is shared by every ambient namespace), so per-variant proxy settings have no proxy to act on; use mode: sidecar`,
      );
    const version = meshVersion(adapter, spec);
    const annotations = files.proxyAnnotations ?? {};
    const problems = annotationProblems(annotations, rules, spec.name, version);
    if (problems.length > 0) throw new UserError(`${files.field}.proxy_annotations: ${problems[0]}`);
    const objects = readDataPlaneManifests(files.manifests ?? [], {
      field: `${files.field}.manifests`,
      mesh: spec.name,
      version,
      kinds: rules.manifestKinds,
    });
    planned.set(`${side}/${spec.id}`, { objects, annotations });
  }
  return planned;
}
