// test-group: unit
import { describe, expect, it } from '@jest/globals';
import {
  coefficientOfVariation,
  mean,
  median,
  quantileSorted,
  standardDeviation,
  variance,
} from '../../src/stats/descriptive.js';
import { hodgesLehmann, hodgesLehmannShift, walshAverages } from '../../src/stats/hodges-lehmann.js';
import { createRandom } from '../../src/stats/prng.js';
import { DEFAULT_RULE } from '../../src/verdict/rule.js';
import { normalQuantile, studentTQuantile } from '../../src/stats/distributions.js';
import { bulkSpread, pairedEffect } from '../../src/stats/effect.js';

describe('descriptive statistics', () => {
  it.each([
    { values: [3, 1, 2], median: 2, mean: 2 },
    { values: [4, 1, 3, 2], median: 2.5, mean: 2.5 },
    { values: [5], median: 5, mean: 5 },
  ])('median and mean of $values', ({ values, median: m, mean: avg }) => {
    expect(median(values)).toBe(m);
    expect(mean(values)).toBe(avg);
  });

  it('gives NaN for empty input and for the spread of one value', () => {
    expect(median([])).toBeNaN();
    expect(variance([1])).toBeNaN();
    expect(coefficientOfVariation([1])).toBeNaN();
    expect(coefficientOfVariation([0, 0, 0])).toBeNaN();
  });

  it('computes the sample variance with n − 1', () => {
    expect(variance([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(32 / 7, 12);
    expect(standardDeviation([1, 1, 1])).toBe(0);
  });

  it('interpolates quantiles linearly', () => {
    expect(quantileSorted([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(quantileSorted([10, 20], 0.5)).toBe(15);
  });

  it('recovers the CV of a normal sample', () => {
    const random = createRandom(4);
    const values = Array.from({ length: 20000 }, () => 100 + 5 * random.normal());
    expect(coefficientOfVariation(values)).toBeCloseTo(0.05, 2);
  });
});

describe('Hodges–Lehmann estimators', () => {
  it('takes the median of the Walsh averages', () => {
    expect(walshAverages([1, 3])).toEqual([1, 2, 3]);
    expect(hodgesLehmann([1, 2, 3, 4, 100])).toBe(3);
  });

  it('resists one wild value where the mean does not', () => {
    const values = [0.01, 0.02, -0.01, 0.0, 0.015, 0.5];
    expect(hodgesLehmann(values)).toBeLessThan(0.03);
    expect(mean(values)).toBeGreaterThan(0.08);
  });

  it('estimates the shift between two samples', () => {
    expect(hodgesLehmannShift([11, 12, 13], [1, 2, 3])).toBe(10);
  });

  it('finds the centre of a symmetric bimodal distribution, where the median of a sample is unstable', () => {
    const random = createRandom(9);
    const bimodal = Array.from({ length: 400 }, () => (random.next() < 0.5 ? 10 : 20) + random.normal());
    expect(hodgesLehmann(bimodal)).toBeCloseTo(15, 0);
  });
});

describe('seeded PRNG', () => {
  it('is deterministic and uniform', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const draws = Array.from({ length: 10000 }, () => a.next());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(mean(draws)).toBeCloseTo(0.5, 1);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });

  it('draws standard normals', () => {
    const random = createRandom(3);
    const draws = Array.from({ length: 20000 }, () => random.normal());
    expect(mean(draws)).toBeCloseTo(0, 1);
    expect(standardDeviation(draws)).toBeCloseTo(1, 1);
  });
});

describe('bulkSpread and the bulk half-width', () => {
  it('is the standard deviation on the bulk, and one outlier hardly moves it', () => {
    // A standard normal's quantiles at (i + ½) / 201, whose median absolute deviation is ~0.6745.
    const normal = Array.from({ length: 201 }, (_, i) => normalQuantile((i + 0.5) / 201));
    expect(bulkSpread(normal)).toBeCloseTo(1, 1);
    expect(bulkSpread([...normal.slice(1), 400])).toBeLessThan(1.05);
    expect(standardDeviation([...normal.slice(1), 400])).toBeGreaterThan(20);
  });

  it('gives the half-width a Student t interval would have at the bulk’s spread', () => {
    const ratios = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    const effect = pairedEffect(ratios, 0.95, DEFAULT_RULE);
    const expected = (studentTQuantile(0.975, 5) * bulkSpread(ratios)) / Math.sqrt(6);
    expect(effect.bulkHalfWidth).toBeCloseTo(expected, 12);
    expect(bulkSpread(ratios)).toBeCloseTo(1.4826 * 0.15, 12);
  });
});
