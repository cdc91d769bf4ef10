// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { clock, PROGRESS_WIDTH, progressLine, stepProgressLine } from '../src/experiment-progress.js';

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
      'trial 12/12 · x · 1:50 elapsed · ~0:10 left (if inconclusive: ≤ 24 trials, ~2:10)',
    );
    expect(lines[1]).toBe(
      'trial 13/18 · x · 2:00 elapsed · ~1:00 left (if inconclusive: ≤ 24 trials, ~2:00)',
    );
    expect(lines.join('\n')).not.toMatch(/%/);
  });

  it('fits 100 columns at its longest, cutting the variant id and never a number (issue #34: 113–116)', () => {
    const long = 'head/istio-ambient-with-waypoint-and-a-very-long-build-name';
    const line = progressLine({
      // Two hours into a 300-trial run that may grow to 600: longer than any shipped profile.
      done: 239,
      plannedNow: 300,
      plannedMax: 600,
      variantId: long,
      elapsedS: 7_200,
      trialS: 30,
    });
    expect(Array.from(line).length).toBeLessThanOrEqual(PROGRESS_WIDTH);
    expect(line).toMatch(
      /^trial 240\/300 · head\/isti.*… · 2:00:00 elapsed · ~[\d:]+ left \(if inconclusive: ≤ 600 trials, ~[\d:]+\)$/,
    );
    // A short id is never cut.
    expect(
      progressLine({
        done: 0,
        plannedNow: 8,
        plannedMax: 8,
        variantId: 'head/nginx',
        elapsedS: 0,
        trialS: 5,
      }),
    ).toContain(' · head/nginx · ');
  });

  it('a capacity step names its time as the max_time budget left, not an estimate, within 100 columns', () => {
    const line = stepProgressLine({
      step: 12,
      reruns: 2,
      variantId: 'head/istio-ambient-with-waypoint-and-a-very-long-build-name',
      rps: 12_000,
      elapsedS: 3725,
      budgetLeftS: 3600,
    });
    expect(Array.from(line).length).toBeLessThanOrEqual(PROGRESS_WIDTH);
    expect(line).toMatch(
      /^step 12 \(re-run 2\) · head\/isti.*… at 12000 requests\/s · 1:02:05 elapsed · budget: 1:00:00 of load left$/,
    );
  });

  it.each([
    [0, '0:00'],
    [75, '1:15'],
    [3725, '1:02:05'],
  ])('clock(%p) = %p', (s, text) => expect(clock(s)).toBe(text));
});
