// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/verdict/decide.js';
import { colorWanted, renderVerdictText } from '../../src/report/text.js';
import { countsSentence, plural } from '../../src/report/status.js';
import { makeBigResults } from '../__fixtures__/big-results.js';
import { around, makeResults } from '../__fixtures__/results.js';

const results = makeResults({
  histograms: true,
  variants: {
    'base/none': { p99Ms: around(10, 6, 0.02) },
    'head/none': { p99Ms: around(12, 6, 0.02, 2) },
    'base/nginx': { p99Ms: around(13, 6, 0.02, 4) },
    'head/nginx': {
      p99Ms: around(15.6, 6, 0.02, 1),
      resources: Array(6).fill({ cpuMsPer1kRequests: 42, memoryMibPeak: 11 }),
    },
  },
});
const verdict = decide(results);

describe('renderVerdictText', () => {
  const text = renderVerdictText(verdict);
  const lines = text.trimEnd().split('\n');

  it('fits 100 columns, also for 2 builds × 3 meshes with resources', () => {
    const big = makeBigResults();
    for (const output of [text, renderVerdictText(decide(big))])
      for (const line of output.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(100);
  });

  it('names each pair once, status first, numbers right-aligned at a fixed precision', () => {
    expect(lines[0]).toBe('Head vs base build: head/none vs base/none');
    expect(lines[1]).toMatch(/^status\s+metric\s+before → after\s+change \(interval\)\s+threshold\s+CV$/);
    const body = lines.slice(2, 7);
    expect(body.find((l) => / p99 /.test(l))).toMatch(
      /^REGRESSION {2}p99 +10\.\d\d → 12\.\d\d ms +\+20\.\d%/,
    );
    // Right-aligned: the latency rows' intervals end in the same column.
    const ends = body.slice(0, 4).map((l) => l.indexOf(')  '));
    expect(new Set(ends).size).toBe(1);
  });

  it('never cuts a threshold: a long floor wraps in its column (issue #34: `+10%, ≥ 0.02 …`)', () => {
    const p99 = verdict.checks.find((check) => check.gating && check.metric === 'p99')!;
    const floored = {
      ...verdict,
      checks: [
        {
          ...p99,
          threshold: {
            kind: 'increase' as const,
            maxIncrease: 0.1,
            minDelta: 0.0234,
            minDeltaSource: 'measured' as const,
          },
        },
      ],
    };
    const out = renderVerdictText(floored).split('\n');
    expect(out.join('\n')).not.toMatch(/≥ [^\n]*…/);
    const start = out.findIndex((l) => / p99 /.test(l));
    // The row's line carries the start of the threshold, the next line (all else blank) the rest.
    expect(out[start]).toMatch(/ \+10%, ≥ 0\.023 +\d/);
    expect(out[start + 1]).toMatch(/^ +ms \(run floor\)$/);
    for (const l of out) expect(Array.from(l).length).toBeLessThanOrEqual(100);
  });

  it('colours status words only when asked', () => {
    expect(text).not.toContain('\u001b[');
    expect(renderVerdictText(verdict, { color: true })).toContain('\u001b[31;1mREGRESSION');
    expect(colorWanted({ isTTY: true }, {})).toBe(true);
    expect(colorWanted({ isTTY: false }, {})).toBe(false);
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  });

  it('ends with the counts and what the gate does', () => {
    expect(lines[lines.length - 1]).toBe(
      'verdict: regression — 2 regressions, 2 passed (of 4 gating checks); the gate fails this pull request',
    );
  });

  it('says an inconclusive verdict is not judged, never that it passes', () => {
    const unsure = decide(
      makeResults({ variants: { 'base/none': { p99Ms: [10] }, 'head/none': { p99Ms: [10] } } }),
      { maxLooks: 2 },
    );
    const end = renderVerdictText(unsure).trimEnd();
    expect(end).toMatch(
      /verdict: inconclusive — [^\n]*too noisy to judge[\s\S]*not judged: the gate\s+neither\s+passes\s+nor\s+fails/,
    );
    expect(end).not.toMatch(/gate passes/);
    expect(end.split('\n').pop()).toBe('more trials could resolve it');
  });
});

describe('plurals', () => {
  it.each([
    [1, '1 variant'],
    [2, '2 variants'],
    [0, '0 variants'],
  ])('%p → %p', (n, text) => expect(plural(n, 'variant')).toBe(text));

  it('counts read as English', () => {
    const one = { regression: 0, unproven: 0, noisy: 0, unmeasured: 0, pass: 1, improvement: 0, gating: 1 };
    expect(countsSentence(one)).toBe('1 passed (of 1 gating check)');
  });

  it('never leaves the counts empty: every gating check is counted somewhere', () => {
    const none = { regression: 0, unproven: 0, noisy: 0, unmeasured: 0, pass: 0, improvement: 0, gating: 2 };
    expect(countsSentence(none)).toBe('2 not judged (of 2 gating checks)');
    const missed = { ...none, unmeasured: 2 };
    expect(countsSentence(missed)).toBe('2 not measured (of 2 gating checks)');
  });
});
