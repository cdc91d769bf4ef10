import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/stats/decide.js';
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
