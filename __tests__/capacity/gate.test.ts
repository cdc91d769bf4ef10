// test-group: unit
import { describe, expect, test } from '@jest/globals';
import { capacityRow, capacityRatio, judgeCapacityRatio } from '../../src/capacity/row.js';
import { coresAtCapacity, efficiencyRows } from '../../src/capacity/efficiency.js';
import { decide } from '../../src/verdict/decide.js';
import { VerdictSchema } from '../../src/verdict/schema.js';
import type { Capacity } from '../../src/results/schema.js';
import { makeCapacityResults, searchVariant } from '../__fixtures__/capacity.js';

const bracket = (lowerRps: number | null, upperRps: number | null, stop: Capacity['stop'] = 'precision'): Capacity => ({
  lowerRps,
  upperRps,
  precision: lowerRps && upperRps ? upperRps / lowerRps - 1 : null,
  stop,
  steps: [],
});

describe('capacity ratio of two searches', () => {
  test('the estimate is the ratio of the capacities found; the range every ratio both brackets allow', () => {
    const ratio = capacityRatio(bracket(300, 315), bracket(500, 525));
    expect(ratio.change).toBeCloseTo(300 / 500 - 1, 12);
    expect(ratio.lower).toBeCloseTo(300 / 525 - 1, 12);
    expect(ratio.upper).toBeCloseTo(315 / 500 - 1, 12);
  });

  test('a side that held at max_rps is unbounded above; one that missed at min_rps takes the end nearest no change', () => {
    expect(capacityRatio(bracket(2000, null, 'above_max'), bracket(1000, 1050)).upper).toBe(Infinity);
    const below = capacityRatio(bracket(null, 100, 'below_min'), bracket(500, 525));
    expect(below.change).toBeCloseTo(100 / 500 - 1, 12);
    expect(below.lower).toBe(-1);
    expect(capacityRatio(bracket(null, 100, 'below_min'), bracket(null, 100, 'below_min')).change).toBeNull();
  });
});

describe('the capacity decision (θ = 10%)', () => {
  test.each([
    ['a third lost, brackets apart', bracket(333, 349), bracket(497, 519), 'regression'],
    ['15% lost, brackets overlapping', bracket(425, 520), bracket(500, 600), 'inconclusive'],
    ['5% lost', bracket(475, 498), bracket(500, 525), 'pass'],
    ['the same', bracket(500, 525), bracket(500, 525), 'pass'],
    ['a third gained, brackets apart', bracket(666, 690), bracket(497, 519), 'improvement'],
    ['head below min_rps, base well above', bracket(null, 100, 'below_min'), bracket(500, 525), 'regression'],
  ])('%s', (_name, current, baseline, verdict) => {
    expect(judgeCapacityRatio(capacityRatio(current, baseline), 0.1)).toBe(verdict);
  });

  test('without a threshold the row is reported only', () => {
    expect(judgeCapacityRatio(capacityRatio(bracket(100, 105), bracket(500, 525)), undefined)).toBe('info');
  });

  test('a mesh row says what the mesh costs at the SLO', () => {
    const results = makeCapacityResults({ 'head/none': { capacityRps: 1000 }, 'head/nginx': { capacityRps: 690 } });
    const [none, nginx] = results.variants as Parameters<typeof capacityRow>[0]['current'][];
    const row = capacityRow({ comparison: 'overhead', current: nginx, baseline: none, maxDecrease: 0.4 });
    expect(row).toMatchObject({ metric: 'capacityRps', unit: 'rps', verdict: 'pass', gating: true, comparedWith: 'head/none' });
    expect(row.reason).toMatch(/^this mesh costs 3\d% of the capacity without it at the SLO/);
    expect(row.threshold).toEqual({ kind: 'decrease', maxDecrease: 0.4 });
  });
});

