/**
 * The five comments kept as golden files (__tests__/__outputs__/comment-*.md): a regression, a
 * pass, an inconclusive run (too noisy to judge), a cross-job comparison against a baseline run,
 * and a capacity profile. Synthetic but real: every trial carries an encoded HdrHistogram (the
 * capacity searches run the real search against a model system), verdicts come from decide().
 */
import type { Results } from '../../src/results/schema.js';
import { decide } from '../../src/verdict/decide.js';
import type { Verdict } from '../../src/verdict/schema.js';
import { makeCapacityResults } from './capacity.js';
import { withCost } from './cost.js';
import { around, makeResults } from './results.js';

export interface CommentScenario {
  name: 'regression' | 'pass' | 'inconclusive' | 'cross-job' | 'capacity' | 'cost';
  results: Results;
  verdict: Verdict;
}

/** The profile fields next steps read (trial length, cap on trials). */
function withPlan(results: Results, trials: number, maxTrials: number): Results {
  results.profile = {
    ...results.profile,
    trials,
    maxTrials,
    load: { rps: 200, connections: 16, durationS: 10, warmupS: 2 },
  };
  return results;
}

export function commentScenarios(): CommentScenario[] {
  const regression = withPlan(
    makeResults({
      histograms: true,
      sha: '3f2c9a1d7e',
      variants: {
        'base/none': { p99Ms: around(10, 6, 0.02) },
        'head/none': { p99Ms: around(12, 6, 0.02, 2) },
        'base/nginx': { p99Ms: around(1.5, 6, 0.02, 4) },
        'head/nginx': {
          p99Ms: around(1.8, 6, 0.02, 1),
          resources: Array(6).fill({ cpuMsPer1kRequests: 42, memoryMibPeak: 11 }),
        },
      },
    }),
    6,
    12,
  );
  const pass = withPlan(
    makeResults({
      histograms: true,
      sha: '8be41c0a55',
      variants: {
        'base/none': { p99Ms: around(1.2, 6, 0.02) },
        'head/none': { p99Ms: around(1.21, 6, 0.02, 3) },
      },
    }),
    6,
    12,
  );
  const inconclusive = withPlan(
    makeResults({
      histograms: true,
      sha: 'c0ffee1234',
      variants: {
        'base/none': { p99Ms: around(1.2, 6, 0.2) },
        'head/none': { p99Ms: around(1.26, 6, 0.2, 5) },
      },
    }),
    6,
    12,
  );
  const single = (runnerFactor: number, meshFactor: number, phase: number, sha: string) =>
    withPlan(
      makeResults({
        histograms: true,
        sha,
        variants: {
          'head/none': { p99Ms: around(1 * runnerFactor, 6, 0.02, phase) },
          'head/nginx': { p99Ms: around(1 * runnerFactor * meshFactor, 6, 0.02, phase + 4) },
        },
      }),
      6,
      6,
    );
  // A capacity profile: head loses a third of base's capacity; nginx costs some of it.
  const capacity = makeCapacityResults(
    {
      'base/none': { capacityRps: 500 },
      'base/nginx': { capacityRps: 450, millicoresPerKrps: 400 },
      'head/none': { capacityRps: 333 },
      'head/nginx': { capacityRps: 300, millicoresPerKrps: 400 },
    },
    { overheadCapacity: { maxDecrease: 0.4 } },
  );
  // A data-plane filter: latency cannot tell, the count can (+11%, spread 0.3%), and says where.
  const cost = withCost(
    withPlan(
      makeResults({
        histograms: true,
        sha: '77c1e0d4b2',
        variants: {
          'base/nginx': {
            p99Ms: around(2, 6, 0.15),
            resources: Array(6).fill({ cpuMsPer1kRequests: 47, memoryMibPeak: 4.4 }),
          },
          'head/nginx': {
            p99Ms: around(2.05, 6, 0.15, 5),
            resources: Array(6).fill({ cpuMsPer1kRequests: 48, memoryMibPeak: 4.6 }),
          },
        },
        gate: {
          latency: { p99: { maxIncrease: 0.2, minDeltaMs: 0.5 } },
          overhead: {},
          errorRate: { max: 0.001 },
          confidence: 0.95,
        },
      }),
      6,
      6,
    ),
    {
      'base/nginx': {
        level: 17_936,
        functions: { ngx_http_parse_header_line: 7_865, ngx_hash_find: 4_425, ngx_hash_strlow: 120 },
      },
      'head/nginx': {
        level: 20_018,
        phase: 5,
        functions: {
          ngx_http_parse_header_line: 7_865,
          ngx_hash_find: 4_425,
          ngx_hash_strlow: 322,
          pcre2_match_8: 385,
          'libpcre2-8.so.0:0x52c70': 393,
          ngx_http_headers_filter: 210,
        },
      },
    },
    { maxIncrease: 0.02 },
  );
  const crossNow = single(1.5, 1.3 * 1.3, 0, '5ab9e0f3c2');
  const crossThen = single(1, 1.3, 2, '1d4e7b9a08');
  return [
    { name: 'regression', results: regression, verdict: decide(regression) },
    { name: 'pass', results: pass, verdict: decide(pass) },
    { name: 'inconclusive', results: inconclusive, verdict: decide(inconclusive, { look: 1, maxLooks: 2 }) },
    { name: 'cross-job', results: crossNow, verdict: decide(crossNow, { baseline: crossThen }) },
    { name: 'capacity', results: capacity, verdict: decide(capacity) },
    { name: 'cost', results: cost, verdict: decide(cost) },
  ];
}
