/**
 * meshgate's efficiency index of a mesh (capacity profiles; defined in docs/method.md):
 *
 *   C_mesh   capacity of the variant with the mesh at the SLO (highest rate that held);
 *   C_none   capacity of the same build without a mesh, measured in the same run;
 *   D        the data plane's CPU in cores while it carried C_mesh (median over the trials of the
 *            step at C_mesh; cpuMillicores / 1000, measured per trial for local proxies and from
 *            cAdvisor for cluster meshes);
 *   index    (C_mesh / D) / C_none  =  retained / D, with retained = C_mesh / C_none.
 *
 * In words: requests per second per data-plane core at the SLO, normalised by the capacity the
 * application has without a mesh — the share of the mesh-free capacity each data-plane core
 * delivers. Higher is better. A mesh that keeps 80% of the capacity on 0.4 cores scores 2.0; one
 * that keeps 80% on 0.8 cores scores 1.0. Normalising by C_none makes the index a property of the
 * mesh on this workload and machine rather than of the application's speed; `retained` and `D`
 * are reported beside it, since one number cannot say which of the two moved.
 * It needs both capacities (a search that failed at min_rps has none) and the data plane's CPU;
 * without the CPU, retained is still reported.
 */
import type { Results, Variant } from '../results/schema.js';
import { median } from '../stats/descriptive.js';
import type { CapacitySummary } from '../verdict/schema.js';

export type EfficiencyRow = CapacitySummary['efficiency'][number];

/** Data-plane cores at the variant's capacity step, or null when not measured. */
export function coresAtCapacity(variant: Variant): number | null {
  const capacity = variant.capacity;
  if (!capacity || capacity.lowerRps === null) return null;
  const step = [...capacity.steps].reverse().find((s) => s.verdict === 'pass' && s.rps === capacity.lowerRps);
  if (!step) return null;
  const millicores = step.trials
    .map((index) => variant.trials[index]?.resources?.cpuMillicores)
    .filter((value): value is number => value !== undefined && value > 0);
  return millicores.length > 0 ? median(millicores) / 1000 : null;
}

export function efficiencyRow(mesh: Variant, none: Variant): EfficiencyRow | undefined {
  const withMesh = mesh.capacity?.lowerRps ?? null;
  const without = none.capacity?.lowerRps ?? null;
  if (withMesh === null || without === null || without <= 0) return undefined;
  const retained = withMesh / without;
  const cores = coresAtCapacity(mesh);
  return {
    variant: mesh.id,
    comparedWith: none.id,
    retained,
    dataPlaneCores: cores,
    rpsPerCore: cores !== null ? withMesh / cores : null,
    index: cores !== null ? retained / cores : null,
  };
}

/** One row per variant with a mesh whose build also ran without one. */
export function efficiencyRows(results: Results): EfficiencyRow[] {
  const byId = new Map(results.variants.map((v) => [v.id, v] as const));
  return results.variants.flatMap((variant) => {
    if (variant.mesh === 'none') return [];
    const none = byId.get(`${variant.build}/none`);
    const row = none && efficiencyRow(variant, none);
    return row ? [row] : [];
  });
}

const fixed = (value: number, digits: number) => value.toFixed(digits);

/** "head/nginx: efficiency index 2.06 per core (keeps 69% of head/none's capacity on 0.34 data-plane cores; 1,420 rps per core)". */
export function describeEfficiency(row: EfficiencyRow): string {
  const kept = `keeps ${Math.round(row.retained * 100)}% of ${row.comparedWith}'s capacity`;
  if (row.index === null || row.dataPlaneCores === null || row.rpsPerCore === null)
    return `${row.variant}: ${kept}; efficiency index not available (the data plane's CPU was not measured)`;
  return `${row.variant}: efficiency index ${fixed(row.index, 2)} per core (${kept} on ${fixed(row.dataPlaneCores, 2)} data-plane cores; ${Math.round(row.rpsPerCore).toLocaleString('en-US')} rps per core)`;
}
