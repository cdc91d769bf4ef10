// test-group: unit
import { describe, expect, it } from '@jest/globals';
import {
  mannWhitneyCdf,
  signedRankCdf,
  signedRankInterval,
  signedRankTest,
} from '../../src/stats/rank-tests.js';

describe('exact rank distributions', () => {
  it('signed-rank, n = 6', () => {
    const cdf = signedRankCdf(6);
    expect(cdf).toHaveLength(22);
    expect(cdf[0]).toBeCloseTo(1 / 64, 12);
    expect(cdf[2]).toBeCloseTo(3 / 64, 12);
    expect(cdf[21]).toBeCloseTo(1, 12);
  });

  it('Mann–Whitney, 3 vs 3', () => {
    const cdf = mannWhitneyCdf(3, 3);
    expect(cdf[0]).toBeCloseTo(1 / 20, 12);
    expect(cdf[1]).toBeCloseTo(2 / 20, 12);
    expect(cdf[2]).toBeCloseTo(4 / 20, 12);
    expect(cdf[9]).toBeCloseTo(1, 12);
  });
});

describe('signed-rank interval and test', () => {
  it('at n = 6 and 95% is [min, max] with 96.9% achieved', () => {
    const interval = signedRankInterval([0.01, 0.03, 0.02, 0.05, 0.04, 0.06], 0.95);
    expect(interval.lower).toBe(0.01);
    expect(interval.upper).toBe(0.06);
    expect(interval.achievedConfidence).toBeCloseTo(1 - 2 / 64, 10);
  });

  it('is unbounded when the sample is too small for the level (n = 5 at 97.5%)', () => {
    const interval = signedRankInterval([1, 2, 3, 4, 5], 0.975);
    expect(interval.lower).toBe(-Infinity);
    expect(interval.upper).toBe(Infinity);
  });

  it.each([
    { values: [1, 2, 3, 4, 5, 6], p: 2 / 64 },
    { values: [1, -2, 3, -4, 5, -6], p: 27 / 32 },
    { values: [0, 0, 0], p: 1 },
  ])('p-value of $values', ({ values, p }) => {
    expect(signedRankTest(values)).toBeCloseTo(p, 3);
  });
});
