/**
 * Effects as log-ratios. Same job: per pair i, d_i = ln(current_i / baseline_i); the effect is a
 * centre of the d_i with an interval. Across jobs: the difference of two such centres (a ratio
 * of ratios), with a two-sample interval that carries both jobs' noise.
 */
import { mean, median } from './descriptive.js';
import { studentTQuantile } from './distributions.js';
import { hodgesLehmann, hodgesLehmannShift } from './hodges-lehmann.js';
import {
  bootstrapDifference,
  bootstrapInterval,
  tInterval,
  trimmedDifference,
  trimmedInterval,
  welchInterval,
} from './intervals.js';
import { mannWhitney, signedRankInterval } from './rank-tests.js';

/** How an effect is estimated: its centre and its interval (the decision rule's statistical part). */
export interface EffectMethod {
  /** Centre of the per-pair log-ratios. */
  estimator: 'mean' | 'hodges-lehmann' | 'trimmed-mean';
  /** Interval on the per-pair log-ratios. */
  interval: 't' | 'wilcoxon' | 'bootstrap' | 'trimmed';
  /** Share trimmed from each end by the 'trimmed-mean' estimator and 'trimmed' interval. */
  trim: number;
  /** Fewest pairs that are trimmed; below it the plain t-interval. */
  trimFrom: number;
}

export interface RatioEffect {
  /** ln(current / baseline) and its interval. */
  estimate: number;
  lower: number;
  upper: number;
  /** Pairs (or trials) behind it. */
  pairs: number;
  /**
   * The interval's half-width as the bulk of the pairs alone would give it (their spread from the
   * median absolute deviation, a Student t quantile): the estimate's own uncertainty, which a lone
   * outlier pair inflates in the interval but hardly moves in a Hodges–Lehmann estimate.
   */
  bulkHalfWidth?: number;
}

/** Log-ratios of paired positive values; pairs with a zero or missing value are dropped. */
export function logRatios(baseline: readonly number[], current: readonly number[]): number[] {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(baseline.length, current.length); i++) {
    const a = baseline[i];
    const b = current[i];
    if (a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b)) ratios.push(Math.log(b / a));
  }
  return ratios;
}

const centre = (rule: EffectMethod) => (values: readonly number[]) =>
  rule.estimator === 'mean'
    ? mean(values)
    : rule.estimator === 'trimmed-mean'
      ? trimmedInterval(values, 0.5, rule.trim, rule.trimFrom).estimate
      : hodgesLehmann(values);

/** Standard deviation of the bulk of a sample: 1.4826 × its median absolute deviation. */
export function bulkSpread(values: readonly number[]): number {
  const centre = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - centre)));
}

const tFor = (confidence: number, df: number) => studentTQuantile(1 - (1 - confidence) / 2, Math.max(1, df));

/** Effect of one sample of per-pair log-ratios. */
export function pairedEffect(ratios: readonly number[], confidence: number, rule: EffectMethod): RatioEffect {
  const pairs = ratios.length;
  if (pairs === 0) return { estimate: NaN, lower: -Infinity, upper: Infinity, pairs };
  const estimate = centre(rule)(ratios);
  if (pairs < 2) return { estimate, lower: -Infinity, upper: Infinity, pairs };
  let bounds: { lower: number; upper: number };
  if (rule.interval === 'wilcoxon') bounds = signedRankInterval(ratios, confidence);
  else if (rule.interval === 'bootstrap')
    bounds = bootstrapInterval(ratios, centre(rule), { confidence, seed: pairs });
  else if (rule.interval === 'trimmed')
    bounds = trimmedInterval(ratios, confidence, rule.trim, rule.trimFrom);
  else bounds = tInterval(ratios, confidence);
  const bulkHalfWidth = (tFor(confidence, pairs - 1) * bulkSpread(ratios)) / Math.sqrt(pairs);
  return { estimate, lower: bounds.lower, upper: bounds.upper, pairs, bulkHalfWidth };
}

/** Effect of now's log-ratios relative to then's: ln(ratio now / ratio then). */
export function crossJobEffect(
  now: readonly number[],
  then: readonly number[],
  confidence: number,
  rule: EffectMethod,
): RatioEffect {
  const pairs = Math.min(now.length, then.length);
  if (now.length === 0 || then.length === 0)
    return { estimate: NaN, lower: -Infinity, upper: Infinity, pairs };
  const estimate =
    rule.estimator === 'mean'
      ? mean(now) - mean(then)
      : rule.estimator === 'trimmed-mean'
        ? trimmedDifference(now, then, 0.5, rule.trim, rule.trimFrom).estimate
        : hodgesLehmannShift(now, then);
  let bounds: { lower: number; upper: number };
  if (rule.interval === 'wilcoxon') bounds = mannWhitney(now, then, confidence).shift;
  else if (rule.interval === 'bootstrap')
    bounds = bootstrapDifference(now, then, centre(rule), { confidence, seed: pairs });
  else if (rule.interval === 'trimmed')
    bounds = trimmedDifference(now, then, confidence, rule.trim, rule.trimFrom);
  else bounds = welchInterval(now, then, confidence);
  const bulkHalfWidth =
    tFor(confidence, pairs - 1) *
    Math.sqrt(bulkSpread(now) ** 2 / now.length + bulkSpread(then) ** 2 / then.length);
  return { estimate, lower: bounds.lower, upper: bounds.upper, pairs, bulkHalfWidth };
}
