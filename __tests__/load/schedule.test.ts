import { describe, expect, test } from '@jest/globals';
import {
  connectionsOf,
  dueOffsetMs,
  effectiveThreads,
  globalIndexOf,
  localRequestCount,
  scheduleCounts,
} from '../../src/load/schedule.js';

describe('open-loop schedule', () => {
  test('request j is due at j / rate', () => {
    expect(dueOffsetMs(0, 1000)).toBe(0);
    expect(dueOffsetMs(5, 1000)).toBe(5);
    expect(dueOffsetMs(3, 200)).toBe(15);
    expect(dueOffsetMs(1, 3)).toBeCloseTo(333.333, 3);
  });

  test('warm-up and measured counts', () => {
    expect(scheduleCounts(1000, 2, 10)).toEqual({ warmupRequests: 2000, totalRequests: 12000 });
    expect(scheduleCounts(333, 0, 1.5)).toEqual({ warmupRequests: 0, totalRequests: 500 });
    expect(scheduleCounts(0, 5, 5)).toEqual({ warmupRequests: 0, totalRequests: 0 });
  });

  test.each([
    [1000, 1],
    [1000, 3],
    [7, 4],
    [3, 8],
  ])(
    '%i requests over %i workers: each global index exactly once, in due order per worker',
    (total, workers) => {
      const seen: number[] = [];
      for (let w = 0; w < workers; w++) {
        const count = localRequestCount(total, w, workers);
        for (let k = 0; k < count; k++) {
          const j = globalIndexOf(k, w, workers);
          if (k > 0) expect(j).toBeGreaterThan(globalIndexOf(k - 1, w, workers));
          seen.push(j);
        }
      }
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
    },
  );

  test.each([
    [16, 2],
    [5, 3],
    [1, 1],
    [3, 3],
  ])('%i connections over %i workers add up, differing by at most one', (connections, workers) => {
    const shares = Array.from({ length: workers }, (_, w) => connectionsOf(connections, w, workers));
    expect(shares.reduce((a, b) => a + b, 0)).toBe(connections);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
  });

  test('never more threads than connections', () => {
    expect(effectiveThreads(4, 2)).toBe(2);
    expect(effectiveThreads(2, 16)).toBe(2);
  });
});
