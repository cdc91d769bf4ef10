/**
 * Percentile curves as a mermaid `xychart-beta` (GitHub renders it in comments and job summaries):
 * one line per variant, latency in ms at p50 … p99.99, read from the variant's merged histogram.
 * xychart has no legend: the chart sets its own palette (an init directive) so that the caption
 * under it can name each line's colour.
 */
import { mergeEncoded } from '../load/histogram.js';
import type { Results, Variant } from '../results/schema.js';
import { inlineText } from './safe-text.js';

export const CHART_PERCENTILES = [50, 75, 90, 95, 99, 99.9, 99.99] as const;

/** Line colours in drawing order, with the names the caption uses. */
const PALETTE: ReadonlyArray<readonly [name: string, hex: string]> = [
  ['blue', '#1f77b4'],
  ['orange', '#ff7f0e'],
  ['green', '#2ca02c'],
  ['red', '#d62728'],
  ['purple', '#9467bd'],
  ['brown', '#8c564b'],
  ['pink', '#e377c2'],
  ['grey', '#7f7f7f'],
];

export interface PercentileCurve {
  variantId: string;
  /** Latency in ms at each of CHART_PERCENTILES. */
  latencyMs: number[];
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

export function percentileCurve(variant: Variant): PercentileCurve {
  const histogram = mergeEncoded(variant.trials.map((trial) => trial.histogram));
  const latencyMs =
    histogram.totalCount === 0
      ? CHART_PERCENTILES.map(() => 0)
      : CHART_PERCENTILES.map((q) => round3(histogram.getValueAtPercentile(q) / 1000));
  return { variantId: variant.id, latencyMs };
}

/** A round upper bound for the y axis a little above the highest point. */
export function axisMaxMs(highestMs: number): number {
  if (!(highestMs > 0)) return 1;
  const target = highestMs * 1.1;
  const magnitude = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= target)! * magnitude;
  return Number(step.toPrecision(6));
}

const percentileLabel = (q: number) => `"p${q}"`;

/** The chart as a fenced mermaid block plus its caption; empty when there is nothing to draw. */
export function renderPercentileChart(
  results: Results,
  curves = results.variants.map(percentileCurve),
): string {
  const drawable = curves.filter((curve) => curve.latencyMs.some((value) => value > 0));
  if (drawable.length === 0) return '';
  const highest = Math.max(...drawable.flatMap((curve) => curve.latencyMs));
  const lines = [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${PALETTE.map(([, hex]) => hex).join(', ')}"}}}}%%`,
    'xychart-beta',
    '  title "Latency by percentile (ms, all trials merged)"',
    `  x-axis [${CHART_PERCENTILES.map(percentileLabel).join(', ')}]`,
    `  y-axis "latency (ms)" 0 --> ${axisMaxMs(highest)}`,
    // Only numbers enter the chart's own syntax; a non-finite one (a forged histogram) is drawn as 0.
    ...drawable.map((curve) => `  line [${curve.latencyMs.map((v) => (Number.isFinite(v) ? v : 0)).join(', ')}]`),
    '```',
  ];
  const legend = drawable
    .map((curve, index) => `${PALETTE[index % PALETTE.length][0]}: ${inlineText(curve.variantId)}`)
    .join(' · ');
  return `${lines.join('\n')}\n\n<sub>Lines: ${legend}</sub>`;
}
