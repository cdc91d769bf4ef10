/**
 * The gate's capacity rows (capacity profiles): head vs base of one mesh, and mesh vs none of the
 * head build, each comparing the capacities their searches found at the same SLO.
 *
 * A search does not give a sample to build a confidence interval from; it gives a bracket: the
 * true capacity C lies in [L, U), L the highest rate that held and U the lowest that did not
 * (U = ∞ when the SLO held at max_rps, L = 0 when it failed at min_rps). So for the ratio of two
 * capacities the row reports
 *   estimate  L_head / L_base − 1                     (the reported capacities);
 *   bracket   [L_head / U_base − 1, U_head / L_base − 1] (every ratio the two brackets allow).
 * With a missing L (the SLO failed at min_rps) the estimate takes the end of the bracket nearest
 * to no change, so that it never overstates a difference. The noise of single trials is dealt with inside the
 * search (slo.ts: borderline steps are re-run and judged by the majority); the bracket is how
 * precisely the search pinned each capacity down, not a statistical interval.
 *
 * The decision, the project's "significant and material" rule on a drop (θ = max_decrease):
 *   regression    the brackets do not overlap (the upper end of the bracket is below 0) and the
 *                 estimate is a drop of more than θ;
 *   inconclusive  the estimate is a drop of more than θ but the brackets overlap (a finer
 *                 precision or more max_time would tell);
 *   improvement   the mirror image: the lower end above 0 and a gain of more than θ;
 *   pass          otherwise.
 * Without a threshold the row is reported only.
 */
import type { Capacity, Variant } from '../results/schema.js';
import { finiteOrNull, type VerdictRow, type ComparisonKind, type RowVerdict } from '../verdict/schema.js';

/** Head vs base when the profile sets no gate.capacity: the latency gate's default θ. */
export const DEFAULT_CAPACITY_DECREASE = 0.1;

export interface CapacityRowInput {
  comparison: Extract<ComparisonKind, 'build' | 'overhead'>;
  current: Variant & { capacity: Capacity };
  baseline: Variant & { capacity: Capacity };
  /** θ: the drop that fails; undefined = reported only. */
  maxDecrease?: number;
}

export interface CapacityRatio {
  /** Relative change of the capacity (current / baseline − 1), or null when neither side held anywhere. */
  change: number | null;
  lower: number;
  /** Infinity when the current side held at max_rps. */
  upper: number;
}

const bracketOf = (capacity: Capacity) => ({
  lower: capacity.lowerRps ?? 0,
  upper: capacity.upperRps ?? Infinity,
  held: capacity.lowerRps !== null,
});

/** The capacity ratio of two searches and the range their brackets allow. */
export function capacityRatio(current: Capacity, baseline: Capacity): CapacityRatio {
  const now = bracketOf(current);
  const then = bracketOf(baseline);
  const lower = now.lower / then.upper - 1;
  const upper = then.lower > 0 ? now.upper / then.lower - 1 : Infinity;
  let change: number | null;
  if (now.held && then.held) change = now.lower / then.lower - 1;
  else if (!now.held && then.held) change = now.upper / then.lower - 1;
  else if (now.held && !then.held) change = Number.isFinite(then.upper) ? now.lower / then.upper - 1 : null;
  else change = null;
  return { change, lower, upper };
}

const pct = (fraction: number) => `${fraction >= 0 ? '+' : '−'}${Math.abs(fraction * 100).toFixed(1)}%`;
const share = (fraction: number) => `${Math.round(Math.abs(fraction) * 100)}%`;
const rps = (capacity: Capacity) =>
  capacity.lowerRps === null
    ? `below ${capacity.upperRps} rps`
    : `${capacity.lowerRps}${capacity.upperRps === null ? '+' : ''} rps`;

export function judgeCapacityRatio(ratio: CapacityRatio, maxDecrease: number | undefined): RowVerdict {
  if (maxDecrease === undefined || ratio.change === null) return 'info';
  if (ratio.change < -maxDecrease) return ratio.upper < 0 ? 'regression' : 'inconclusive';
  if (ratio.change > maxDecrease && ratio.lower > 0) return 'improvement';
  return 'pass';
}

