// test-group: unit
import { describe, expect, it } from '@jest/globals';
import {
  incompleteBeta,
  logGamma,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from '../../src/stats/distributions.js';

describe('distribution functions', () => {
  it.each([
    [1, 0],
    [5, Math.log(24)],
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [10.5, 13.940625219403763],
  ])('logGamma(%p)', (x, expected) => expect(logGamma(x)).toBeCloseTo(expected, 9));

  it.each([
    [0, 0.5],
    [1.96, 0.975002],
    [-1.644854, 0.05],
    [3, 0.99865],
  ])('normalCdf(%p)', (z, p) => expect(normalCdf(z)).toBeCloseTo(p, 5));

  it.each([0.001, 0.025, 0.5, 0.9, 0.999])('normalQuantile inverts normalCdf at %p', (p) =>
    expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6),
  );

  // Reference values from standard t tables.
  it.each([
    [0.975, 1, 12.7062],
    [0.975, 5, 2.5706],
    [0.975, 11, 2.201],
    [0.995, 5, 4.0321],
    [0.95, 30, 1.6973],
  ])('studentTQuantile(%p, df %p) = %p', (p, df, t) => expect(studentTQuantile(p, df)).toBeCloseTo(t, 3));

  it('t approaches the normal for many degrees of freedom', () => {
    expect(studentTCdf(1.96, 1e6)).toBeCloseTo(0.975, 4);
  });

  it('incompleteBeta matches closed forms', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 10);
    expect(incompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 10);
    expect(incompleteBeta(0.2, 1, 3)).toBeCloseTo(1 - 0.8 ** 3, 10);
  });
});
