/**
 * Rows of the profile's `cost` section: the data plane's instructions per request, counted, not
 * timed. A batch's value is the instructions of every component over the batch minus those of an
 * idle window of the same length (timers, the counting tool's own wake-ups), over its requests.
 * Head vs base pairs the k-th batch of each side in run order (they ran back to back,
 * interleaved), and is judged by the same rule as every ratio row (ratio-row.ts) on the batches' own
 * spread. Mesh vs none: none runs no proxy, so the mesh's count is its whole cost, reported.
 */
import type { GateSpec } from '../profile/types.js';
import type { Results, Variant, VariantCost } from '../results/schema.js';
import type { DecisionRule } from './rule.js';
import { median } from '../stats/descriptive.js';
import { logRatios, pairedEffect } from '../stats/effect.js';
import { ratioRow } from './ratio-row.js';
import type { VerdictRow } from './schema.js';

const METRIC = 'instructionsPerRequest' as const;
const UNIT = 'instructions/request' as const;

/** Instructions per request of each batch, in run order, idle subtracted (never below 0). */
export function batchValues(cost: VariantCost): number[] {
  return [...cost.batches]
    .sort((a, b) => a.sequence - b.sequence)
    .map(
      (batch) =>
        batch.instructions.reduce(
          (sum, count, i) => sum + Math.max(0, count - (cost.idle.instructions[i] ?? 0)),
          0,
        ) / batch.requests,
    );
}

const withCost = (variant: Variant | undefined): variant is Variant & { cost: VariantCost } =>
  Boolean(variant?.cost && variant.cost.batches.length > 0);

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

function reportedLevel(
  variant: Variant & { cost: VariantCost },
  confidence: number,
  rule: DecisionRule,
): VerdictRow {
  const values = batchValues(variant.cost);
  const level = median(values);
  const row = ratioRow({
    comparison: 'overhead',
    metric: METRIC,
    unit: UNIT,
    variant: variant.id,
    comparedWith: 'none (no proxy)',
    baselineValues: [],
    currentValues: values,
    levels: { baseline: NaN, current: level },
    effect: { estimate: NaN, lower: -Infinity, upper: Infinity, pairs: values.length },
    confidence,
    threshold: null,
    gating: false,
    rule,
  });
  return {
    ...row,
    reason: `the data plane adds ${thousands(level)} instructions per request (median of ${values.length} batches, ${variant.cost.method}); counted, reported only`,
  };
}

export function costRows(
  results: Results,
  gate: GateSpec,
  confidence: number,
  rule: DecisionRule,
): VerdictRow[] {
  const profileCost = (results.profile as { cost?: unknown }).cost;
  const counted = results.variants.filter(withCost);
  if (counted.length === 0) {
    if (!profileCost || results.incomplete) return [];
    return [unavailableRow(results, confidence)];
  }
  const byId = new Map(results.variants.map((v) => [v.id, v] as const));
  const rows: VerdictRow[] = [];
  for (const head of counted.filter((v) => v.build === 'head')) {
    const base = byId.get(`base/${head.mesh}`);
    if (withCost(base) && base.cost.method === head.cost.method)
      rows.push(buildRow(base, head, gate, confidence, rule));
    rows.push(reportedLevel(head, confidence, rule));
  }
  return rows;
}

function buildRow(
  base: Variant & { cost: VariantCost },
  head: Variant & { cost: VariantCost },
  gate: GateSpec,
  confidence: number,
  rule: DecisionRule,
): VerdictRow {
  const baseValues = batchValues(base.cost);
  const headValues = batchValues(head.cost);
  const pairs = Math.min(baseValues.length, headValues.length);
  const ratios = logRatios(baseValues.slice(0, pairs), headValues.slice(0, pairs));
  const threshold = gate.cost
    ? {
        kind: 'increase' as const,
        maxIncrease: gate.cost.maxIncrease,
        minDelta: 0,
        minDeltaSource: 'profile' as const,
      }
    : null;
  const row = ratioRow({
    comparison: 'build',
    metric: METRIC,
    unit: UNIT,
    variant: head.id,
    comparedWith: base.id,
    baselineValues: baseValues,
    currentValues: headValues,
    effect: pairedEffect(ratios, confidence, rule),
    effectAt: (level) => pairedEffect(ratios, level, rule),
    confidence,
    threshold,
    gating: threshold !== null,
    rule,
  });
  // More trials add no batches: an unresolved row needs more of them (cost.batches), not a longer run.
  return row.verdict === 'inconclusive'
    ? { ...row, canExtend: false, reason: `${row.reason}; more batches (cost.batches) would narrow it` }
    : { ...row, canExtend: false };
}

/** The profile asked for cost where nothing counts it: one row that says so, never a zero. */
function unavailableRow(results: Results, confidence: number): VerdictRow {
  const platform = results.environment.platform.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40);
  // From results.json (perhaps another job's artifact): one line of plain characters, no controls.
  const why = results.costUnavailable?.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').slice(0, 300);
  return {
    id: `build:all:${METRIC}`,
    comparison: 'build',
    metric: METRIC,
    unit: UNIT,
    variant: 'all',
    comparedWith: '—',
    baseline: null,
    current: null,
    change: null,
    changeLower: null,
    changeUpper: null,
    confidence,
    threshold: null,
    noise: { baselineCv: null, currentCv: null },
    pairs: 0,
    gating: false,
    verdict: 'info',
    reason: why
      ? `not counted on ${platform}: ${why}; the timed rows gate as usual`
      : platform === 'local'
        ? 'nothing counted: no variant runs a local proxy (mesh none), and cost.workload is off'
        : `not available on this platform (${platform}): no counting method; the timed rows gate as usual`,
    canExtend: false,
  };
}
