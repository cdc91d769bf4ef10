// test-group: unit
/**
 * Issue #34, "a pass that was judged": a row that could not have seen a change of its threshold is
 * "too noisy to judge", a capacity search that never held is "not measured", neither is ever a
 * pass in any count; status and reason come from the same rule; and every sentence people read
 * names metrics in words, never by their field names.
 */
import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/verdict/decide.js';
import { ceilingRow } from '../../src/verdict/ceiling.js';
import { DEFAULT_RULE } from '../../src/verdict/rule.js';
import type { Verdict, VerdictRow } from '../../src/verdict/schema.js';
import { renderVerdictText } from '../../src/report/text.js';
import { renderComment } from '../../src/report/comment/comment.js';
import { renderVerdict } from '../../src/report/html/verdict.js';
import { countStatuses, countsSentence, displayStatus } from '../../src/report/status.js';
import { around, makeResults } from '../__fixtures__/results.js';
import { makeCapacityResults } from '../__fixtures__/capacity.js';
import type { Results } from '../../src/results/schema.js';

const row = (verdict: Verdict, id: string): VerdictRow => {
  const found = verdict.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no row ${id} in ${verdict.checks.map((c) => c.id).join(', ')}`);
  return found;
};

const BASE = [10, 10, 10, 10, 10, 10];
/** Head ±10% around base, centred: the interval (−13% … +14% at 98.8%) is wider than θ = 10%. */
const wide = (look: number, maxLooks: number) =>
  decide(
    makeResults({
      variants: {
        'base/none': { p99Ms: BASE },
        'head/none': { p99Ms: BASE.map((b, i) => b * [1.08, 0.9, 1.1, 0.93, 1.05, 0.94][i]) },
      },
    }),
    { look, maxLooks },
  );

describe('a pass means judged', () => {
  it('a centred estimate whose minimum detectable change exceeds θ is too noisy to judge, not a pass', () => {
    const verdict = wide(1, 2);
    const p99 = row(verdict, 'build:head/none:p99');
    // Inside λθ = 20%, so the rule alone passed it (the old behaviour).
    expect(p99.changeUpper!).toBeLessThan(0.2);
    expect(p99.minimumDetectableChange!).toBeGreaterThan(0.1);
    expect(p99).toMatchObject({ verdict: 'inconclusive', undecided: 'too-noisy', canExtend: true });
    expect(p99.reason).toMatch(
      /could only detect a change of ±14\.7% or more, wider than the 10% threshold: too noisy to judge/,
    );
    expect(verdict.verdict).toBe('inconclusive');
    expect(displayStatus(p99)).toBe('noisy');
    expect(countsSentence(countStatuses(verdict))).toBe(
      '1 too noisy to judge, 1 passed (of 2 gating checks)',
    );
  });

  it('asks for more trials while looks remain, and stops at max_trials', () => {
    expect(wide(1, 2).sequential.moreTrialsCouldResolve).toBe(true);
    const last = wide(2, 2);
    expect(last.verdict).toBe('inconclusive');
    expect(last.sequential.moreTrialsCouldResolve).toBe(false);
    expect(renderVerdictText(last)).toMatch(/more trials would not resolve it within max_trials\n$/);
  });

  it('the terminal says so: verdict inconclusive with the count, never pass', () => {
    const text = renderVerdictText(wide(2, 2));
    expect(text).toMatch(/verdict: inconclusive — 1 too noisy to judge, 1 passed \(of 2 gating checks\)/);
    expect(text).toMatch(/head\/none p99: −0\.5% measured/);
  });

  it('an error rate within its allowance whose upper bound is above it is too noisy to judge', () => {
    // 6 × 500 requests, no errors: the bound (~0.15%) is above the 0.1% allowance.
    const few = decide(makeResults({ variants: { 'head/none': { p99Ms: around(10, 6), requests: 500 } } }));
    const errors = row(few, 'absolute:head/none:errorRate');
    expect(errors).toMatchObject({ verdict: 'inconclusive', undecided: 'too-noisy', canExtend: true });
    expect(errors.currentInterval!.upper).toBeGreaterThan(0.001);
    expect(errors.reason).toMatch(
      /^no errors in 3000 requests, but its 95\.0% upper bound is 0\.1\d%, above the 0\.10% allowance: too noisy to judge$/,
    );
    expect(few.verdict).toBe('inconclusive');
    expect(renderVerdictText(few)).toMatch(
      /verdict: inconclusive — 1 too noisy to judge \(of 1 gating check\)/,
    );
    // Enough requests for the bound to clear the allowance: a pass.
    const many = decide(makeResults({ variants: { 'head/none': { p99Ms: around(10, 6), requests: 2000 } } }));
    expect(row(many, 'absolute:head/none:errorRate').verdict).toBe('pass');
  });

  it('an error rate too noisy to judge is resolved by more requests, not "more trials would not settle it"', () => {
    const results = makeResults({
      variants: {
        'base/none': { p99Ms: around(10, 6), requests: 500 },
        'head/none': { p99Ms: around(10, 6), requests: 500 },
      },
    });
    const verdict = decide(results);
    expect(row(verdict, 'build:head/none:errorRate').undecided).toBe('too-noisy');
    const comment = renderComment(results, verdict);
    expect(comment).toMatch(/\*\*More requests\*\*: head\/none error rate is judged on counts/);
    expect(comment).not.toMatch(/More trials would not settle it/);
  });

  it('a level below its ceiling whose interval reaches above it is too noisy to judge', () => {
    const input = {
      variant: 'head/nginx',
      metric: 'proxyCpuMsPer1kRequests' as const,
      unit: 'ms/1k requests' as const,
      max: 60,
      confidence: 0.95,
      rule: DEFAULT_RULE,
    };
    const noisy = ceilingRow({ ...input, values: [40, 70, 45, 65, 50, 55] });
    expect(noisy.change!).toBeLessThan(0);
    expect(noisy).toMatchObject({ verdict: 'inconclusive', undecided: 'too-noisy', canExtend: true });
    expect(noisy.reason).toMatch(
      /below the 60 ms\/1k requests ceiling, but the interval .* reaches above it: too noisy to judge/,
    );
    expect(ceilingRow({ ...input, values: around(40, 6, 0.03) }).verdict).toBe('pass');
  });
});

describe('a capacity search that never held is not measured', () => {
  // min_rps is 100: a capacity of 50 never holds.
  const results = makeCapacityResults(
    { 'head/none': { capacityRps: 50 }, 'head/nginx': { capacityRps: 40 } },
    { overheadCapacity: { maxDecrease: 0.5 } },
  );
  const verdict = decide(results);

  it('is inconclusive, not measured, with what to change', () => {
    const capacity = row(verdict, 'overhead:head/nginx:capacityRps');
    expect(capacity).toMatchObject({ verdict: 'inconclusive', undecided: 'not-measured', gating: true });
    expect(verdict.verdict).toBe('inconclusive');
    expect(verdict.reason).toMatch(
      /^head\/nginx capacity: the SLO did not hold on head\/none and head\/nginx even at min_rps \(100 rps\): capacity not measured; lower min_rps/,
    );
  });

  it('says so in the counts everywhere, and never leaves them empty', () => {
    expect(countsSentence(countStatuses(verdict))).toBe('1 not measured (of 1 gating check)');
    const text = renderVerdictText(verdict);
    expect(text).toMatch(/verdict: inconclusive — 1 not measured \(of 1 gating check\)/);
    expect(text).not.toMatch(/— +\(of/);
    const comment = renderComment(results, verdict);
    expect(comment).toMatch(/\*\*1 not measured \(of 1 gating check\)\*\*/);
    expect(comment).not.toMatch(/\*\* ?\(of/);
    expect(comment).not.toMatch(/✅ pass/);
  });

  it('the HTML report says it too: the counts under the badge, the status words in the table', () => {
    const html = renderVerdict(verdict);
    expect(html).toContain('<p class="counts">1 not measured (of 1 gating check)</p>');
    expect(html).toMatch(/<td class="v v-inconclusive"[^>]*><span>not measured<\/span>/);
  });

  it('the next steps say to lower min_rps, not to search finer', () => {
    const comment = renderComment(results, verdict);
    expect(comment).toMatch(
      /\*\*A lower `load\.capacity\.min_rps`\*\*: the SLO did not hold on head\/none, head\/nginx even at min_rps \(100 rps\)/,
    );
    expect(comment).not.toMatch(/A finer search/);
  });

  it('a search that stopped before any step held is not measured either, and is not said to have missed min_rps', () => {
    const cut = structuredClone(results);
    for (const variant of cut.variants) variant.capacity!.stop = 'time';
    const stopped = decide(cut);
    const capacity = row(stopped, 'overhead:head/nginx:capacityRps');
    expect(capacity).toMatchObject({ verdict: 'inconclusive', undecided: 'not-measured' });
    expect(capacity.reason).toMatch(
      /^no rate tried on head\/none and head\/nginx held the SLO before the search stopped/,
    );
    expect(renderComment(cut, stopped)).toMatch(/\*\*More `load\.capacity\.max_time`\*\*/);
  });

  it('a head that missed min_rps where base held far above is still a regression: the brackets prove it', () => {
    const proven = decide(
      makeCapacityResults(
        { 'base/none': { capacityRps: 800 }, 'head/none': { capacityRps: 50 } },
        { capacity: { maxDecrease: 0.1 } },
      ),
    );
    expect(row(proven, 'build:head/none:capacityRps').verdict).toBe('regression');
  });
});

describe('status and reason agree', () => {
  it('an estimate beyond θ that is not yet shown says "not yet shown", even when its interval is wide', () => {
    const verdict = decide(
      makeResults({
        variants: {
          'base/none': { p99Ms: BASE },
          'head/none': { p99Ms: BASE.map((b, i) => b * [1.35, 1.0, 1.3, 1.02, 1.25, 1.05][i]) },
        },
      }),
    );
    const p99 = row(verdict, 'build:head/none:p99');
    expect(p99.verdict).toBe('inconclusive');
    expect(p99.reason).toMatch(/does not yet show it is real/);
    expect(p99.changeUpper! - p99.changeLower!).toBeGreaterThan(0.1);
    expect(p99.undecided).toBe('not-yet-shown');
    expect(displayStatus(p99)).toBe('unproven');
  });

  it('every inconclusive row of these runs carries a kind whose word its reason uses', () => {
    const words = {
      'too-noisy': /too noisy/,
      'not-yet-shown': /not yet show|too few to be sure|too few requests to be sure/,
      'not-measured': /not measured/,
    };
    const runs = [
      wide(1, 2),
      decide(makeResults({ variants: { 'head/none': { p99Ms: around(10, 6), requests: 500 } } })),
    ];
    for (const run of runs)
      for (const check of run.checks.filter((c) => c.gating && c.verdict === 'inconclusive')) {
        expect(check.undecided).toBeDefined();
        expect(check.reason).toMatch(words[check.undecided!]);
      }
  });
});

describe("people's words, never field names", () => {
  /** The data planes' own gate: head/nginx CPU +54% against base/nginx. */
  function dataPlaneRun(): Results {
    const base = around(40, 8, 0.03);
    return makeResults({
      variants: {
        'head/none': { p99Ms: around(1.5, 8, 0.03) },
        'base/nginx': {
          p99Ms: around(1.8, 8, 0.03, 1),
          resources: base.map((v) => ({ cpuMsPer1kRequests: v, memoryMibPeak: 20 })),
        },
        'head/nginx': {
          p99Ms: around(1.8, 8, 0.03, 2),
          resources: base.map((v) => ({ cpuMsPer1kRequests: v * 1.54, memoryMibPeak: 20 })),
        },
      },
      gate: {
        latency: { p99: { maxIncrease: 0.2 } },
        overhead: {},
        errorRate: { max: 0.001 },
        confidence: 0.95,
        dataPlane: { cpu: { maxIncrease: 0.2, minDelta: 2 }, memory: { maxIncrease: 0.2, minDelta: 4 } },
      },
    });
  }
  const capacity = makeCapacityResults(
    { 'head/none': { capacityRps: 1000 }, 'head/nginx': { capacityRps: 300 } },
    { overheadCapacity: { maxDecrease: 0.5 } },
  );
  const runs: Array<[string, Results]> = [
    ['data plane', dataPlaneRun()],
    ['capacity', capacity],
    [
      'latency',
      makeResults({
        variants: { 'base/none': { p99Ms: BASE }, 'head/none': { p99Ms: BASE.map((b) => b * 1.3) } },
      }),
    ],
  ];
  // A field name: a lower-case word with an upper-case letter inside (proxyCpuMsPer1kRequests, capacityRps).
  const FIELD = /\b[a-z]+[A-Z][A-Za-z0-9]*\b/;

  it.each(runs)('%s: the headline, reasons and terminal read as words', (_name, results) => {
    const verdict = decide(results);
    expect(verdict.verdict).not.toBe('pass');
    const surfaces = {
      reason: verdict.reason,
      rows: verdict.checks.map((c) => c.reason).join('\n'),
      notes: verdict.notes.join('\n'),
      terminal: renderVerdictText(verdict),
      // The comment's own words (the collapsed details quote results' ids and tables too).
      // Chart code blocks (mermaid's own configuration keys) are not prose.
      comment: renderComment(results, verdict)
        .split('<details>')[0]
        .replace(/```mermaid[\s\S]*?```/g, ''),
      // The HTML banner and verdict table, as text.
      html: renderVerdict(verdict).replace(/<[^>]*>/g, ' '),
    };
    for (const [surface, text] of Object.entries(surfaces))
      expect([surface, text.match(FIELD)?.[0]]).toEqual([surface, undefined]);
  });

  it("names a data plane's CPU once, in words, in the one-line reason", () => {
    const verdict = decide(dataPlaneRun());
    expect(verdict.reason).toMatch(/^head\/nginx: proxy CPU per 1k requests rose \+5\d\.\d%/);
  });
});
