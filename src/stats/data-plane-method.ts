/**
 * Which method compared each customised data plane, for the verdict's notes (the comment shows
 * them). Data-plane builds (local proxy configs; cluster manifests and proxy annotations) run
 * side by side in one job and are compared pair by pair. A cluster mesh's install_values are
 * mesh-wide — one control plane per cluster — so base and head cannot share a job: the variant is
 * judged against the stored baseline by the cross-job method (its ratio to none in each job), and
 * without a baseline its change is not judged at all, which the note says.
 */
import type { Results } from '../results/schema.js';

interface MeshInfo {
  id?: unknown;
  builds?: unknown;
  installValues?: unknown;
}

const meshesOf = (results: Results): MeshInfo[] => {
  const mesh = (results.profile as { mesh?: unknown }).mesh;
  return Array.isArray(mesh) ? (mesh.filter((m) => m && typeof m === 'object') as MeshInfo[]) : [];
};

/** Ids are [a-z0-9-] in profiles; anything else from a file is left out rather than rendered. */
const safeId = (id: unknown): string | undefined =>
  typeof id === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(id) ? id : undefined;
const fileName = (path: unknown): string =>
  typeof path === 'string'
    ? (path.split('/').pop() ?? '').replace(/[^A-Za-z0-9._-]/g, '_') || 'install file'
    : 'install file';

/** Variant ids whose mesh carries mesh-wide install values: their cross-job rows gate. */
export function meshWideVariants(results: Results): Set<string> {
  const ids = new Set(
    meshesOf(results)
      .filter((m) => m.installValues !== undefined)
      .map((m) => safeId(m.id)),
  );
  return new Set(results.variants.filter((v) => ids.has(v.mesh)).map((v) => v.id));
}

/**
 * Where base and head ran side by side, by the platform name the results file records (a file
 * from any run, so the name as written there, not this build's registry). An unknown name is
 * not guessed at.
 */
const SIDE_BY_SIDE: Record<string, string> = {
  local: ' (on this machine)',
  kind: ' (one namespace each, in one cluster)',
  kubernetes: ' (one namespace each, in one cluster)',
};

export function dataPlaneMethodNotes(results: Results, baseline: Results | undefined): string[] {
  const notes: string[] = [];
  const platform = results.environment.platform;
  const where = Object.hasOwn(SIDE_BY_SIDE, platform) ? SIDE_BY_SIDE[platform] : '';
  for (const mesh of meshesOf(results)) {
    const id = safeId(mesh.id);
    if (!id) continue;
    if (mesh.builds)
      notes.push(
        `Method for ${id}: same job. base/${id} and head/${id} ran side by side${where} in interleaved trials and are compared pair by pair.`,
      );
    if (mesh.installValues === undefined) continue;
    const what = `its install_values (${fileName(mesh.installValues)}) are mesh-wide: one control plane serves the whole cluster, so two settings cannot run side by side`;
    const inBaseline = baseline?.variants.some((v) => v.mesh === id) ?? false;
    notes.push(
      inBaseline
        ? `Method for ${id}: cross-job. ${what[0].toUpperCase()}${what.slice(1)}; head/${id} ÷ head/none in this job is compared with the same ratio in the baseline run.`
        : `Method for ${id}: none yet. ${what[0].toUpperCase()}${what.slice(1)}, and ${baseline ? 'the baseline run has no such variant' : 'no baseline run was given'}: the change is not judged, only this job's overhead over none.`,
    );
  }
  return notes;
}
