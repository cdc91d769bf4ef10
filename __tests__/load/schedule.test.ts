// test-group: unit
import { describe, expect, test } from '@jest/globals';
import {
  connectionsOf,
  dueOffsetMs,
  phaseOf,
  effectiveThreads,
  globalIndexOf,
  localRequestCount,
  scheduleCounts,
} from '../../src/load/schedule.js';

describe('open-loop schedule', () => {
  test('request j is due somewhere in its own period [j, j + 1) / rate, in increasing order', () => {
    for (const [j, rps] of [
      [0, 1000],
      [5, 1000],
      [3, 200],
      [1, 3],
    ] as const) {
      const period = 1000 / rps;
      expect(dueOffsetMs(j, rps)).toBeGreaterThanOrEqual(j * period);
      expect(dueOffsetMs(j, rps)).toBeLessThan((j + 1) * period);
    }
    for (let j = 0; j < 10_000; j++) expect(dueOffsetMs(j + 1, 1000)).toBeGreaterThan(dueOffsetMs(j, 1000));
  });

  test('the phase within each period is uniform, so no server delay phase-locks with the schedule', () => {
    const bins = new Array(10).fill(0);
    for (let j = 0; j < 100_000; j++) bins[Math.floor(phaseOf(j) * 10)]++;
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(400);
    // A 1 ms server at 1,000 rps: the answer to j lands a whole period later, which a periodic
    // schedule would make coincide with the send of j + 1 every time. Here it rarely does.
    let collisions = 0;
    for (let j = 0; j < 10_000; j++)
      if (Math.abs(dueOffsetMs(j, 1000) + 1 - dueOffsetMs(j + 1, 1000)) < 0.05) collisions++;
    expect(collisions / 10_000).toBeLessThan(0.15);
    // The rate is exact: 1,000 requests span one second.
    expect(dueOffsetMs(1000, 1000) - dueOffsetMs(0, 1000)).toBeGreaterThan(999);
    expect(dueOffsetMs(1000, 1000) - dueOffsetMs(0, 1000)).toBeLessThan(1001);
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
