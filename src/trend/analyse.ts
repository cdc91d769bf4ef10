/**
 * The trend on main: change points in each normalised series, with their size.
 * Detection runs on log values, so a step is a relative change and the same 10% counts the same
 * at 1 ms and at 100 ms.
 */
import type { LatencyMetric } from '../profile/types.js';
import { changePoints, type ChangePointOptions } from '../stats/change-point.js';
import {
  sampleOfResults,
  trendSeriesOfSamples,
  type HistoryEntry,
  type JobSample,
  type TrendPoint,
  type TrendSeries,
} from './series.js';

export const TREND_SCHEMA = 'meshgate/trend@1';

export interface TrendStep {
  /** The first baseline after the step. */
  at: TrendPoint;
  /** The last baseline before it. */
  previous: TrendPoint;
  /** Geometric means of the segments on either side (between neighbouring steps). */
  levelBefore: number;
  levelAfter: number;
  /** levelAfter / levelBefore − 1 (+0.12 = 12% slower). */
  relativeChange: number;
  pValue: number;
}

export interface SeriesTrend extends TrendSeries {
  steps: TrendStep[];
  /** Why no detection ran, when it did not (too few points). */
  skipped?: string;
}

export interface TrendReport {
  schema: typeof TREND_SCHEMA;
  metric: LatencyMetric;
  baselines: { file: string; sha?: string; createdAt: string }[];
  method: string;
  alpha: number;
  series: SeriesTrend[];
}

export interface TrendOptions extends ChangePointOptions {
  metric?: LatencyMetric;
  /** Steps smaller than this relative change are not reported (default 0). */
  minChange?: number;
}

export function analyseTrend(history: readonly HistoryEntry[], options: TrendOptions = {}): TrendReport {
  return analyseSamples(history.map(sampleOfResults), options);
}

/** The same analysis over jobs read from anywhere (results files, history records). */
export function analyseSamples(samples: readonly JobSample[], options: TrendOptions = {}): TrendReport {
  const metric = options.metric ?? 'p99';
  const alpha = options.alpha ?? 0.01;
  const minSize = Math.max(1, options.minSize ?? 3);
  const series = trendSeriesOfSamples(samples, metric).map((s): SeriesTrend => {
    if (s.points.length < 2 * minSize)
      return {
        ...s,
        steps: [],
        skipped: `${s.points.length} baseline(s); at least ${2 * minSize} are needed`,
      };
    const logs = s.points.map((p) => Math.log(p.value));
    const steps = changePoints(logs, { ...options, alpha, minSize })
      .map((c) => ({
        at: s.points[c.index],
        previous: s.points[c.index - 1],
        levelBefore: Math.exp(c.meanBefore),
        levelAfter: Math.exp(c.meanAfter),
        relativeChange: Math.exp(c.meanAfter - c.meanBefore) - 1,
        pValue: c.pValue,
      }))
      .filter((step) => Math.abs(step.relativeChange) >= (options.minChange ?? 0));
    return { ...s, steps };
  });
  return {
    schema: TREND_SCHEMA,
    metric,
    baselines: samples.map(({ file, sha, createdAt }) => ({ file, sha, createdAt })),
    method: `E-divisive means on log values, permutation test (${options.permutations ?? 499} permutations), alpha ${alpha}, at least ${minSize} baselines per segment`,
    alpha,
    series,
  };
}
