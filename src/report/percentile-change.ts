/**
 * The change by percentile that the comment's chart and the HTML report's plot show: for each
 * same-job comparison the gate made (head vs base, mesh vs none), at p50 … p99.9, the paired
 * estimate of current / baseline − 1 with its interval: the verdict row's own where a row judged
 * that percentile (its interval at the level it was judged at), else computed as the rows are
 * (per-pair log-ratios of each trial's own percentile, the same rule and confidence).
 * A change axis, not a latency axis: +0.2 ms at 1 ms is +20%, as tall as +2 ms at 10 ms.
 */
import { decodeHistogram } from '../load/histogram.js';
import type { Results, Trial, Variant } from '../results/schema.js';
import { DEFAULT_RULE } from '../verdict/rule.js';
import { logRatios, pairedEffect } from '../stats/effect.js';
import { pairTrials } from '../stats/pairing.js';
import type { VerdictRow, Verdict } from '../verdict/schema.js';

export const CHANGE_PERCENTILES = [50, 75, 90, 95, 99, 99.9] as const;

export interface ChangePoint {
  percentile: number;
  /** Fractions: 0.12 = +12%; null where fewer than two pairs measured it. */
  change: number | null;
  lower: number | null;
  upper: number | null;
  /**
   * The level of this point's interval when it is not the curve's: a percentile the verdict judged
   * at a stricter level (a noisy row) is shown with the interval it was judged on, at that level.
   */
  confidence?: number;
}

/** The verdict row that judges each charted percentile (p75 and p95 have none). */
const ROW_METRIC: Partial<Record<number, VerdictRow['metric']>> = {
  50: 'p50',
  90: 'p90',
  99: 'p99',
  99.9: 'p999',
};

export interface PercentileChange {
  comparison: 'build' | 'overhead';
  variant: string;
  comparedWith: string;
  pairs: number;
  confidence: number;
  points: ChangePoint[];
  /** The gating latency threshold of this comparison (max_increase), when one gates it. */
  thresholdFraction: number | null;
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** One trial's latency in ms at each CHANGE_PERCENTILES, from its own histogram. */
function trialPercentiles(trial: Trial, cache: Map<Trial, number[]>): number[] {
  let values = cache.get(trial);
  if (!values) {
    if (trial.requests === 0) values = CHANGE_PERCENTILES.map(() => NaN);
    else {
      const histogram = decodeHistogram(trial.histogram);
      values =
        histogram.totalCount === 0
          ? CHANGE_PERCENTILES.map(() => NaN)
          : CHANGE_PERCENTILES.map((q) => histogram.getValueAtPercentile(q) / 1000);
    }
    cache.set(trial, values);
  }
  return values;
}

function thresholdOf(rows: readonly VerdictRow[]): number | null {
  const gating = rows.filter((row) => row.gating && row.threshold?.kind === 'increase');
  const limits = gating.map((row) => (row.threshold as { maxIncrease: number }).maxIncrease);
  return limits.length > 0 ? Math.min(...limits) : null;
}

/** Change curves of every same-job pair in the verdict, in the verdict's order. */
export function percentileChanges(results: Results, verdict: Verdict): PercentileChange[] {
  const byId = new Map<string, Variant>(results.variants.map((variant) => [variant.id, variant]));
  const cache = new Map<Trial, number[]>();
  const seen = new Set<string>();
  const curves: PercentileChange[] = [];
  for (const check of verdict.checks) {
    if (check.comparison !== 'build' && check.comparison !== 'overhead') continue;
    // A capacity run's trials are steps at different rates: there is no pair to take ratios of.
    if (check.metric === 'capacityRps') continue;
    const key = `${check.comparison}|${check.variant}|${check.comparedWith}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const current = byId.get(check.variant);
    const baseline = byId.get(check.comparedWith);
    if (!current || !baseline) continue;
    const { pairs } = pairTrials(baseline, current);
    const confidence = verdict.sequential.confidence;
    const rows = verdict.checks.filter(
      (row) =>
        row.comparison === check.comparison &&
        row.variant === check.variant &&
        row.comparedWith === check.comparedWith,
    );
    const points = CHANGE_PERCENTILES.map((percentile, i): ChangePoint => {
      // A judged percentile is charted with its row's own numbers: one number everywhere.
      const row = rows.find((r) => r.metric === ROW_METRIC[percentile] && r.change !== null);
      if (row)
        return {
          percentile,
          change: row.change,
          lower: row.changeLower,
          upper: row.changeUpper,
          ...(row.lookConfidence !== undefined ? { confidence: row.confidence } : {}),
        };
      const ratios = logRatios(
        pairs.map((pair) => trialPercentiles(pair.baseline, cache)[i]),
        pairs.map((pair) => trialPercentiles(pair.current, cache)[i]),
      );
      if (ratios.length < 2) return { percentile, change: null, lower: null, upper: null };
      const effect = pairedEffect(ratios, confidence, DEFAULT_RULE);
      return {
        percentile,
        change: finite(Math.exp(effect.estimate) - 1),
        lower: finite(Math.exp(effect.lower) - 1),
        upper: finite(Math.exp(effect.upper) - 1),
      };
    });
    curves.push({
      comparison: check.comparison,
      variant: check.variant,
      comparedWith: check.comparedWith,
      pairs: pairs.length,
      confidence,
      points,
      thresholdFraction: thresholdOf(rows),
    });
  }
  return curves;
}