describe('capacity rows in the verdict', () => {
  test('head vs base regression and mesh vs none, from searches of the model system', () => {
    const results = makeCapacityResults(
      {
        'base/none': { capacityRps: 500 },
        'head/none': { capacityRps: 333 },
        'base/nginx': { capacityRps: 400, millicoresPerKrps: 300 },
        'head/nginx': { capacityRps: 300, millicoresPerKrps: 300 },
      },
      { overheadCapacity: { maxDecrease: 0.3 } },
    );
    const verdict = VerdictSchema.parse(decide(results));
    expect(verdict.verdict).toBe('regression');
    const rows = Object.fromEntries(verdict.checks.map((c) => [c.id, c]));
    expect(rows['build:head/none:capacityRps'].verdict).toBe('regression');
    expect(rows['build:head/nginx:capacityRps'].verdict).toBe('regression');
    // The head build's mesh row gates; the base build's is reported only.
    expect(rows['overhead:head/nginx:capacityRps'].gating).toBe(true);
    expect(rows['overhead:base/nginx:capacityRps'].gating).toBe(false);
    // No paired latency or error rows: steps at different rates are not trials to pair.
    expect(verdict.checks.every((c) => c.metric === 'capacityRps')).toBe(true);
    expect(verdict.capacity?.slo).toBe('p99 ≤ 5 ms, errors ≤ 0.1%');
    const base = verdict.capacity!.variants.find((v) => v.variant === 'base/none')!;
    expect(base.lowerRps! <= 500 && base.upperRps! > 500).toBe(true);
    expect(verdict.method.interval).toMatch(/bracket/);
  });

  test('an A/A pair passes', () => {
    const results = makeCapacityResults({ 'base/none': { capacityRps: 500 }, 'head/none': { capacityRps: 500 } });
    const verdict = decide(results);
    expect(verdict.verdict).toBe('pass');
    expect(verdict.checks).toHaveLength(1);
    expect(verdict.checks[0]).toMatchObject({ verdict: 'pass', change: 0 });
  });

  test('a search that ran out of time or hit a bound is noted', () => {
    const results = makeCapacityResults({ 'head/none': { capacityRps: 5000 } });
    const notes = decide(results).notes.join('\n');
    expect(notes).toMatch(/held at max_rps \(2000 rps\)/);
    expect(notes).toMatch(/No capacity comparison gated this run/);
  });
});

describe('efficiency index', () => {
  test('capacity kept per data-plane core at the capacity step', () => {
    const results = makeCapacityResults({
      'head/none': { capacityRps: 1000 },
      'head/nginx': { capacityRps: 800, millicoresPerKrps: 500 },
    });
    const nginx = results.variants[1];
    const held = nginx.capacity!.lowerRps!;
    expect(coresAtCapacity(nginx)).toBeCloseTo((held * 0.5) / 1000, 12);
    const [row] = efficiencyRows(results);
    const none = results.variants[0].capacity!.lowerRps!;
    expect(row.variant).toBe('head/nginx');
    expect(row.comparedWith).toBe('head/none');
    expect(row.retained).toBeCloseTo(held / none, 12);
    expect(row.rpsPerCore).toBeCloseTo(held / ((held * 0.5) / 1000), 9);
    expect(row.index).toBeCloseTo(held / none / ((held * 0.5) / 1000), 9);
    expect(decide(results).capacity?.efficiency).toEqual([row]);
  });

  test('without a measured data plane only the capacity kept is given', () => {
    const results = makeCapacityResults({ 'head/none': { capacityRps: 1000 }, 'head/nginx': { capacityRps: 800 } });
    expect(efficiencyRows(results)[0]).toMatchObject({ dataPlaneCores: null, rpsPerCore: null, index: null });
  });

  test('no index without both capacities', () => {
    const results = makeCapacityResults({ 'head/none': { capacityRps: 50 }, 'head/nginx': { capacityRps: 800, millicoresPerKrps: 500 } });
    expect(efficiencyRows(results)).toEqual([]);
    expect(coresAtCapacity(searchVariant('head/none', { capacityRps: 50 }))).toBeNull();
  });
});
