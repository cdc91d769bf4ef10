/**
 * The change by percentile, the plot that shows what a pull request or a mesh did: for each
 * same-job comparison the gate made, the paired change at p50 … p99.9 with its confidence band and
 * the threshold (report/percentile-change.ts computes it as the verdict's rows are computed).
 * A change axis instead of a latency axis: a proxy's +0.2 ms at 1 ms is +20% here, as visible as
 * +2 ms at 10 ms, where a latency axis from zero would squash it into a pixel.
 */
import type { Results } from '../../results/schema.js';
import { percentileChanges, type PercentileChange } from '../percentile-change.js';
import type { Verdict } from '../../verdict/schema.js';
import { levelText } from '../../verdict/rule.js';
import { renderPlot, type Point, type Series } from './chart.js';
import { dataTable, esc, signedPct } from './markup.js';
import type { Colors } from './palette.js';
import { linearTicks, niceStep } from './scale.js';
import { maxOf, minOf } from '../../util/extent.js';

/** Percentile → position 1/(1 − q) on the log x axis (p50 at 2, p99 at 100). */
const position = (percentile: number) => 1 / (1 - percentile / 100);
const TICKS = [50, 90, 99, 99.9].map((q) => ({ value: position(q), label: `p${q}` }));
const THRESHOLD_COLOR = '#cf222e';

function changePlot(curve: PercentileChange, colors: Colors): string {
  const measured = curve.points.filter((p) => p.change !== null && p.lower !== null && p.upper !== null);
  if (measured.length < 2) return '';
  const point = (percentile: number, fraction: number): Point => ({
    x: position(percentile),
    y: fraction * 100,
  });
  const estimate = measured.map((p) => ({
    ...point(p.percentile, p.change!),
    title: `p${p.percentile}: ${signedPct(p.change)} (${signedPct(p.lower)} … ${signedPct(p.upper)})`,
  }));
  const series: Series[] = [
    {
      id: curve.variant,
      label: `${curve.variant} vs ${curve.comparedWith}: change with its ${(curve.confidence * 100).toFixed(1)}% interval`,
      color: colors.get(curve.variant) ?? '#1f77b4',
      runs: [estimate],
      marks: estimate,
      area: {
        lower: measured.map((p) => point(p.percentile, p.lower!)),
        upper: measured.map((p) => point(p.percentile, p.upper!)),
      },
    },
  ];
  const threshold = curve.thresholdFraction;
  if (threshold !== null)
    series.push({
      id: 'threshold',
      label: `threshold +${(threshold * 100).toFixed(0)}%`,
      color: THRESHOLD_COLOR,
      runs: [[point(50, threshold), point(99.9, threshold)]],
      dashed: true,
    });
  const values = [
    0,
    ...series
      .flatMap((s) => [...s.runs.flat(), ...(s.area?.lower ?? []), ...(s.area?.upper ?? [])])
      .map((p) => p.y),
  ];
  // Clip wild interval ends (one bad pair) so the estimate stays readable; the table has them all.
  const clipPercent = Math.max(100, (threshold ?? 0) * 300);
  const low = Math.max(-clipPercent, minOf(values));
  const high = Math.min(clipPercent, maxOf(values));
  const step = niceStep(high - low, 5);
  const domain: [number, number] = [
    Math.floor(low / step) * step,
    Math.ceil((high + step * 0.2) / step) * step,
  ];
  const title = `${curve.comparison === 'build' ? 'head vs base build' : 'mesh overhead'}: ${curve.variant} vs ${curve.comparedWith}`;
  const plot = {
    id: `change-${curve.comparison}-${curve.variant.replace(/[^a-zA-Z0-9]+/g, '-')}`,
    title: `Change by percentile — ${title}`,
    description: `Paired change of each percentile (${curve.pairs} trial pairs), shaded: its interval. Above the dashed line is beyond the threshold; zero is no change.`,
    x: {
      label: 'percentile',
      log: true,
      domain: [position(50) * 0.9, position(99.9) * 1.1] as [number, number],
      ticks: TICKS,
    },
    y: { label: 'change (%)', domain, ticks: linearTicks(domain, (v) => `${v > 0 ? '+' : ''}${v}`) },
    series,
    heightPx: 280,
  };
  const rows = curve.points.map((p) => [
    `p${p.percentile}`,
    signedPct(p.change),
    `${signedPct(p.lower)} … ${signedPct(p.upper)}${p.confidence !== undefined ? ` at ${levelText(p.confidence)}` : ''}`,
  ]);
  return renderPlot(
    plot,
    dataTable(`change by percentile, ${title}`, ['percentile', 'change', 'interval'], rows),
  );
}

/** One plot per same-job comparison; '' when there is none (a single variant, no verdict). */
export function renderChangePlots(results: Results, verdict: Verdict | undefined, colors: Colors): string {
  if (!verdict) return '';
  const plots = percentileChanges(results, verdict)
    .map((curve) => changePlot(curve, colors))
    .filter(Boolean);
  if (plots.length === 0) return '';
  return `<p>${esc('How much slower (up) or faster (down) each percentile got, with the range the data is consistent with.')}</p><div class="grid">${plots.join('\n')}</div>`;
}
