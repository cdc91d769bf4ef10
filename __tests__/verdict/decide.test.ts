// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { decide, needsMoreTrials } from '../../src/verdict/decide.js';
import { around, makeResults } from '../__fixtures__/results.js';
import type { VerdictRow } from '../../src/verdict/schema.js';

const row = (checks: VerdictRow[], id: string) => {
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no row ${id} in ${checks.map((c) => c.id).join(', ')}`);
  return found;
};

const twoBuilds = (
  head: number[],
  base = around(10, head.length, 0.02),
  extra: Record<string, unknown> = {},
) => makeResults({ variants: { 'base/none': { p99Ms: base }, 'head/none': { p99Ms: head } }, ...extra });

describe('decide: head vs base in the same job', () => {
  it('identical samples pass', () => {
    const values = around(10, 6, 0.03);
    const verdict = decide(twoBuilds(values, values));
    expect(verdict.verdict).toBe('pass');
    const p99 = row(verdict.checks, 'build:head/none:p99');
    expect(p99).toMatchObject({
      verdict: 'pass',
      change: 0,
      changeLower: 0,
      changeUpper: 0,
      gating: true,
      pairs: 6,
    });
  });

  it('a clear +20% p99 is a regression, with both levels, CI, threshold and noise', () => {
    const base = around(10, 6, 0.02);
    const verdict = decide(
      twoBuilds(
        base.map((v, i) => v * 1.2 * (1 + 0.01 * ((i % 3) - 1))),
        base,
      ),
    );
    expect(verdict.verdict).toBe('regression');
    const p99 = row(verdict.checks, 'build:head/none:p99');
    expect(p99.verdict).toBe('regression');
    expect(p99.change!).toBeCloseTo(0.2, 1);
    expect(p99.changeLower!).toBeGreaterThan(0.1);
    expect(p99.baseline!).toBeCloseTo(10, 0);
    expect(p99.current!).toBeCloseTo(12, 0);
    expect(p99.threshold).toEqual({ kind: 'increase', maxIncrease: 0.1, minDelta: 0.5, minDeltaSource: 'profile' });
    expect(p99.minimumDetectableChange!).toBeGreaterThan(0);
    expect(p99.minimumDetectableChange!).toBeLessThan(0.1);
    expect(p99.noise.baselineCv!).toBeGreaterThan(0);
    expect(p99.comparedWith).toBe('base/none');
    expect(verdict.reason).toMatch(/^head\/none: p99 rose/);
  });

  it('p50, p90 and p99.9 without thresholds are reported, not gating', () => {
    const verdict = decide(twoBuilds(around(10, 6).map((v) => v * 1.3)));
    for (const metric of ['p50', 'p90', 'p999'])
      expect(row(verdict.checks, `build:head/none:${metric}`)).toMatchObject({
        gating: false,
        verdict: 'info',
      });
  });

  it('an improvement passes and says so', () => {
    const verdict = decide(twoBuilds(around(10, 6, 0.02).map((v) => v * 0.75)));
    expect(verdict.verdict).toBe('pass');
    expect(row(verdict.checks, 'build:head/none:p99').verdict).toBe('improvement');
    expect(verdict.reason).toMatch(/1 improved/);
  });

  it('huge variance is inconclusive, and more trials could resolve it', () => {
    const head = [8, 14, 9, 15, 7, 13];
    const verdict = decide(twoBuilds(head), { look: 1, maxLooks: 3 });
    expect(verdict.verdict).toBe('inconclusive');
    expect(row(verdict.checks, 'build:head/none:p99').reason).toMatch(/too noisy|does not yet show/);
    expect(needsMoreTrials(verdict)).toBe(true);
    expect(needsMoreTrials(decide(twoBuilds(head), { look: 3, maxLooks: 3 }))).toBe(false);
  });

  it('one trial is inconclusive with a reason', () => {
    const verdict = decide(twoBuilds([10], [10]));
    expect(verdict.verdict).toBe('inconclusive');
    expect(row(verdict.checks, 'build:head/none:p99').reason).toMatch(/only 1 trial pair/);
  });

  it('uses a stricter level at each of several looks', () => {
    const results = twoBuilds(around(10, 6));
    expect(decide(results).sequential.confidence).toBe(0.95);
    expect(decide(results, { look: 2, maxLooks: 3 }).sequential).toMatchObject({ look: 2, maxLooks: 3 });
    expect(decide(results, { maxLooks: 3 }).sequential.confidence).toBeCloseTo(0.978, 3);
  });

  it('compares throughput only in closed-loop runs', () => {
    const closed = makeResults({
      variants: {
        'base/none': { p99Ms: around(10, 6), requestedRps: 0, actualRps: around(1000, 6, 0.01) },
        'head/none': { p99Ms: around(10, 6), requestedRps: 0, actualRps: around(800, 6, 0.01) },
      },
      gate: {
        latency: { p99: { maxIncrease: 0.1, minDeltaMs: 0.5 } },
        overhead: {},
        throughput: { maxDecrease: 0.1 },
        errorRate: { max: 0.001 },
        confidence: 0.95,
      },
    });
    expect(row(decide(closed).checks, 'build:head/none:throughput')).toMatchObject({
      verdict: 'regression',
      unit: 'rps',
    });
    expect(decide(twoBuilds(around(10, 6))).checks.some((c) => c.metric === 'throughput')).toBe(false);
  });

  it('a regression on a row noisier than its threshold says identical builds can fail it too', () => {
    const base = [10, 10, 10, 10, 10, 10];
    // Pairs read +22% … +82%: clearly worse, but the interval spans about ±17%, wider than 10%.
    const head = [0.2, 0.5, 0.35, 0.6, 0.25, 0.45].map((d) => 10 * Math.exp(d));
    const gate = (confidence: number) => ({
      latency: { p99: { maxIncrease: 0.1 } },
      overhead: {},
      errorRate: { max: 0.001 },
      confidence,
    });
    const noisy = decide(twoBuilds(head, base), { gate: gate(0.95) });
    expect(noisy.verdict).toBe('regression');
    const mde = row(noisy.checks, 'build:head/none:p99').minimumDetectableChange ?? 0;
    expect(mde).toBeGreaterThan(0.1);
    const note = noisy.notes.find((n) => n.includes('identical builds can fail'));
    expect(note).toContain(`p99 of head/none failed with a minimum detectable effect of ±${(mde * 100).toFixed(1)}%`);
    expect(note).toContain('judged at 98% rather than 95%');
    expect(note).toContain('about 1 run in 100');
    expect(decide(twoBuilds(head, base), { gate: gate(0.99) }).notes.join(' ')).toContain('about 1 run in 500');

    // A clear regression with a tight interval, and a noisy row that does not fail: no such note.
    const tight = decide(twoBuilds(base.map((v, i) => v * 1.3 * (1 + 0.01 * ((i % 3) - 1))), base), { gate: gate(0.95) });
    expect(tight.verdict).toBe('regression');
    expect(tight.notes.some((n) => n.includes('identical builds'))).toBe(false);
    const wide = decide(twoBuilds([8, 13, 9, 12, 10, 11], base), { gate: gate(0.95) });
    expect(wide.verdict).not.toBe('regression');
    expect(wide.notes.some((n) => n.includes('identical builds'))).toBe(false);
  });
});

describe('decide: rows noisier than their threshold', () => {
  const base = [10, 10, 10, 10, 10, 10];
  const gate = {
    latency: { p50: { maxIncrease: 0.1 }, p99: { maxIncrease: 0.1 } },
    overhead: {},
    errorRate: { max: 0.001 },
    confidence: 0.95,
  };
  // Pairs around +22% with a spread that makes the 95% interval ±25%: significant at 95%, not at 98%.
  const noisyLogs = [-0.009, 0.102, 0.172, 0.228, 0.298, 0.409];

  it('are judged at 2/5 of the α: a regression at 95% that 98% cannot show is inconclusive', () => {
    const results = twoBuilds(noisyLogs.map((d) => 10 * Math.exp(d)), base);
    const strict = row(decide(results, { gate }).checks, 'build:head/none:p99');
    const loose = row(decide(results, { gate, rule: { noisyAlphaFactor: 1 } }).checks, 'build:head/none:p99');
    expect(loose).toMatchObject({ verdict: 'regression', confidence: 0.95 });
    expect(loose.minimumDetectableChange).toBeGreaterThan(0.1);
    expect(strict).toMatchObject({ verdict: 'inconclusive', confidence: 0.98, lookConfidence: 0.95 });
    expect(strict.changeLower!).toBeLessThan(loose.changeLower!);
    expect(strict.change).toBeCloseTo(loose.change!, 12);
    expect(strict.reason).toContain('judged at 98%, not 95%: its pairs spread wider than its threshold');
  });

  it('one outlier pair widens the interval but leaves the row at the look level: its bulk decides', () => {
    const results = twoBuilds([0, 0.01, -0.01, 0.005, -0.005, 0.5].map((d) => 10 * Math.exp(d)), base);
    const p99 = row(decide(results, { gate }).checks, 'build:head/none:p99');
    expect(p99.minimumDetectableChange).toBeGreaterThan(0.1);
    expect(p99.confidence).toBe(0.95);
    expect(p99.lookConfidence).toBeUndefined();
    expect(p99.reason).not.toContain('judged at');
  });

  it('quieter rows keep the look level, and the level splits over the looks first', () => {
    const quiet = twoBuilds(base.map((v, i) => v * 1.3 * (1 + 0.01 * ((i % 3) - 1))), base);
    const verdict = decide(quiet, { gate, look: 1, maxLooks: 3 });
    const p99 = row(verdict.checks, 'build:head/none:p99');
    expect(p99.confidence).toBe(verdict.sequential.confidence);
    expect(p99.reason).not.toContain('judged at');
    const noisy = decide(twoBuilds(noisyLogs.map((d) => 10 * Math.exp(d)), base), { gate, look: 1, maxLooks: 3 });
    const noisyRow = row(noisy.checks, 'build:head/none:p99');
    expect(1 - noisyRow.confidence).toBeCloseTo((1 - noisy.sequential.confidence) * 0.4, 12);
  });
});

describe('decide: error rates', () => {
  it('all-zero error counts pass', () => {
    const errors = row(decide(twoBuilds(around(10, 6))).checks, 'build:head/none:errorRate');
    expect(errors).toMatchObject({ verdict: 'pass', current: 0, baseline: 0 });
    expect(errors.reason).toMatch(/no errors in 12000 requests/);
  });

  it('errors above the allowance and above base are a regression (Fisher)', () => {
    const results = makeResults({
      variants: {
        'base/none': { p99Ms: around(10, 6) },
        'head/none': { p99Ms: around(10, 6), errors: [10, 12, 9, 11, 10, 8] },
      },
    });
    const errors = row(decide(results).checks, 'build:head/none:errorRate');
    expect(errors.verdict).toBe('regression');
    expect(errors.pValue!).toBeLessThan(1e-6);
    expect(errors.reason).toMatch(/Fisher/);
  });

  it('errors on both builds alike are inconclusive: not yet shown to come from the change', () => {
    const errs = [10, 12, 9, 11, 10, 8];
    const results = makeResults({
      variants: {
        'base/none': { p99Ms: around(10, 6), errors: errs },
        'head/none': { p99Ms: around(10, 6), errors: errs },
      },
    });
    const errors = row(decide(results).checks, 'build:head/none:errorRate');
    expect(errors.verdict).toBe('inconclusive');
    expect(errors.reason).toMatch(/not yet shown to come from this change/);
  });

  it('a lone variant is held to the allowance by a binomial test', () => {
    const results = makeResults({
      variants: { 'head/none': { p99Ms: around(10, 6), errors: [5, 5, 5, 5, 5, 5] } },
    });
    const verdict = decide(results);
    expect(row(verdict.checks, 'absolute:head/none:errorRate')).toMatchObject({
      verdict: 'regression',
      comparedWith: 'allowance 0.10%',
    });
    expect(verdict.notes.join(' ')).toMatch(/No latency comparison gated/);
  });
});

describe('decide: mesh overhead', () => {
  const meshResults = (gate?: Record<string, unknown>) =>
    makeResults({
      variants: {
        'head/none': { p99Ms: around(10, 6) },
        'head/nginx': {
          p99Ms: around(13, 6, 0.02),
          resources: Array(6).fill({ cpuMsPer1kRequests: 40, memoryMibPeak: 12 }),
        },
      },
      gate,
    });

  it('reports overhead without overhead thresholds', () => {
    const verdict = decide(meshResults());
    const p99 = row(verdict.checks, 'overhead:head/nginx:p99');
    expect(p99).toMatchObject({ gating: false, verdict: 'info', comparedWith: 'head/none' });
    expect(p99.change!).toBeCloseTo(0.3, 1);
    expect(row(verdict.checks, 'overhead:head/nginx:proxyCpuMsPer1kRequests')).toMatchObject({
      current: 40,
      unit: 'ms/1k requests',
    });
    expect(row(verdict.checks, 'overhead:head/nginx:proxyMemoryMib')).toMatchObject({ current: 12 });
  });

  it('gates overhead with gate.overhead', () => {
    const gate = {
      latency: {},
      overhead: { p99: { maxIncrease: 0.2, minDeltaMs: 0.5 } },
      errorRate: { max: 0.001 },
      confidence: 0.95,
    };
    const verdict = decide(meshResults(gate));
    expect(row(verdict.checks, 'overhead:head/nginx:p99')).toMatchObject({
      gating: true,
      verdict: 'regression',
    });
    expect(verdict.verdict).toBe('regression');
  });
});
