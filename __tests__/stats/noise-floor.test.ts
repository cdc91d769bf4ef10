// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/verdict/decide.js';
import { MIN_FLOOR_MS, measuredFloor } from '../../src/stats/noise-floor.js';
import { minimumDetectableChange } from '../../src/verdict/ratio-row.js';
import { around, makeResults } from '../__fixtures__/results.js';

const gate = (p99: Record<string, number>) => ({
  latency: { p99 },
  overhead: {},
  errorRate: { max: 0.001 },
  confidence: 0.95,
});

/** A 1 ms service: per-trial p99 around `level` with 2% spread, 8 pairs. */
const meshScale = (ratio: number, p99Gate: Record<string, number>) =>
  makeResults({
    variants: {
      'base/none': { p99Ms: around(1.0, 8, 0.02) },
      'head/none': { p99Ms: around(1.0 * ratio, 8, 0.02, 3) },
    },
    gate: gate(p99Gate),
  });

const p99Row = (results: ReturnType<typeof makeResults>) =>
  decide(results).checks.find((c) => c.id === 'build:head/none:p99')!;

describe('the measured floor (no min_delta in the profile)', () => {
  it('lets a real +15% of a 1 ms service fail, where a fixed 0.5 ms floor hid it', () => {
    const measured = p99Row(meshScale(1.15, { maxIncrease: 0.1 }));
    expect(measured.verdict).toBe('regression');
    expect(measured.threshold).toMatchObject({ minDeltaSource: 'measured' });
    expect(measured.threshold!.kind === 'increase' && measured.threshold!.minDelta).toBeLessThan(0.15);

    const fixed = p99Row(meshScale(1.15, { maxIncrease: 0.1, minDeltaMs: 0.5 }));
    expect(fixed.verdict).toBe('pass');
    expect(fixed.reason).toMatch(/below the 0\.50? ms floor/);
  });

  it('a user-set min_delta still wins', () => {
    const row = p99Row(meshScale(1.15, { maxIncrease: 0.1, minDeltaMs: 0.2 }));
    expect(row.threshold).toEqual({
      kind: 'increase',
      maxIncrease: 0.1,
      minDelta: 0.2,
      minDeltaSource: 'profile',
    });
  });

  it('never fails +3%, and never goes below the hard minimum', () => {
    expect(p99Row(meshScale(1.03, { maxIncrease: 0.1 })).verdict).toBe('pass');
    const results = meshScale(1, { maxIncrease: 0.1 });
    const [base, head] = results.variants;
    expect(measuredFloor(base, head, 'p99').floorMs).toBe(MIN_FLOOR_MS);
  });

  it('lets +0.15 ms on a 1.2 ms p50 fail at the schedule lag measured at 1,000 rps here', () => {
    // bench:gate's mesh section: p50 1.22 ms end to end, schedule lag p50 0.06–0.075 ms.
    const results = makeResults({
      variants: {
        'base/none': { p99Ms: around(1.22, 8, 0.01) },
        'head/none': { p99Ms: around(1.37, 8, 0.01, 3) },
      },
      gate: gate({ maxIncrease: 0.1 }),
    });
    for (const trial of results.variants.flatMap((v) => v.trials)) trial.scheduleLagMs.p50 = 0.075;
    const row = p99Row(results);
    expect(row.threshold).toMatchObject({ minDeltaSource: 'measured', minDelta: 0.075 });
    expect(row.verdict).toBe('regression');
  });

  it('follows the generator resolution; the spread is measured but left to the interval', () => {
    const results = meshScale(1, { maxIncrease: 0.1 });
    for (const trial of results.variants.flatMap((v) => v.trials)) trial.scheduleLagMs.p50 = 0.04;
    const [base, head] = results.variants;
    expect(measuredFloor(base, head, 'p99')).toMatchObject({ resolutionMs: 0.04, floorMs: 0.04 });
    // Noisier trials (20% spread on 1 ms): the spread is reported, the floor stays at resolution.
    const noisy = makeResults({
      variants: { 'base/none': { p99Ms: around(1, 8, 0.2) }, 'head/none': { p99Ms: around(1, 8, 0.2, 5) } },
    });
    const parts = measuredFloor(noisy.variants[0], noisy.variants[1], 'p99');
    expect(parts.spreadMs).toBeGreaterThan(0.05);
    expect(parts.floorMs).toBe(MIN_FLOOR_MS);
  });
});

describe('minimum detectable change', () => {
  it('is the interval half-width as a fraction', () => {
    const mde = minimumDetectableChange({
      estimate: 0,
      lower: Math.log(0.9),
      upper: Math.log(1.1),
      pairs: 6,
    });
    expect(mde).toBeCloseTo(Math.exp((Math.log(1.1) - Math.log(0.9)) / 2) - 1, 10);
  });

  it('grows with the simulated noise level, and a pass at a wide MDE says the run could not tell', () => {
    const mdeAt = (cv: number) =>
      p99Row(
        makeResults({
          variants: { 'base/none': { p99Ms: around(1, 8, cv) }, 'head/none': { p99Ms: around(1, 8, cv, 1) } },
          gate: gate({ maxIncrease: 0.1, minDeltaMs: 0 }),
        }),
      );
    const quiet = mdeAt(0.01);
    const noisy = mdeAt(0.25);
    expect(quiet.minimumDetectableChange!).toBeLessThan(0.03);
    expect(noisy.minimumDetectableChange!).toBeGreaterThan(0.1);
    expect(noisy.minimumDetectableChange!).toBeGreaterThan(5 * quiet.minimumDetectableChange!);
    expect(quiet.reason).not.toMatch(/could only detect/);
    if (noisy.verdict === 'pass') expect(noisy.reason).toMatch(/could only detect a change of ±\d+\.\d%/);
  });
});
