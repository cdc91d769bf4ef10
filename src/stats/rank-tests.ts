/**
 * Exact null distributions of the Wilcoxon signed-rank and Mann–Whitney statistics (no ties),
 * and the distribution-free intervals built on them. Below ~8 pairs these intervals are coarse:
 * with n = 6 the widest possible signed-rank interval, [min, max], only reaches 96.9%.
 */
import { normalCdf, normalQuantile } from './distributions.js';
import { pairwiseDifferences, walshAverages, hodgesLehmann, hodgesLehmannShift } from './hodges-lehmann.js';
import { median } from './descriptive.js';

/** P(T ≤ t) for t = 0..n(n+1)/2, T the signed-rank statistic of n pairs under H0. */
export function signedRankCdf(n: number): number[] {
  const max = (n * (n + 1)) / 2;
  let counts = new Array<number>(max + 1).fill(0);
  counts[0] = 1;
  for (let rank = 1; rank <= n; rank++) {
    const next = counts.slice();
    for (let s = rank; s <= max; s++) next[s] += counts[s - rank];
    counts = next;
  }
  const total = 2 ** n;
  let running = 0;
  return counts.map((count) => (running += count / total));
}

/** P(U ≤ u) for u = 0..m·n, U the Mann–Whitney statistic under H0 (q-binomial coefficients). */
export function mannWhitneyCdf(m: number, n: number): number[] {
  const max = m * n;
  let poly = new Array<number>(max + 1).fill(0);
  poly[0] = 1;
  for (let i = 1; i <= m; i++) {
    // multiply by (1 − q^(n+i)), then divide by (1 − q^i): both exact on the integer coefficients
    const shift = n + i;
    for (let s = max; s >= shift; s--) poly[s] -= poly[s - shift];
    for (let s = i; s <= max; s++) poly[s] += poly[s - i];
  }
  const total = poly.reduce((a, b) => a + b, 0);
  let running = 0;
  poly = poly.map((count) => (running += count / total));
  return poly;
}

/** Largest c with P(S ≤ c) ≤ alphaHalf, or −1 when even S ≤ 0 is too likely. */
function criticalValue(cdf: readonly number[], alphaHalf: number): number {
  let c = -1;
  while (c + 1 < cdf.length && cdf[c + 1] <= alphaHalf + 1e-12) c++;
  return c;
}

export interface RankInterval {
  estimate: number;
  lower: number;
  upper: number;
  /** Confidence the interval actually has (discrete statistics cannot hit every level). */
  achievedConfidence: number;
}

/** Interval for the centre of a symmetric distribution from the Walsh averages (Tukey). */
export function signedRankInterval(values: readonly number[], confidence: number): RankInterval {
  const walsh = walshAverages(values);
  const n = values.length;
  const estimate = hodgesLehmann(values);
  if (n === 0) return { estimate: NaN, lower: NaN, upper: NaN, achievedConfidence: 0 };
  const cdf = signedRankCdf(n);
  const c = criticalValue(cdf, (1 - confidence) / 2);
  // [W(c+1), W(M−c)] in 1-based order statistics; with c = −1 no sample of this size can reach
  // the level, so the interval is the whole line.
  if (c < 0) return { estimate, lower: -Infinity, upper: Infinity, achievedConfidence: 1 };
  return {
    estimate,
    lower: walsh[c],
    upper: walsh[walsh.length - 1 - c],
    achievedConfidence: 1 - 2 * cdf[c],
  };
}

/** Two-sided Wilcoxon signed-rank p-value against centre 0 (exact without ties; zeros dropped). */
export function signedRankTest(values: readonly number[]): number {
  const nonzero = values.filter((v) => v !== 0);
  const n = nonzero.length;
  if (n === 0) return 1;
  const ranked = [...nonzero].map((v) => ({ v, a: Math.abs(v) })).sort((x, y) => x.a - y.a);
  let tPlus = 0;
  ranked.forEach((item, i) => {
    if (item.v > 0) tPlus += i + 1;
  });
  const cdf = signedRankCdf(n);
  const tMin = Math.min(tPlus, (n * (n + 1)) / 2 - tPlus);
  return Math.min(1, 2 * cdf[tMin]);
}

export interface MannWhitneyResult {
  /** U of x: the number of pairs (x_i, y_j) with x_i > y_j, ties counting one half. */
  u: number;
  pValue: number;
  /** HL shift of x relative to y with its distribution-free interval. */
  shift: RankInterval;
}

/** Mann–Whitney U test (two-sided) and the Hodges–Lehmann shift interval (Moses). */
export function mannWhitney(
  x: readonly number[],
  y: readonly number[],
  confidence = 0.95,
): MannWhitneyResult {
  const m = x.length;
  const n = y.length;
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  const differences = pairwiseDifferences(x, y);
  const estimate = hodgesLehmannShift(x, y);
  const alphaHalf = (1 - confidence) / 2;
  let pValue: number;
  let c: number;
  let achieved: number;
  if (m * n <= 2500) {
    const cdf = mannWhitneyCdf(m, n);
    const uMin = Math.min(u, m * n - u);
    pValue = Math.min(1, 2 * cdf[Math.floor(uMin)]);
    c = criticalValue(cdf, alphaHalf);
    achieved = c >= 0 ? 1 - 2 * cdf[c] : 1;
  } else {
    const sd = Math.sqrt((m * n * (m + n + 1)) / 12);
    pValue = Math.min(1, 2 * normalCdf(-Math.abs(u - (m * n) / 2) / sd));
    c = Math.floor((m * n) / 2 + normalQuantile(alphaHalf) * sd - 0.5);
    achieved = confidence;
  }
  const last = differences.length - 1;
  // [D(c+1), D(mn−c)] in 1-based order statistics, as for the signed-rank interval.
  const shift =
    c < 0 || m === 0 || n === 0
      ? {
          estimate: m === 0 || n === 0 ? median([]) : estimate,
          lower: -Infinity,
          upper: Infinity,
          achievedConfidence: 1,
        }
      : { estimate, lower: differences[c], upper: differences[last - c], achievedConfidence: achieved };
  return { u, pValue, shift };
}
