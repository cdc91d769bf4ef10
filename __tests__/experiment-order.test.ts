// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { blockOrder, schedule } from '../src/experiment-order.js';

describe('trial order', () => {
  test('balanced blocks alternate A B | B A', () => {
    expect(schedule(2, 4, 'balanced', 1).map(([v]) => v)).toEqual([0, 1, 1, 0, 0, 1, 1, 0]);
  });
  test('every variant runs once per block with its trial index', () => {
    const run = schedule(3, 3, 'balanced', 1);
    expect(run).toEqual([[0, 0], [1, 0], [2, 0], [2, 1], [1, 1], [0, 1], [0, 2], [1, 2], [2, 2]]);
  });
  test('random blocks are permutations, reproducible by seed, different across seeds', () => {
    const a = Array.from({ length: 20 }, (_, b) => blockOrder(4, b, 'random', 7));
    const again = Array.from({ length: 20 }, (_, b) => blockOrder(4, b, 'random', 7));
    const other = Array.from({ length: 20 }, (_, b) => blockOrder(4, b, 'random', 8));
    expect(a).toEqual(again);
    expect(a).not.toEqual(other);
    for (const block of a) expect([...block].sort()).toEqual([0, 1, 2, 3]);
  });
  test('extensions continue the alternation', () => {
    expect(schedule(2, 2, 'balanced', 1, 6).map(([v, t]) => `${v}:${t}`)).toEqual(['0:6', '1:6', '1:7', '0:7']);
  });
});
