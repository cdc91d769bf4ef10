/**
 * Instructions-per-request rows: head vs base judged on the batches' own spread at gate.cost's
 * threshold; A/A never a regression; the mesh's count reported; one "not available" row on a
 * platform without a counting method; idle subtracted; where the change went, per function.
 */
import { describe, expect, it } from '@jest/globals';
import { ResultsSchema } from '../../src/results/schema.js';
import { decide } from '../../src/verdict/decide.js';
import { batchValues } from '../../src/verdict/cost.js';
import { costChanges, functionName, whereItWent } from '../../src/verdict/cost-functions.js';
import { makeResults, around } from '../__fixtures__/results.js';
import { makeCost, withCost } from '../__fixtures__/cost.js';

const latency = () =>
  makeResults({
    variants: { 'base/nginx': { p99Ms: around(2, 4, 0.02) }, 'head/nginx': { p99Ms: around(2, 4, 0.02, 3) } },
  });
const row = (results: ReturnType<typeof latency>) =>
  decide(results).checks.find((c) => c.id === 'build:head/nginx:instructionsPerRequest');

describe('instructions per request rows', () => {
  it('A/A (the same config on both sides, batches spread 0.3–1%) is never a regression at 2%', () => {
    for (const cv of [0.003, 0.006, 0.01])
      for (let phase = 0; phase < 12; phase++) {
        const results = withCost(
          latency(),
          {
            'base/nginx': { level: 19_250, cv, phase },
            'head/nginx': { level: 19_250, cv, phase: phase + 5 },
          },
          { maxIncrease: 0.02 },
        );
        expect(row(results)!.verdict).not.toBe('regression');
      }
  });

  it('+5% is a regression at 2%, gating, counted; +1% passes', () => {
    const up5 = row(
      withCost(
        latency(),
        { 'base/nginx': { level: 19_250 }, 'head/nginx': { level: 19_250 * 1.05, phase: 3 } },
        { maxIncrease: 0.02 },
      ),
    )!;
    expect(up5).toMatchObject({
      verdict: 'regression',
      gating: true,
      unit: 'instructions/request',
      comparedWith: 'base/nginx',
      pairs: 5,
    });
    expect(up5.change!).toBeCloseTo(0.05, 2);
    expect(up5.reason).toMatch(/^instructions per request \(counted\) rose \+[45]\.\d%/);
    const up1 = row(
      withCost(
        latency(),
        { 'base/nginx': { level: 19_250 }, 'head/nginx': { level: 19_250 * 1.01, phase: 3 } },
        { maxIncrease: 0.02 },
      ),
    )!;
    expect(up1.verdict).toBe('pass');
  });

  it('without gate.cost the row is reported only; the mesh-vs-none row reports the level', () => {
    const verdict = decide(
      withCost(latency(), { 'base/nginx': { level: 19_250 }, 'head/nginx': { level: 20_000 } }),
    );
    expect(verdict.checks.find((c) => c.id === 'build:head/nginx:instructionsPerRequest')).toMatchObject({
      gating: false,
      verdict: 'info',
    });
    const overhead = verdict.checks.find((c) => c.id === 'overhead:head/nginx:instructionsPerRequest')!;
    expect(overhead).toMatchObject({ gating: false, baseline: null, comparedWith: 'none (no proxy)' });
    expect(overhead.reason).toMatch(
      /^the data plane adds 20,0\d\d instructions per request \(median of 5 batches, callgrind\)/,
    );
  });

  it('a platform without a counting method gets one row saying so, never a zero', () => {
    const results = withCost(latency(), {});
    results.environment.platform = 'kind';
    const rows = decide(results).checks.filter((c) => c.metric === 'instructionsPerRequest');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      baseline: null,
      current: null,
      change: null,
      gating: false,
      verdict: 'info',
    });
    expect(rows[0].reason).toMatch(/^not available on this platform \(kind\)/);
  });

  it("a platform that says why nothing was counted: that reason, in the one row, in results.json's schema", () => {
    const results = withCost(latency(), {});
    results.environment.platform = 'kind';
    results.costUnavailable =
      "perf cannot count instructions:u on this runner (perf reports <not supported> for instructions:u); only a runner with a hardware counter (GitHub's arm64 runners) counts the cluster's proxies";
    expect(ResultsSchema.parse(results).costUnavailable).toBe(results.costUnavailable);
    // A results file from elsewhere: its reason reaches the terminal as one plain line.
    const hostile = { ...results, costUnavailable: 'x\u001b[2J\nrm -rf\r' };
    expect(decide(hostile).checks.find((c) => c.metric === 'instructionsPerRequest')!.reason).toBe(
      'not counted on kind: x [2J rm -rf ; the timed rows gate as usual',
    );
    const rows = decide(results).checks.filter((c) => c.metric === 'instructionsPerRequest');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ current: null, change: null, gating: false, verdict: 'info' });
    expect(rows[0].reason).toBe(
      "not counted on kind: perf cannot count instructions:u on this runner (perf reports <not supported> for instructions:u); only a runner with a hardware counter (GitHub's arm64 runners) counts the cluster's proxies; the timed rows gate as usual",
    );
  });

  it('subtracts the idle window from every batch', () => {
    const cost = makeCost({ level: 10_000, cv: 0 }, 0);
    expect(batchValues(cost)).toEqual([10_000, 10_000, 10_000, 10_000, 10_000]);
  });
});

describe('where the change went', () => {
  it('lists the functions whose self cost per request changed most, head − base', () => {
    const results = withCost(latency(), {
      'base/nginx': {
        level: 18_000,
        cv: 0,
        functions: { ngx_http_parse_header_line: 7_865, ngx_hash_find: 4_425 },
      },
      'head/nginx': {
        level: 20_000,
        cv: 0,
        functions: {
          ngx_http_parse_header_line: 7_865,
          ngx_hash_find: 4_425,
          pcre2_match_8: 1_200,
          ngx_http_headers_filter: 500,
        },
      },
    });
    const [change] = costChanges(results);
    expect(change.delta).toBe(2000);
    expect(change.functions.slice(0, 2).map((fn) => [fn.name, fn.delta])).toEqual([
      ['pcre2_match_8', 1200],
      ['ngx_http_headers_filter', 500],
    ]);
    expect(whereItWent(change)).toBe(
      '+2.00k instructions per request: +1.20k in pcre2_match_8, +500 in ngx_http_headers_filter',
    );
  });

  it('reduces names to plain text (a results file may come from a fork)', () => {
    expect(functionName('std::vector<int>::push_back(int const&)')).toBe(
      'std::vector_int_::push_back_int_const__',
    );
    expect(functionName('<img src=x onerror=alert(1)>`@all')).not.toMatch(/[<>`\s]/);
  });
});
