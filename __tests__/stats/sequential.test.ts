// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { confidencePerLook, planLooks } from '../../src/stats/sequential.js';

describe('sequential looks', () => {
  it.each([
    [1, 0.95],
    [2, 1 - 0.0294],
    [3, 1 - 0.0221],
    [5, 1 - 0.0158],
    [20, 1 - 0.05 / 20],
  ])('confidence per look for %p looks at 95%', (looks, expected) => {
    expect(confidencePerLook(0.95, looks)).toBeCloseTo(expected, 3);
  });

  it('scales for other levels', () => {
    expect(confidencePerLook(0.9, 2)).toBeCloseTo(1 - 0.0588, 3);
  });

  it.each([
    { trials: 6, max: 6, looks: [6] },
    { trials: 6, max: 12, looks: [6, 9, 12] },
    { trials: 6, max: 10, looks: [6, 9, 10] },
    { trials: 5, max: 15, step: 5, looks: [5, 10, 15] },
  ])('plan $trials → $max', ({ trials, max, step, looks }) => {
    expect(planLooks(trials, max, step)).toEqual(looks);
  });
});
