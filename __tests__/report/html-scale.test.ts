// test-group: unit
/** Axes of the HTML report's plots (issue #34, item 10): none below zero for what cannot be, none far past the data. */
import { describe, expect, it } from '@jest/globals';
import { niceDomain, snugLogDomain } from '../../src/report/html/scale.js';

describe('niceDomain', () => {
  it('never goes below zero for values that cannot (a capacity run: p90 from 0.5 to 1,441 ms)', () => {
    const [low, high] = niceDomain([0.5, 3, 40, 1441], { zero: false });
    expect(low).toBe(0);
    expect(high).toBeGreaterThanOrEqual(1441);
  });

  it('still goes below zero when a value does', () => {
    expect(niceDomain([-12, 30], { zero: false })[0]).toBeLessThan(-12);
  });
});

describe('snugLogDomain', () => {
  it.each([
    [[100, 1000], 1100],
    [[100, 480, 2000], 2500],
    [[50, 333], 400],
  ])('%p ends at %p, not the next 1-2-5 step', (values, top) => {
    expect(snugLogDomain(values)[1]).toBe(top);
  });
});
