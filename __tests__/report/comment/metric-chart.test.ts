// test-group: unit
/**
 * Issue #34, item 5: the comment charts what decided. A data plane that failed on proxy CPU gets
 * proxy CPU's change against its threshold, not latency percentiles; axes stop where intervals
 * are clipped; notes come after the table and the chart, each once.
 */
import { describe, expect, it } from '@jest/globals';
import { mergedNotes, renderComment } from '../../../src/report/comment/comment.js';
import { renderChangeChart } from '../../../src/report/comment/mermaid.js';
import { axisEnd, decidingMetric, renderMetricChart } from '../../../src/report/comment/metric-chart.js';
import type { PercentileChange } from '../../../src/report/percentile-change.js';
import { decide } from '../../../src/verdict/decide.js';
import type { Verdict } from '../../../src/verdict/schema.js';
import { around, makeResults } from '../../__fixtures__/results.js';

const GATE = {
  p99: { maxIncrease: 0.1, minDelta: 0.05 },
  overhead: {},
  errorRate: { max: 0.001 },
  confidence: 0.95,
  dataPlane: { cpu: { maxIncrease: 0.2, minDelta: 2 }, memory: { maxIncrease: 0.2, minDelta: 4 } },
};

/** base/nginx vs head/nginx, same latency, head's proxy spending +45% CPU per request. */
function cpuRegression() {
  const base = around(40, 8, 0.03);
  const head = base.map((v, i) => v * 1.45 * (1 + 0.01 * ((i % 3) - 1)));
  const memory = around(20, 8, 0.01);
  const resources = (cpu: number[]) =>
    cpu.map((value, i) => ({ cpuMsPer1kRequests: value, memoryMibPeak: memory[i] }));
  const results = makeResults({
    histograms: true,
    variants: {
      'base/nginx': {
        p99Ms: around(1.8, 8, 0.03, 1),
        p50Ms: around(1.2, 8, 0.02, 1),
        resources: resources(base),
      },
      'head/nginx': {
        p99Ms: around(1.8, 8, 0.03, 2),
        p50Ms: around(1.2, 8, 0.02, 2),
        resources: resources(head),
      },
    },
    gate: GATE,
  });
  return { results, verdict: decide(results) };
}

describe('the chart of what decided', () => {
  const { results, verdict } = cpuRegression();

  it('is proxy CPU when proxy CPU failed, with its threshold, and no latency chart', () => {
    expect(verdict.verdict).toBe('regression');
    expect(decidingMetric(verdict)).toBe('proxyCpuMsPer1kRequests');
    const comment = renderComment(results, verdict);
    expect(comment).toContain('### What decided: proxy CPU');
    expect(comment).not.toContain('### Change by percentile');
    expect(comment).not.toContain('xychart-beta');
    const block = comment.split('```text\n')[1].split('\n```')[0].split('\n');
    expect(block).toHaveLength(2);
    const [row, axis] = block;
    expect(row).toMatch(/^head\/nginx vs base\/nginx {2}/);
    // Zero, then the +20% threshold, then the interval with the estimate inside it, left to right.
    const plot = row.slice('head/nginx vs base/nginx  '.length);
    expect(plot.indexOf('|')).toBeLessThan(plot.indexOf('!'));
    expect(plot.indexOf('!')).toBeLessThan(plot.indexOf('['));
    expect(plot.indexOf('[')).toBeLessThan(plot.indexOf('*'));
    expect(plot.indexOf('*')).toBeLessThan(plot.indexOf(']'));
    expect(axis).toMatch(/ 0 +\+20% +\+60%$/);
  });

  it('is the latency change by percentile when latency decided or all passed', () => {
    const pass = makeResults({
      histograms: true,
      variants: {
        'base/none': { p99Ms: around(1, 6, 0.02), p50Ms: around(1, 6, 0.02) },
        'head/none': { p99Ms: around(1, 6, 0.02, 2), p50Ms: around(1, 6, 0.02, 2) },
      },
    });
    const passVerdict = decide(pass);
    expect(decidingMetric(passVerdict)).toBeUndefined();
    expect(renderComment(pass, passVerdict)).toContain('### Change by percentile');
  });

  it('comes before the notes, and a note said for every pair is said once', () => {
    const note = 'p99 here rests on a few slow requests.';
    const noted: Verdict = { ...verdict, notes: [note, 'Another note.', `${note} `] };
    const comment = renderComment(results, noted);
    expect(comment.split(note)).toHaveLength(2);
    expect(comment.indexOf('### What decided')).toBeLessThan(comment.indexOf(note));
    expect(comment.indexOf('| status |')).toBeLessThan(comment.indexOf('### What decided'));
    expect(mergedNotes(['a', 'b', 'a'])).toEqual(['a', 'b']);
  });

  it('cuts intervals beyond ±100% with < > and stops the axis there', () => {
    const cpu = verdict.checks.find((check) => check.metric === 'proxyCpuMsPer1kRequests')!;
    const wild: Verdict = {
      ...verdict,
      checks: [{ ...cpu, change: 0.6, changeLower: -0.2, changeUpper: 2.5 }],
    };
    const chart = renderMetricChart(wild, 'proxyCpuMsPer1kRequests');
    const [row, axis] = chart.split('```text\n')[1].split('\n```')[0].split('\n');
    expect(row.trimEnd().endsWith('>')).toBe(true);
    expect(axis).toMatch(/\+100%$/);
    expect(chart).toContain('interval beyond ±100%');
  });

  it('cannot be closed by a name from the results file', () => {
    const cpu = verdict.checks.find((check) => check.metric === 'proxyCpuMsPer1kRequests')!;
    const hostile: Verdict = { ...verdict, checks: [{ ...cpu, variant: '```\n# @owner <img src=x>' }] };
    const chart = renderMetricChart(hostile, 'proxyCpuMsPer1kRequests');
    expect(chart.match(/```/g)).toHaveLength(2);
    expect(chart.split('```text\n')[1].split('\n```')[0].split('\n')).toHaveLength(2);
  });
});

describe('the latency chart’s axis', () => {
  it('stops at +100% when intervals are clipped there, not at the next round step (200)', () => {
    const curve: PercentileChange = {
      comparison: 'build',
      variant: 'head/none',
      comparedWith: 'base/none',
      pairs: 6,
      confidence: 0.95,
      thresholdFraction: 0.1,
      points: [50, 75, 90, 95, 99, 99.9].map((percentile) => ({
        percentile,
        change: 0.3,
        lower: -0.2,
        upper: percentile === 99 ? 2.2 : 0.8,
      })),
    };
    const chart = renderChangeChart(curve);
    expect(chart).toContain('y-axis "change (%)" -25 --> 100');
    expect(chart).toContain('intervals clipped at ±100%');
  });
});

describe('the forest plot’s axis end', () => {
  it.each([
    [0, 0],
    [53, 60],
    [8.8, 9],
    [-33, -40],
    [130, 200],
  ])('for %p%% is %p', (value, end) => {
    expect(axisEnd(value)).toBe(end);
  });
});
