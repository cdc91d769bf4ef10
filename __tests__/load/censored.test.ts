// test-group: unit
/** Censored answers (read after a pause of the generator thread) take values inside their own bounds. */
import { describe, expect, test } from '@jest/globals';
import { ResponseTimeSample } from '../../src/load/censored.js';

describe('ResponseTimeSample.impute', () => {
  const sample = new ResponseTimeSample();
  // The server answered awake requests in 1.0–1.9 ms.
  for (let i = 0; i < 1000; i++) sample.add(1 + (i % 10) / 10);

  test('a bound reaching into the awake answers takes their values, spread like them', () => {
    const censored = Array.from({ length: 200 }, () => ({ lowMs: 0.01, highMs: 5 }));
    const values = sample.impute(censored);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...values)).toBeLessThanOrEqual(1.9);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(1.35);
    expect(mean).toBeLessThan(1.55);
  });

  test('inside narrow bounds, outside the awake range and in a gap: never outside [low, high]', () => {
    const [inside, above, below, gap] = sample.impute([
      { lowMs: 1.25, highMs: 1.45 },
      { lowMs: 7, highMs: 9 },
      { lowMs: 0.1, highMs: 0.8 },
      { lowMs: 1.01, highMs: 1.09 },
    ]);
    expect([1.3, 1.4]).toContain(inside);
    expect(above).toBe(7); // slower than anything seen awake: at least its lower bound
    expect(below).toBe(0.8); // read 0.8 ms after its send: it took no longer
    expect(gap).toBeCloseTo(1.05, 6);
  });

  test('nothing seen awake: the time it was read', () => {
    expect(new ResponseTimeSample().impute([{ lowMs: 0.01, highMs: 3 }])).toEqual([3]);
  });
});