function reasonFor(input: CapacityRowInput, ratio: CapacityRatio, verdict: RowVerdict): string {
  const { current, baseline } = input;
  const levels = `${rps(baseline.capacity)} → ${rps(current.capacity)}`;
  if (ratio.change === null) return `${levels}: the SLO held at no rate tried on either side`;
  const range = `bracket ${pct(ratio.lower)} to ${Number.isFinite(ratio.upper) ? pct(ratio.upper) : '+∞'}`;
  const lead =
    input.comparison === 'overhead'
      ? ratio.change < 0
        ? `this mesh costs ${share(ratio.change)} of the capacity without it at the SLO (${levels}, ${range})`
        : `this mesh costs no capacity at the SLO (${levels}, ${range})`
      : `capacity at the SLO ${levels} (${pct(ratio.change)}, ${range})`;
  const theta = input.maxDecrease !== undefined ? share(input.maxDecrease) : '';
  switch (verdict) {
    case 'regression':
      return `${lead}: a loss of more than ${theta}, and the brackets do not overlap`;
    case 'inconclusive':
      return `${lead}: a loss of more than ${theta}, but the brackets overlap; a finer precision or more max_time would tell`;
    case 'improvement':
      return `${lead}: a gain of more than ${theta}`;
    case 'pass':
      return `${lead}: within the ${theta} allowed`;
    default:
      return `${lead}; no threshold, reported only`;
  }
}

/** The variants of a row whose search never held the SLO, not even at min_rps. */
const neverHeld = (input: CapacityRowInput) =>
  [input.baseline, input.current].filter((v) => v.capacity.lowerRps === null);

/**
 * A pass means judged: a side whose search never held the SLO has no capacity to compare, so a
 * row that the brackets alone do not settle (a regression or an improvement they prove stands)
 * is "not measured", with what to change.
 */
function notMeasuredReason(input: CapacityRowInput, missing: CapacityRowInput['current'][]): string {
  const at = [...new Set(missing.map((v) => v.capacity.upperRps).filter((rps) => rps !== null))];
  const names = missing.map((v) => v.id).join(' and ');
  // A search that ran out of max_time (or was cut short) before any step held did not reach min_rps.
  if (missing.some((v) => v.capacity.stop !== 'below_min'))
    return `no rate tried on ${names} held the SLO before the search stopped: capacity not measured; raise max_time, lower min_rps or relax the SLO (load.capacity.slo)`;
  return `the SLO did not hold on ${names} even at min_rps${at.length === 1 ? ` (${at[0]} rps)` : ''}: capacity not measured; lower min_rps or relax the SLO (load.capacity.slo) so that the search finds a rate that holds`;
}

export function capacityRow(input: CapacityRowInput): VerdictRow {
  const ratio = capacityRatio(input.current.capacity, input.baseline.capacity);
  const judged = judgeCapacityRatio(ratio, input.maxDecrease);
  const gating = input.maxDecrease !== undefined;
  const missing = neverHeld(input);
  const notMeasured = gating && missing.length > 0 && judged !== 'regression' && judged !== 'improvement';
  const verdict: RowVerdict = notMeasured ? 'inconclusive' : judged;
  const halfWidth = Number.isFinite(ratio.upper) ? (ratio.upper - ratio.lower) / 2 : Infinity;
  return {
    id: `${input.comparison}:${input.current.id}:capacityRps`,
    comparison: input.comparison,
    metric: 'capacityRps',
    unit: 'rps',
    variant: input.current.id,
    comparedWith: input.baseline.id,
    baseline: input.baseline.capacity.lowerRps,
    current: input.current.capacity.lowerRps,
    change: ratio.change === null ? null : finiteOrNull(ratio.change),
    changeLower: finiteOrNull(ratio.lower),
    changeUpper: finiteOrNull(ratio.upper),
    // The bracket holds every ratio the two searches allow: it is not a statistical interval.
    confidence: 1,
    threshold: gating ? { kind: 'decrease', maxDecrease: input.maxDecrease! } : null,
    noise: { baselineCv: null, currentCv: null },
    minimumDetectableChange: finiteOrNull(halfWidth),
    pairs: Math.min(input.current.capacity.steps.length, input.baseline.capacity.steps.length),
    gating,
    verdict,
    reason: notMeasured ? notMeasuredReason(input, missing) : reasonFor(input, ratio, verdict),
    canExtend: false,
    ...(notMeasured ? { undecided: 'not-measured' as const } : {}),
  };
}
