// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/verdict/decide.js';
import { findReference } from '../../src/verdict/cross-job.js';
import { createRandom } from '../../src/stats/prng.js';
import { around, makeResults } from '../__fixtures__/results.js';

const sample = { kind: 'sample', sample: 'echo', delayMs: 10, jitterMs: 0, responseBytes: 64 };
const app = { kind: 'url', url: 'http://127.0.0.1:8080' };

/** A job with the calibration server as "base" and the application as "head", on a runner of some speed. */
const job = (runnerFactor: number, appMs: number, options: { phase?: number; meshFactor?: number } = {}) =>
  makeResults({
    builds: { base: sample, head: app },
    variants: {
      'base/none': { p99Ms: around(10 * runnerFactor, 6, 0.02, options.phase) },
      'head/none': { p99Ms: around(appMs * runnerFactor, 6, 0.02, (options.phase ?? 0) + 3) },
      'head/nginx': {
        p99Ms: around(appMs * runnerFactor * (options.meshFactor ?? 1.3), 6, 0.02, (options.phase ?? 0) + 5),
      },
    },
  });

describe('cross-job comparison', () => {
  it('detects the calibration reference: the same sample server in both runs', () => {
    expect(findReference(job(1, 20), job(1, 20))).toBe('base/none');
    const otherSample = makeResults({
      builds: { base: { ...sample, delayMs: 5 }, head: app },
      variants: { 'base/none': { p99Ms: [1] }, 'head/none': { p99Ms: [1] } },
    });
    expect(findReference(job(1, 20), otherSample)).toBeUndefined();
  });

  it('a uniformly slower runner cancels: no change, pass', () => {
    const verdict = decide(job(1.4, 20), { baseline: job(1, 20, { phase: 2 }) });
    // Same-job build rows exist (base/none is a build), so cross-job rows would only be reported;
    // remove them to test the cross-job decision alone.
    const crossJob = verdict.checks.filter((c) => c.comparison === 'cross-job');
    expect(crossJob.length).toBeGreaterThan(0);
    for (const check of crossJob.filter((c) => c.metric === 'p99')) {
      expect(Math.abs(check.change!)).toBeLessThan(0.05);
      expect(check.unit).toBe('ratio');
    }
    expect(verdict.baseline).toMatchObject({ reference: 'base/none', sha: 'abc1234' });
  });

  it('gates on the ratio of ratios when the job has no same-job build comparison', () => {
    const single = (runnerFactor: number, meshFactor: number, phase = 0) =>
      makeResults({
        variants: {
          'head/none': { p99Ms: around(10 * runnerFactor, 6, 0.02, phase) },
          'head/nginx': { p99Ms: around(10 * runnerFactor * meshFactor, 6, 0.02, phase + 4) },
        },
      });
    const same = decide(single(1.5, 1.3), { baseline: single(1, 1.3, 2) });
    const trend = same.checks.find((c) => c.id === 'cross-job:head/nginx ÷ head/none:p99')!;
    expect(trend).toMatchObject({
      gating: true,
      verdict: 'pass',
      comparedWith: 'baseline run: head/nginx ÷ head/none',
    });
    expect(trend.baseline!).toBeCloseTo(1.3, 1);

    const worse = decide(single(1.5, 1.3 * 1.3), { baseline: single(1, 1.3, 2) });
    const grown = worse.checks.find((c) => c.id === 'cross-job:head/nginx ÷ head/none:p99')!;
    expect(grown.verdict).toBe('regression');
    expect(grown.change!).toBeCloseTo(0.3, 1);
    expect(worse.verdict).toBe('regression');
  });

  it('the application is normalised by the reference: +25% relative to calibration is caught even on a faster runner', () => {
    const verdict = decide(job(0.7, 25), { baseline: job(1, 20, { phase: 1 }), reference: 'base/none' });
    const application = verdict.checks.find((c) => c.id === 'cross-job:head/none ÷ base/none:p99')!;
    expect(application.change!).toBeCloseTo(0.25, 1);
    // The raw latency fell (17.5 ms vs 20 ms), the normalised one rose.
    expect(application.comparedWith).toBe('baseline run: head/none ÷ base/none');
  });

  it('has wider intervals than a same-job comparison at the same noise (the noise of both jobs adds up)', () => {
    const random = createRandom(21);
    const noisy = (level: number) =>
      Array.from({ length: 8 }, () => level * Math.exp(0.04 * random.normal()));
    const randomJob = () =>
      makeResults({
        builds: { base: sample, head: app },
        variants: { 'base/none': { p99Ms: noisy(10) }, 'head/none': { p99Ms: noisy(20) } },
      });
    let wider = 0;
    for (let i = 0; i < 40; i++) {
      const verdict = decide(randomJob(), { baseline: randomJob() });
      const width = (id: string) => {
        const check = verdict.checks.find((c) => c.id === id)!;
        return Math.log(1 + check.changeUpper!) - Math.log(1 + check.changeLower!);
      };
      if (width('cross-job:head/none ÷ base/none:p99') > width('build:head/none:p99')) wider++;
      expect(verdict.checks.find((c) => c.id === 'build:head/none:p99')!.gating).toBe(true);
      expect(verdict.checks.find((c) => c.id === 'cross-job:head/none ÷ base/none:p99')!.gating).toBe(false);
      expect(verdict.notes.join(' ')).toMatch(/cross-job rows are reported only/);
    }
    expect(wider).toBeGreaterThan(30);
  });

  it('says why nothing could be compared', () => {
    const lone = makeResults({ variants: { 'head/none': { p99Ms: around(10, 6) } } });
    const verdict = decide(lone, { baseline: lone });
    expect(verdict.notes.join(' ')).toMatch(/No calibration reference/);
  });
});
