// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { clock, progressLine } from '../src/experiment-progress.js';

describe('progress line', () => {
  it('counts from 1, shows elapsed time and what is left', () => {
    expect(
      progressLine({
        done: 0,
        plannedNow: 12,
        plannedMax: 12,
        variantId: 'head/none',
        elapsedS: 0,
        trialS: 7,
      }),
    ).toBe('trial 1/12 · head/none · 0:00 elapsed · ~1:24 left');
    expect(
      progressLine({
        done: 6,
        plannedNow: 12,
        plannedMax: 12,
        variantId: 'base/none',
        elapsedS: 60,
        trialS: 7,
      }),
    ).toBe('trial 7/12 · base/none · 1:00 elapsed · ~1:00 left');
  });

  it('never goes backwards when an inconclusive verdict adds trials: it names the most it can take', () => {
    const lines = [
      { done: 11, plannedNow: 12, elapsedS: 110 },
      { done: 12, plannedNow: 18, elapsedS: 120 },
    ].map((s) => progressLine({ ...s, plannedMax: 24, variantId: 'x', trialS: 10 }));
    expect(lines[0]).toBe(
      'trial 12/12 · x · 1:50 elapsed · ~0:10 left (up to 24 trials, ~2:10 left, if the verdict stays inconclusive)',
    );
    expect(lines[1]).toBe(
      'trial 13/18 · x · 2:00 elapsed · ~1:00 left (up to 24 trials, ~2:00 left, if the verdict stays inconclusive)',
    );
    expect(lines.join('\n')).not.toMatch(/%/);
  });

  it.each([
    [0, '0:00'],
    [75, '1:15'],
    [3725, '1:02:05'],
  ])('clock(%p) = %p', (s, text) => expect(clock(s)).toBe(text));
});
