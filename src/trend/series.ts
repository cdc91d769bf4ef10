/**
 * Baselines of main, oldest first → one series per variant and metric, normalised inside each
 * job where the job allows it.
 *
 * Raw latencies move 10–60% between jobs on shared runners, which would bury a 10% step. A mesh
 * variant is therefore tracked as its ratio to the same build without a mesh, measured in the
 * same job (median of per-pair ratios, pairs in run order, as the gate pairs them): a uniformly
 * faster or slower runner cancels. A variant without a mesh has nothing in its own job to divide
 * by; it is tracked raw and labelled so, because its steps may be the runner's.
 *
 * A job reaches the series as a `JobSample`: a results file (below) or a compact history record
 * (src/history/), which stores the same two numbers computed by `rawValue` and `ratioValue` here.
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

/** One job of the history, whatever it was read from. */
export interface JobSample {
  file: string;
  sha?: string;
  createdAt: string;
  /** A capacity run's trials are steps at different rates: their latencies are no level to track. */
  capacityRun: boolean;
  variantIds: readonly string[];
  /** The variant's level in ms (median of its trials), or undefined. */
  raw(variantId: string, metric: LatencyMetric): number | undefined;
  /** The variant's ratio to `to`, measured in the same job, or undefined. */
  ratio(variantId: string, to: string, metric: LatencyMetric): number | undefined;
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

export function ratioValue(
  numerator: Variant,
  denominator: Variant,
  metric: LatencyMetric,
): number | undefined {
  const values = pairedValues(pairTrials(denominator, numerator).pairs, metric);
  const ratios = values.current
    .map((current, i) => current / values.baseline[i])
    .filter((r) => Number.isFinite(r) && r > 0);
  return ratios.length > 0 ? median(ratios) : undefined;
}

export function rawValue(variant: Variant, metric: LatencyMetric): number | undefined {
  const values = variantValues(variant, metric).filter((v) => v > 0);
  return values.length > 0 ? median(values) : undefined;
}

/** The mesh-free variant a mesh variant is divided by (`head/istio` → `head/none`). */
export function normaliserOf(variantId: string): string | undefined {
  const [build, mesh] = variantId.split('/');
  return mesh !== undefined && mesh !== 'none' ? `${build}/none` : undefined;
}

export function sampleOfResults({ file, results }: HistoryEntry): JobSample {
  const find = (id: string) => results.variants.find((v) => v.id === id);
  return {
    file,
    sha: results.environment.git?.sha,
    createdAt: results.createdAt,
    capacityRun: isCapacityRun(results),
    variantIds: results.variants.map((v) => v.id),
    raw: (id, metric) => {
      const variant = find(id);
      return variant && rawValue(variant, metric);
    },
    ratio: (id, to, metric) => {
      const [variant, denominator] = [find(id), find(to)];
      return variant && denominator && ratioValue(variant, denominator, metric);
    },
  };
}

export function trendSeriesOfSamples(samples: readonly JobSample[], metric: LatencyMetric): TrendSeries[] {
  const ids: string[] = [];
  for (const sample of samples) for (const id of sample.variantIds) if (!ids.includes(id)) ids.push(id);
  return ids.map((id) => {
    const normalisedBy = normaliserOf(id);
    const points: TrendPoint[] = [];
    samples.forEach((sample, position) => {
      if (sample.capacityRun || !sample.variantIds.includes(id)) return;
      if (normalisedBy && !sample.variantIds.includes(normalisedBy)) return;
      const value = normalisedBy ? sample.ratio(id, normalisedBy, metric) : sample.raw(id, metric);
      if (value === undefined || !Number.isFinite(value) || value <= 0) return;
      points.push({ position, file: sample.file, sha: sample.sha, createdAt: sample.createdAt, value });
    });
    return { variant: id, metric, normalisedBy, points };
  });
}

export function trendSeries(history: readonly HistoryEntry[], metric: LatencyMetric): TrendSeries[] {
  return trendSeriesOfSamples(history.map(sampleOfResults), metric);
}
