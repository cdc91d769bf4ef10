/**
 * The verdict's part for a capacity profile: the capacity rows (row.ts) head vs base of
 * each mesh and mesh vs none of each build, the summary the reports render (each variant's
 * capacity and bracket, each mesh's efficiency index), and notes on the searches. Pure.
 */
import { capacitySpecOf, describeSlo } from './describe.js';
import type { GateSpec } from '../profile/types.js';
import type { Capacity, Results, Variant } from '../results/schema.js';
import { capacityRow, DEFAULT_CAPACITY_DECREASE } from './row.js';
import { efficiencyRows } from './efficiency.js';
import type { CapacitySummary, VerdictRow } from '../verdict/schema.js';

type Searched = Variant & { capacity: Capacity };
const searched = (variant: Variant | undefined): variant is Searched => variant?.capacity !== undefined;

export interface CapacityPart {
  checks: VerdictRow[];
  notes: string[];
  summary: CapacitySummary;
}

export function capacityPart(results: Results, gate: GateSpec): CapacityPart {
  const byId = new Map(results.variants.map((v) => [v.id, v] as const));
  const variants = results.variants.filter(searched);
  const checks: VerdictRow[] = [];
  for (const head of variants.filter((v) => v.build === 'head')) {
    const base = byId.get(`base/${head.mesh}`);
    if (searched(base))
      checks.push(
        capacityRow({
          comparison: 'build',
          current: head,
          baseline: base,
          maxDecrease: gate.capacity?.maxDecrease ?? DEFAULT_CAPACITY_DECREASE,
        }),
      );
  }
  // Mesh vs none of each build: a base build's overhead is reported, the head's gates.
  for (const variant of variants.filter((v) => v.mesh !== 'none')) {
    const none = byId.get(`${variant.build}/none`);
    if (searched(none))
      checks.push(
        capacityRow({
          comparison: 'overhead',
          current: variant,
          baseline: none,
          maxDecrease: variant.build === 'head' ? gate.overheadCapacity?.maxDecrease : undefined,
        }),
      );
  }
  const spec = capacitySpecOf(results);
  const efficiency = efficiencyRows(results);
  const notes: string[] = [];
  for (const variant of variants) {
    const { stop, precision } = variant.capacity;
    if (stop === 'time')
      notes.push(
        `${variant.id}: the capacity search ran out of max_time ${precision !== null ? `at a precision of ${(precision * 100).toFixed(1)}%` : 'before it found both ends of the bracket'}${spec ? `, short of the ${(spec.precision * 100).toFixed(1)}% asked for` : ''}.`,
      );
    if (stop === 'above_max')
      notes.push(
        `${variant.id}: the SLO held at max_rps (${variant.capacity.lowerRps} rps): its capacity is at least that; raise max_rps to find it.`,
      );
    if (stop === 'below_min')
      notes.push(
        `${variant.id}: the SLO did not hold at min_rps (${variant.capacity.upperRps} rps): its capacity is below that; lower min_rps to find it.`,
      );
  }
  if (variants.length > 0 && !checks.some((c) => c.gating))
    notes.push(
      'No capacity comparison gated this run: add a base build (workload.builds), or a mesh and none with gate.overhead.capacity.',
    );
  return {
    checks,
    notes,
    summary: {
      slo: spec ? describeSlo(spec.slo) : 'unknown SLO',
      targetPrecision: spec?.precision ?? 0,
      variants: variants.map((v) => ({
        variant: v.id,
        lowerRps: v.capacity.lowerRps,
        upperRps: v.capacity.upperRps,
        precision: v.capacity.precision,
        stop: v.capacity.stop,
        steps: v.capacity.steps.length,
        trials: v.trials.length,
      })),
      efficiency,
    },
  };
}

/**
 * The trials a capacity rests on (those of its passing steps), as a results file, for the notes
 * on the generator and on thin tails: the overload steps above the capacity are expected to
 * show backpressure and would drown them.
 */
export function capacityEvidence(results: Results): Results {
  return {
    ...results,
    variants: results.variants.map((variant) => {
      const held = new Set(
        (variant.capacity?.steps ?? []).filter((s) => s.verdict === 'pass').flatMap((s) => s.trials),
      );
      return { ...variant, trials: variant.trials.filter((trial) => held.has(trial.index)) };
    }),
  };
}
