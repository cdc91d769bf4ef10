import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/stats/decide.js';
import { renderVerdictMarkdown } from '../../src/report/markdown.js';
import { renderVerdictText } from '../../src/report/text.js';
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

describe('renderVerdictMarkdown', () => {
  const markdown = renderVerdictMarkdown(results, verdict, {
    title: 'echo p99',
    links: [{ label: 'HTML report', url: 'https://example.com/r' }],
  });

  it('starts with a one-line verdict headline and the reason', () => {
    const [headline, , reason] = markdown.split('\n');
    expect(headline).toBe('## echo p99: ❌ regression');
    expect(reason).toMatch(
      /^\*\*2 checks regressed; first: head\/none p99: p99 rose \+20% \(CI .*\), beyond the 10% threshold\*\*$/,
    );
  });

  it('has a table per comparison with the required columns', () => {
    expect(markdown).toContain('### Head vs base build (same job, paired trials)');
    expect(markdown).toContain('### Data-plane overhead: mesh vs none (same job, paired trials)');
    expect(markdown).toContain(
      '| metric | variant | baseline | current | change | CI (95%) | noise (CV) | threshold | status |',
    );
    const p99 = markdown.split('\n').find((line) => line.startsWith('| p99 | head/none vs base/none |'))!;
    expect(p99).toMatch(
      /\| p99 \| head\/none vs base\/none \| 10(\.\d+)? ms \| 12(\.\d+)? ms \| \+20% \| \+\d+(\.\d)?% … \+\d+(\.\d)?% \| \d\.\d+% \/ \d\.\d+% · MDE ±\d\.\d% \| \+10%, ≥ 0\.5 ms \| ❌ regression \|/,
    );
    expect(markdown).toMatch(/\| proxy CPU \| head\/nginx vs none \(no proxy\) \| — \| 42 ms\/1k req \|/);
    expect(markdown).toMatch(/\| error rate \| head\/none vs base\/none \| 0% \| 0% \| \+0 pp \|/);
  });

  it('explains failing rows under the table and links out', () => {
    expect(markdown).toMatch(/- \*\*head\/none p99\*\*: p99 rose/);
    expect(markdown).toContain('[HTML report](https://example.com/r)');
  });

  it('collapses environment, trials and method', () => {
    expect(markdown.match(/<details>/g)).toHaveLength(3);
    expect(markdown).toContain('<summary>Environment</summary>');
    expect(markdown).toContain(
      '<summary>Trials (base/none: 6, head/none: 6, base/nginx: 6, head/nginx: 6)</summary>',
    );
    expect(markdown).toContain('<summary>Method</summary>');
    expect(markdown).toMatch(/\| head\/none \| 1 \| 2 \| /);
  });

  it('escapes pipes in cells', () => {
    const piped = { ...verdict, checks: verdict.checks.map((c) => ({ ...c, comparedWith: 'a|b' })) };
    expect(renderVerdictMarkdown(results, piped)).toContain('vs a\\|b');
  });

  it('shows the baseline run and notes for cross-job verdicts', () => {
    const lone = makeResults({ variants: { 'head/none': { p99Ms: around(10, 6) } } });
    const withBaseline = decide(lone, { baseline: lone });
    const text = renderVerdictMarkdown(lone, withBaseline);
    expect(text).toContain('Baseline run: profile fixture from 2026-01-01T00:00:00.000Z at abc1234');
    expect(text).toMatch(/^> No calibration reference/m);
    expect(text.split('\n')[0]).toBe('## meshgate · fixture: ✅ pass');
  });
});

describe('renderVerdictText', () => {
  const text = renderVerdictText(verdict);
  const lines = text.trimEnd().split('\n');

  it('is an aligned table', () => {
    expect(lines[0]).toMatch(
      /^variant\s+vs\s+metric\s+baseline\s+current\s+change\s+interval\s+CV\s+threshold\s+status$/,
    );
    const statusColumn = lines[0].indexOf('status');
    const row = lines.find((line) => line.startsWith('head/none') && line.includes(' p99 '))!;
    expect(row.indexOf('REGRESSION')).toBe(statusColumn);
  });

  it('ends by saying whether the gate fails the pull request and why', () => {
    expect(lines[lines.length - 1]).toMatch(
      /^verdict: regression — the gate fails the pull request: 2 checks regressed; first: head\/none p99: p99 rose/,
    );
  });

  it('says an inconclusive verdict does not fail by default', () => {
    const unsure = decide(
      makeResults({ variants: { 'base/none': { p99Ms: [10] }, 'head/none': { p99Ms: [10] } } }),
      { maxLooks: 2 },
    );
    const end = renderVerdictText(unsure).trimEnd().split('\n');
    expect(end[end.length - 2]).toMatch(
      /^verdict: inconclusive — the gate does not fail the pull request \(unless --fail-on-inconclusive\)/,
    );
    expect(end[end.length - 1]).toBe('more trials could resolve it');
  });
});
