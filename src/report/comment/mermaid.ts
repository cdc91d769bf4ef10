/**
 * The change by percentile as a mermaid `xychart-beta` (GitHub renders it in comments and job
 * summaries, no image): x = p50 … p99.9, y = change in percent, four lines — the estimate, the two
 * ends of its interval, and the threshold. A change axis makes a proxy's 0.2 ms at 1 ms (+20%) as
 * visible as 2 ms at 10 ms; a latency axis from 0 puts p50 … p99 in its bottom tenth.
 * xychart has no legend: the chart sets its own palette (an init directive) so that the caption
 * under it can name each line's colour. A compact table under the chart carries the same numbers
 * for readers whose viewer shows no mermaid.
 */
import { inlineText } from '../safe-text.js';
import type { PercentileChange } from '../percentile-change.js';
import { levelText } from '../../verdict/rule.js';

/** Estimate, interval ends, threshold. */
const PALETTE = ['#1f77b4', '#9ecae1', '#9ecae1', '#d62728'] as const;
const PALETTE_NAMES = ['blue: change', 'light blue: interval', 'red: threshold'];

const percent = (fraction: number) => Math.round(fraction * 1000) / 10;

/** A round axis step's multiple at or beyond `value` (in percent), away from zero. */
export function roundAxis(valuePercent: number): number {
  const abs = Math.abs(valuePercent);
  if (abs === 0) return 0;
  const magnitude = 10 ** Math.floor(Math.log10(abs));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= abs)! * magnitude;
  return Math.sign(valuePercent) * Number(step.toPrecision(6));
}

/** Interval ends are clipped to ±`clipPercent` so one wild pair does not flatten the rest. */
function clip(value: number, clipPercent: number): number {
  return Math.max(-clipPercent, Math.min(clipPercent, value));
}

const label = (percentile: number) => `"p${percentile}"`;

/** One chart as a fenced mermaid block plus caption; '' when the curve has gaps. */
export function renderChangeChart(curve: PercentileChange): string {
  const points = curve.points;
  if (points.some((p) => p.change === null || p.lower === null || p.upper === null)) return '';
  const threshold = curve.thresholdFraction;
  const clipPercent = Math.max(100, threshold !== null ? percent(threshold) * 3 : 0);
  const estimate = points.map((p) => clip(percent(p.change!), clipPercent));
  const lower = points.map((p) => clip(percent(p.lower!), clipPercent));
  const upper = points.map((p) => clip(percent(p.upper!), clipPercent));
  const lines = [estimate, lower, upper];
  if (threshold !== null) lines.push(points.map(() => percent(threshold)));
  const all = lines.flat();
  // A tenth's margin, rounded out to a round step, but never past the clip: an axis to 200%
  // under intervals cut at ±100% is empty space that flattens every line (issue #34).
  const low = Math.max(-clipPercent, roundAxis(Math.min(0, ...all) * 1.1));
  const high = Math.min(clipPercent, roundAxis(Math.max(0, ...all) * 1.1)) || 1;
  const clipped = points.some(
    (p) => Math.abs(percent(p.lower!)) > clipPercent || Math.abs(percent(p.upper!)) > clipPercent,
  );
  const chart = [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${PALETTE.join(', ')}"}}}}%%`,
    'xychart-beta',
    `  x-axis [${points.map((p) => label(p.percentile)).join(', ')}]`,
    `  y-axis "change (%)" ${low} --> ${high}`,
    ...lines.map((values) => `  line [${values.join(', ')}]`),
    '```',
  ];
  const caption = `<sub>${inlineText(curve.variant)} vs ${inlineText(curve.comparedWith)}, ${curve.pairs} pairs, ${percent(curve.confidence)}% intervals. ${(threshold !== null ? PALETTE_NAMES : PALETTE_NAMES.slice(0, 2)).join(' · ')}${clipped ? ` · intervals clipped at ±${clipPercent}%` : ''}</sub>`;
  return `${chart.join('\n')}\n\n${caption}`;
}

const signed = (fraction: number | null): string =>
  fraction === null ? '—' : `${fraction >= 0 ? '+' : '−'}${Math.abs(fraction * 100).toFixed(1)}`;

/** The same numbers as a compact table: one row per percentile. */
export function renderChangeTable(curve: PercentileChange): string {
  const header = `| percentile | change % | interval % |`;
  const rows = curve.points.map(
    (p) =>
      `| p${p.percentile} | ${signed(p.change)} | ${signed(p.lower)} … ${signed(p.upper)}${p.confidence !== undefined ? ` at ${levelText(p.confidence)}` : ''} |`,
  );
  return [header, '|---|--:|--:|', ...rows].join('\n');
}
