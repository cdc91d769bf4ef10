/**
 * Parametric and resampling intervals. The gate's main interval is `tInterval` on paired
 * log-ratios (see decision.ts for why); the bootstrap is kept for reporting and for the
 * simulation that checks the choice.
 */
import { mean, quantileSorted, sortedCopy, variance } from './descriptive.js';
import { studentTQuantile } from './distributions.js';
import { createRandom } from './prng.js';

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/** Student t interval for the mean of one sample (e.g. per-pair log-ratios). Needs n ≥ 2. */
export function tInterval(
  values: readonly number[],
  confidence: number,
): Interval & { standardError: number; df: number } {
  const n = values.length;
  const estimate = mean(values);
  if (n < 2) return { estimate, lower: -Infinity, upper: Infinity, standardError: Infinity, df: 0 };
  const standardError = Math.sqrt(variance(values) / n);
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * standardError;
  return { estimate, lower: estimate - half, upper: estimate + half, standardError, df: n - 1 };
}

/**
 * Welch interval for mean(x) − mean(y) with unequal variances (Satterthwaite degrees of freedom).
 * Used for a ratio of ratios across jobs: x and y are each job's per-pair log-ratios.
 */
export function welchInterval(
  x: readonly number[],
  y: readonly number[],
  confidence: number,
): Interval & { standardError: number; df: number } {
  const estimate = mean(x) - mean(y);
  if (x.length < 2 || y.length < 2)
    return { estimate, lower: -Infinity, upper: Infinity, standardError: Infinity, df: 0 };
  const vx = variance(x) / x.length;
  const vy = variance(y) / y.length;
  const standardError = Math.sqrt(vx + vy);
  if (standardError === 0) return { estimate, lower: estimate, upper: estimate, standardError, df: Infinity };
  const df = (vx + vy) ** 2 / (vx ** 2 / (x.length - 1) + vy ** 2 / (y.length - 1));
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * standardError;
  return { estimate, lower: estimate - half, upper: estimate + half, standardError, df };
}

export interface BootstrapOptions {
  confidence: number;
  resamples?: number;
  seed?: number;
}

/**
 * Percentile bootstrap of a statistic of one sample. Deterministic for a given seed. Below ~10
 * values the percentile bootstrap undercovers (its intervals are too narrow), so the gate does
 * not decide on it.
 */
export function bootstrapInterval(
  values: readonly number[],
  statistic: (sample: readonly number[]) => number,
  options: BootstrapOptions,
): Interval {
  const random = createRandom(options.seed ?? 1);
  const resamples = options.resamples ?? 2000;
  const estimate = statistic(values);
  if (values.length < 2) return { estimate, lower: -Infinity, upper: Infinity };
  const replicates: number[] = [];
  const sample = new Array<number>(values.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < values.length; i++) sample[i] = values[random.int(values.length)];
    replicates.push(statistic(sample));
  }
  const sorted = sortedCopy(replicates);
  const alphaHalf = (1 - options.confidence) / 2;
  return { estimate, lower: quantileSorted(sorted, alphaHalf), upper: quantileSorted(sorted, 1 - alphaHalf) };
}

/** Percentile bootstrap of statistic(x) − statistic(y), resampling each sample independently. */
export function bootstrapDifference(
  x: readonly number[],
  y: readonly number[],
  statistic: (sample: readonly number[]) => number,
  options: BootstrapOptions,
): Interval {
  const random = createRandom(options.seed ?? 1);
  const resamples = options.resamples ?? 2000;
  const estimate = statistic(x) - statistic(y);
  if (x.length < 2 || y.length < 2) return { estimate, lower: -Infinity, upper: Infinity };
  const draw = (values: readonly number[]) => values.map(() => values[random.int(values.length)]);
  const replicates: number[] = [];
  for (let r = 0; r < resamples; r++) replicates.push(statistic(draw(x)) - statistic(draw(y)));
  const sorted = sortedCopy(replicates);
  const alphaHalf = (1 - options.confidence) / 2;
  return { estimate, lower: quantileSorted(sorted, alphaHalf), upper: quantileSorted(sorted, 1 - alphaHalf) };
}
