/**
 * Change points in a series: E-divisive means (Matteson & James 2014, "A nonparametric approach
 * for multiple change point analysis of multivariate data"), the method Apache Otava (formerly
 * Hunter, MongoDB's and DataStax's performance-history tool) runs over benchmark histories.
 *
 * The statistic for splitting x[0..n) at τ is the energy distance between the two sides, scaled
 * by their sizes:
 *   Q(τ) = τ(n−τ)/n · ( 2/(τ(n−τ)) Σ_{i<τ≤j} |xi−xj| − 1/C(τ,2) Σ_{i<k<τ} |xi−xk| − 1/C(n−τ,2) Σ_{τ≤j<k} |xj−xk| ).
 * It is large when the two sides differ in location (or spread), and uses no distribution
 * assumption: runner noise is skewed and heavy-tailed, so a t-test would see steps in outliers.
 *
 * Multiple change points by the paper's hierarchical procedure: in every current segment find the
 * best split; take the segment whose split is largest; test it with a permutation test (shuffle
 * each segment's values independently, recompute the largest best split over all segments, R
 * times; p = (1 + #{permuted ≥ observed}) / (R + 1)); accept the split and repeat while
 * p ≤ alpha. Why a permutation test and not Otava's later Student t shortcut: histories here are
 * tens to a few hundred points, where R = 499 permutations cost milliseconds, and the permutation
 * test holds its false-alarm rate without assuming normal noise (a test in __tests__ measures it
 * on flat noisy series). Permutations assume exchangeable noise; a slow drift is not exchangeable
 * and shows up as one or more steps, which is what a trend check wants to flag.
 *
 * Each Q(τ) for all τ costs O(n²) with running sums of the within-side distances.
 */
import { createRandom, type Random } from './prng.js';

export interface ChangePointOptions {
  /** Largest p-value at which a split is accepted (default 0.01). */
  alpha?: number;
  /** Permutations per test (default 499: smallest possible p = 0.002). */
  permutations?: number;
  /** Fewest points on each side of a split (default 3). */
  minSize?: number;
  seed?: number;
}

export interface ChangePoint {
  /** Index of the first point after the step. */
  index: number;
  pValue: number;
  /** Mean of the segment before and after the step (between neighbouring change points). */
  meanBefore: number;
  meanAfter: number;
}

interface Split {
  tau: number;
  q: number;
}

/** The best split of `x` (at least minSize on each side); q = -Infinity when none fits. */
export function bestSplit(x: readonly number[], minSize: number): Split {
  const n = x.length;
  let best: Split = { tau: -1, q: -Infinity };
  if (n < 2 * minSize) return best;
  // left[t] = Σ_{i<k<t} |xi−xk|; right[t] = Σ_{t≤j<k<n} |xj−xk|.
  const left = new Float64Array(n + 1);
  for (let t = 1; t < n; t++) {
    let row = 0;
    for (let i = 0; i < t; i++) row += Math.abs(x[i] - x[t]);
    left[t + 1] = left[t] + row;
  }
  const right = new Float64Array(n + 1);
  for (let t = n - 2; t >= 0; t--) {
    let row = 0;
    for (let j = t + 1; j < n; j++) row += Math.abs(x[t] - x[j]);
    right[t] = right[t + 1] + row;
  }
  const total = left[n];
  for (let tau = minSize; tau <= n - minSize; tau++) {
    const m = n - tau;
    const within = { left: left[tau], right: right[tau] };
    const cross = total - within.left - within.right;
    const pairsLeft = (tau * (tau - 1)) / 2;
    const pairsRight = (m * (m - 1)) / 2;
    const energy =
      (2 * cross) / (tau * m) -
      (pairsLeft > 0 ? within.left / pairsLeft : 0) -
      (pairsRight > 0 ? within.right / pairsRight : 0);
    const q = ((tau * m) / n) * energy;
    if (q > best.q) best = { tau, q };
  }
  return best;
}

function shuffled(values: readonly number[], random: Random): number[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const segmentsOf = (x: readonly number[], cuts: number[]): number[][] => {
  const bounds = [0, ...cuts, x.length];
  return bounds.slice(1).map((end, i) => x.slice(bounds[i], end));
};

const meanOf = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export function changePoints(series: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  const alpha = options.alpha ?? 0.01;
  const permutations = options.permutations ?? 499;
  const minSize = Math.max(1, options.minSize ?? 3);
  const random = createRandom(options.seed ?? 1);
  if (series.some((v) => !Number.isFinite(v)))
    throw new Error('changePoints: the series holds a non-finite value');
  const cuts: number[] = [];
  const pValues = new Map<number, number>();
  for (;;) {
    const segments = segmentsOf(series, cuts);
    const splits = segments.map((segment) => bestSplit(segment, minSize));
    const chosen = splits.reduce((best, split, i) => (split.q > splits[best].q ? i : best), 0);
    const observed = splits[chosen];
    if (!(observed.q > 0)) break;
    let atLeast = 0;
    for (let r = 0; r < permutations; r++) {
      const q = Math.max(...segments.map((segment) => bestSplit(shuffled(segment, random), minSize).q));
      if (q >= observed.q) atLeast++;
    }
    const pValue = (1 + atLeast) / (1 + permutations);
    if (pValue > alpha) break;
    const start = [0, ...cuts][chosen];
    cuts.push(start + observed.tau);
    cuts.sort((a, b) => a - b);
    pValues.set(start + observed.tau, pValue);
  }
  return cuts.map((index, i) => {
    const from = i === 0 ? 0 : cuts[i - 1];
    const to = i === cuts.length - 1 ? series.length : cuts[i + 1];
    return {
      index,
      pValue: pValues.get(index)!,
      meanBefore: meanOf(series.slice(from, index)),
      meanAfter: meanOf(series.slice(index, to)),
    };
  });
}
