import { describe, expect, it } from '@jest/globals';
import { axisMaxMs, percentileCurve, renderPercentileChart } from '../../src/report/mermaid.js';
import { fixtureResults } from '../baseline/fixture-results.js';

describe('percentile chart', () => {
  const results = fixtureResults('echo-p99', { 'head/none': 1000, 'head/nginx': 1300 });

  it('draws one rising line per variant with a caption naming them', () => {
    const chart = renderPercentileChart(results);
    expect(chart).toMatch(/^```mermaid\n%%\{init: .*\}%%\nxychart-beta\n/);
    expect(chart.match(/^ {2}line \[/gm)).toHaveLength(2);
    expect(chart).toContain('x-axis ["p50", "p75", "p90", "p95", "p99", "p99.9", "p99.99"]');
    expect(chart).toContain('blue: head/none · orange: head/nginx');
    const curve = percentileCurve(results.variants[1]).latencyMs;
    expect([...curve].sort((a, b) => a - b)).toEqual(curve);
    expect(curve[0]).toBeGreaterThan(1.3);
  });

  it.each([
    [0, 1],
    [0.8, 1],
    [2.4, 5],
    [9.5, 20],
    [123, 200],
  ])('axis for a highest point of %p ms ends at %p', (highest, axis) => {
    expect(axisMaxMs(highest)).toBe(axis);
  });

  it('nothing to draw: empty', () => {
    expect(renderPercentileChart(results, [{ variantId: 'x', latencyMs: [0, 0] }])).toBe('');
  });
});
