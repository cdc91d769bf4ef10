// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { bestSplit, changePoints } from '../../src/stats/change-point.js';
import { createRandom } from '../../src/stats/prng.js';

/** n points around `level` with log-normal noise of relative spread `cv`. */
function noisy(n: number, level: number, cv: number, seed: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => level * Math.exp(cv * random.normal()));
}

describe('E-divisive means', () => {
  test('bestSplit: the energy statistic agrees with the definition computed directly', () => {
    const x = noisy(17, 1, 0.2, 3);
    const direct = (tau: number) => {
      const a = x.slice(0, tau);
      const b = x.slice(tau);
      let cross = 0;
      for (const u of a) for (const v of b) cross += Math.abs(u - v);
      const within = (s: number[]) => {
        let sum = 0;
        for (let i = 0; i < s.length; i++) for (let k = i + 1; k < s.length; k++) sum += Math.abs(s[i] - s[k]);
        return sum / ((s.length * (s.length - 1)) / 2);
      };
      return ((a.length * b.length) / x.length) * ((2 * cross) / (a.length * b.length) - within(a) - within(b));
    };
    const taus = Array.from({ length: 17 - 5 }, (_, i) => i + 3);
    const best = taus.reduce((b, t) => (direct(t) > direct(b) ? t : b), 3);
    const split = bestSplit(x, 3);
    expect(split.tau).toBe(best);
    expect(split.q).toBeCloseTo(direct(best), 9);
  });

  test('one step of +12% in 3% noise: found where it is, and nothing else', () => {
    const series = [...noisy(25, 1.0, 0.03, 11), ...noisy(20, 1.12, 0.03, 12)];
    const found = changePoints(series);
    expect(found.map((c) => c.index)).toEqual([25]);
    expect(found[0].pValue).toBeLessThanOrEqual(0.01);
    expect(found[0].meanAfter / found[0].meanBefore).toBeCloseTo(1.12, 1);
  });

  test('two steps (up, then back down) are both found', () => {
    const series = [...noisy(15, 1, 0.03, 1), ...noisy(15, 1.2, 0.03, 2), ...noisy(15, 1, 0.03, 3)];
    expect(changePoints(series).map((c) => c.index)).toEqual([15, 30]);
  });

  test('a flat noisy history: none found; false alarms stay near alpha over many histories', () => {
    expect(changePoints(noisy(40, 1, 0.05, 4))).toEqual([]);
    // Heavy-tailed noise too: every 10th point is an outlier of 1.5–2×.
    const outliers = noisy(40, 1, 0.03, 6).map((v, i) => (i % 10 === 7 ? v * (1.5 + (i % 3) / 4) : v));
    expect(changePoints(outliers)).toEqual([]);
    // Any one flat history has about an alpha chance of a false step (seed 5 here has its four
    // highest points last): the rate over many histories is what must hold.
    let alarms = 0;
    for (let seed = 100; seed < 300; seed++)
      if (changePoints(noisy(30, 1, 0.05, seed), { permutations: 199, seed }).length > 0) alarms++;
    // alpha = 0.01: about 2 expected in 200 histories; 7 or more would be a badly calibrated test.
    expect(alarms).toBeLessThanOrEqual(6);
  });

  test('short series and bad values', () => {
    expect(changePoints([1, 2, 3, 4, 5])).toEqual([]);
    expect(() => changePoints([1, NaN, 2])).toThrow(/non-finite/);
  });
});
