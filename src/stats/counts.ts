/**
 * Tests on counts (errors out of requests). Error counts are mostly zero, where rank tests see
 * nothing but ties and pass everything (Kayenta #426); exact binomial and Fisher tests do not.
 */
import { incompleteBeta, logGamma, normalQuantile } from './distributions.js';

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return incompleteBeta(p, k, n - k + 1);
}

/** One-sided exact binomial test: is the rate of k events in n trials above p? */
export function binomialTestGreater(k: number, n: number, p: number): number {
  return binomialUpperTail(k, n, p);
}

const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/**
 * One-sided Fisher exact test that group B's event rate is higher than group A's:
 * P(X ≥ eventsB) for X hypergeometric with the table's margins.
 */
export function fisherGreater(eventsA: number, totalA: number, eventsB: number, totalB: number): number {
  const events = eventsA + eventsB;
  const total = totalA + totalB;
  if (events === 0 || totalA === 0 || totalB === 0) return 1;
  const highest = Math.min(events, totalB);
  const lowest = Math.max(0, events - totalA);
  const logDenominator = logChoose(total, events);
  let tail = 0;
  for (let x = Math.max(eventsB, lowest); x <= highest; x++)
    tail += Math.exp(logChoose(totalB, x) + logChoose(totalA, events - x) - logDenominator);
  return Math.min(1, tail);
}

/** Two-sided Fisher exact test (sum of tables no more likely than the observed one). */
export function fisherTwoSided(eventsA: number, totalA: number, eventsB: number, totalB: number): number {
  const events = eventsA + eventsB;
  const total = totalA + totalB;
  if (events === 0 || totalA === 0 || totalB === 0 || events === total) return 1;
  const lowest = Math.max(0, events - totalA);
  const highest = Math.min(events, totalB);
  const logDenominator = logChoose(total, events);
  const probability = (x: number) =>
    Math.exp(logChoose(totalB, x) + logChoose(totalA, events - x) - logDenominator);
  const observed = probability(eventsB);
  let p = 0;
  for (let x = lowest; x <= highest; x++) {
    const px = probability(x);
    if (px <= observed * (1 + 1e-9)) p += px;
  }
  return Math.min(1, p);
}

/** Wilson score interval for a proportion (good at 0 events, unlike the Wald interval). */
export function wilsonInterval(
  events: number,
  total: number,
  confidence = 0.95,
): { lower: number; upper: number } {
  if (total === 0) return { lower: 0, upper: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = events / total;
  const denominator = 1 + (z * z) / total;
  const centre = (p + (z * z) / (2 * total)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total))) / denominator;
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}
