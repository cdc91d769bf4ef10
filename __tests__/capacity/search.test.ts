// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { afterStep, outOfTime, startSearch, worstCaseSteps, type SearchSettings } from '../../src/capacity/search.js';

/** Run a search against a system that holds the SLO exactly up to `capacity`; the rates tried. */
function search(settings: SearchSettings, capacity: number) {
  let state = startSearch(settings);
  const tried: number[] = [];
  while (!state.stop) {
    const rps = state.nextRps!;
    expect(tried).not.toContain(rps);
    tried.push(rps);
    state = afterStep(state, settings, rps, rps <= capacity);
  }
  return { state, tried };
}

const SETTINGS: SearchSettings = { minRps: 100, maxRps: 2000, precision: 0.05 };

describe('capacity search', () => {
  test.each([150, 333, 500, 777, 1234, 1999])('finds a capacity of %p within the stated precision and the step bound', (capacity) => {
    const { state, tried } = search(SETTINGS, capacity);
    expect(state.stop).toBe('precision');
    expect(state.lowerRps!).toBeLessThanOrEqual(capacity);
    expect(state.upperRps!).toBeGreaterThan(capacity);
    expect(state.upperRps! / state.lowerRps! - 1).toBeLessThanOrEqual(0.05);
    // The reported capacity (the highest rate that held) is within the precision of the truth.
    expect(capacity / state.lowerRps! - 1).toBeLessThanOrEqual(0.05);
    expect(tried.length).toBeLessThanOrEqual(worstCaseSteps(SETTINGS));
  });

  test('ramps by doubling from min_rps, never above max_rps, then bisects on a log scale', () => {
    const { tried } = search(SETTINGS, 500);
    expect(tried.slice(0, 4)).toEqual([100, 200, 400, 800]);
    expect(tried[4]).toBe(Math.round(Math.sqrt(400 * 800)));
    expect(Math.max(...tried)).toBeLessThanOrEqual(2000);
  });

  test('a system that misses at min_rps is below it; one that holds at max_rps is at least it', () => {
    const below = search(SETTINGS, 50);
    expect(below.state).toMatchObject({ stop: 'below_min', upperRps: 100 });
    expect(below.state.lowerRps).toBeUndefined();
    expect(below.tried).toEqual([100]);
    const above = search(SETTINGS, 5000);
    expect(above.state).toMatchObject({ stop: 'above_max', lowerRps: 2000 });
    expect(above.tried.at(-1)).toBe(2000);
  });

  test('whole rates end a bracket that cannot be split', () => {
    const { state } = search({ minRps: 1, maxRps: 10, precision: 0.01 }, 3);
    expect(state.stop).toBe('resolution');
    expect(state).toMatchObject({ lowerRps: 3, upperRps: 4 });
  });

  test('out of time keeps the bracket reached; a finished search is left alone', () => {
    let state = startSearch(SETTINGS);
    state = afterStep(state, SETTINGS, 100, true);
    state = afterStep(state, SETTINGS, 200, false);
    expect(outOfTime(state)).toEqual({ lowerRps: 100, upperRps: 200, stop: 'time' });
    const done = search(SETTINGS, 500).state;
    expect(outOfTime(done)).toBe(done);
  });
});
