// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { renderChangeChart, renderChangeTable, roundAxis } from '../../../src/report/comment/mermaid.js';
import { percentileChanges } from '../../../src/report/percentile-change.js';
import { decide } from '../../../src/verdict/decide.js';
import { around, makeResults } from '../../__fixtures__/results.js';

/** A proxy that adds 0.2 ms at 1 ms: +20% at every percentile. */
const results = makeResults({
  histograms: true,
  variants: {
    'base/none': { p99Ms: around(1, 6, 0.02), p50Ms: around(1, 6, 0.02) },
    'head/none': { p99Ms: around(1.2, 6, 0.02, 2), p50Ms: around(1.2, 6, 0.02, 2) },
  },
});
const verdict = decide(results);

describe('change by percentile', () => {
  const [curve] = percentileChanges(results, verdict);

  it('is the paired change at p50 … p99.9 with its interval and the threshold', () => {
    expect(curve).toMatchObject({
      variant: 'head/none',
      comparedWith: 'base/none',
      pairs: 6,
      thresholdFraction: 0.1,
    });
    expect(curve.points.map((p) => p.percentile)).toEqual([50, 75, 90, 95, 99, 99.9]);
    for (const point of curve.points) {
      expect(point.change!).toBeCloseTo(0.2, 1);
      expect(point.lower!).toBeLessThan(point.change!);
      expect(point.upper!).toBeGreaterThan(point.change!);
    }
  });

  it('draws a change axis where 0.2 ms at 1 ms is a fifth of the scale, not a flat line', () => {
    const chart = renderChangeChart(curve);
    expect(chart).toMatch(/^```mermaid\n%%\{init: .*\}%%\nxychart-beta\n/);
    expect(chart).toContain('x-axis ["p50", "p75", "p90", "p95", "p99", "p99.9"]');
    expect(chart).toContain('y-axis "change (%)" 0 --> 25');
    expect(chart.match(/^ {2}line \[/gm)).toHaveLength(4);
    expect(chart).toContain('  line [10, 10, 10, 10, 10, 10]');
    expect(chart).toContain('blue: change · light blue: interval · red: threshold');
  });

  it('has a table twin', () => {
    expect(renderChangeTable(curve).split('\n')).toHaveLength(8);
  });

  it.each([
    [0, 0],
    [8, 10],
    [22, 25],
    [-33, -50],
    [130, 200],
  ])('axis end for %p%% is %p', (value, end) => {
    expect(roundAxis(value)).toBe(end);
  });

  it('a curve with a gap draws nothing', () => {
    const gap = { ...curve, points: curve.points.map((p, i) => (i === 0 ? { ...p, change: null } : p)) };
    expect(renderChangeChart(gap)).toBe('');
  });
});
