/**
 * Baselines of main, oldest first → one series per variant and metric, normalised inside each
 * job where the job allows it.
 *
 * Raw latencies move 10–60% between jobs on shared runners, which would bury a 10% step. A mesh
 * variant is therefore tracked as its ratio to the same build without a mesh, measured in the
 * same job (median of per-pair ratios, pairs in run order, as the gate pairs them): a uniformly
 * faster or slower runner cancels. A variant without a mesh has nothing in its own job to divide
 * by; it is tracked raw and labelled so, because its steps may be the runner's.
 */
import { isCapacityRun } from '../capacity/describe.js';
import type { LatencyMetric } from '../profile/types.js';
import type { Results, Variant } from '../results/schema.js';
import { median } from '../stats/descriptive.js';
import { pairTrials, pairedValues, variantValues } from '../stats/pairing.js';

export interface HistoryEntry {
  file: string;
  results: Results;
}

export interface TrendPoint {
  /** Position of the baseline in the history (0 = oldest). */
  position: number;
  file: string;
  sha?: string;
  createdAt: string;
  value: number;
}

export interface TrendSeries {
  variant: string;
  metric: LatencyMetric;
  /** The variant it is divided by in each job, or undefined for a raw series (ms). */
  normalisedBy?: string;
  points: TrendPoint[];
}

function ratioValue(numerator: Variant, denominator: Variant, metric: LatencyMetric): number | undefined {
  const values = pairedValues(pairTrials(denominator, numerator).pairs, metric);
  const ratios = values.current
    .map((current, i) => current / values.baseline[i])
    .filter((r) => Number.isFinite(r) && r > 0);
  return ratios.length > 0 ? median(ratios) : undefined;
}

function rawValue(variant: Variant, metric: LatencyMetric): number | undefined {
  const values = variantValues(variant, metric).filter((v) => v > 0);
  return values.length > 0 ? median(values) : undefined;
}

export function trendSeries(history: readonly HistoryEntry[], metric: LatencyMetric): TrendSeries[] {
  const ids: string[] = [];
  for (const { results } of history) for (const v of results.variants) if (!ids.includes(v.id)) ids.push(v.id);
  return ids.map((id) => {
    const [build, mesh] = id.split('/');
    const normalisedBy = mesh !== 'none' ? `${build}/none` : undefined;
    const points: TrendPoint[] = [];
    history.forEach(({ file, results }, position) => {
      // A capacity run's trials are steps at different rates: their latencies are no level to track.
      if (isCapacityRun(results)) return;
      const variant = results.variants.find((v) => v.id === id);
      if (!variant) return;
      const denominator = normalisedBy ? results.variants.find((v) => v.id === normalisedBy) : undefined;
      if (normalisedBy && !denominator) return;
      const value = denominator ? ratioValue(variant, denominator, metric) : rawValue(variant, metric);
      if (value === undefined) return;
      points.push({ position, file, sha: results.environment.git?.sha, createdAt: results.createdAt, value });
    });
    return { variant: id, metric, normalisedBy, points };
  });
}
