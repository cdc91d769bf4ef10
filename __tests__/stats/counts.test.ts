// test-group: unit
import { describe, expect, it } from '@jest/globals';
import {
  binomialTestGreater,
  binomialUpperTail,
  fisherGreater,
  fisherTwoSided,
  wilsonInterval,
} from '../../src/stats/counts.js';

describe('exact tests on counts', () => {
  it.each([
    { k: 1, n: 10, p: 0.1, tail: 1 - 0.9 ** 10 },
    { k: 0, n: 10, p: 0.1, tail: 1 },
    { k: 11, n: 10, p: 0.1, tail: 0 },
    { k: 10, n: 10, p: 0.5, tail: 1 / 1024 },
  ])('binomial P(X ≥ $k | n $n, p $p)', ({ k, n, p, tail }) => {
    expect(binomialUpperTail(k, n, p)).toBeCloseTo(tail, 10);
  });

  it('binomial test against an allowance: 30 errors in 10,000 is above 0.1%, 12 is not clearly', () => {
    expect(binomialTestGreater(30, 10_000, 0.001)).toBeLessThan(1e-6);
    expect(binomialTestGreater(12, 10_000, 0.001)).toBeGreaterThan(0.2);
  });

  it("Fisher's exact test on the lady tasting tea", () => {
    // 3 of 4 vs 1 of 4: one-sided 17/70, two-sided 34/70
    expect(fisherGreater(1, 4, 3, 4)).toBeCloseTo(17 / 70, 10);
    expect(fisherTwoSided(1, 4, 3, 4)).toBeCloseTo(34 / 70, 10);
  });

  it('Fisher with all-zero counts is 1 and with large counts is finite', () => {
    expect(fisherGreater(0, 10_000, 0, 10_000)).toBe(1);
    const p = fisherGreater(5, 100_000, 60, 100_000);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-10);
  });

  it.each([
    { events: 0, total: 10, lower: 0, upper: 0.2775 },
    { events: 5, total: 10, lower: 0.2366, upper: 0.7634 },
    { events: 0, total: 0, lower: 0, upper: 1 },
  ])('Wilson interval of $events / $total', ({ events, total, lower, upper }) => {
    const interval = wilsonInterval(events, total, 0.95);
    expect(interval.lower).toBeCloseTo(lower, 3);
    expect(interval.upper).toBeCloseTo(upper, 3);
  });
});
