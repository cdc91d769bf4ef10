/**
 * The chart of what decided, when it was not latency (issue #34, item 5): a proxy's CPU or memory,
 * capacity at the SLO, or the counted cost. Plotting latency percentiles under a comment that
 * failed on proxy CPU shows the reader the wrong thing, so the comment draws that metric's rows
 * instead: one line per comparison, its change as `*`, the interval it was judged on as `[===]`,
 * the threshold `!` and no change `|`.
 *
 * A text forest plot in a code block rather than a mermaid xychart: xychart has no interval
 * marks and draws nothing for a line of one point (one comparison is the common case), while a
 * monospace row reads the same in every viewer, mail included. Only ASCII is drawn, so every
 * glyph takes one cell in any font. Names from the results file are written inside the block,
 * where markdown is not parsed; backticks and tildes are dropped so none can close the fence.
 */
import { levelText } from '../../verdict/rule.js';
import type { Verdict, VerdictRow } from '../../verdict/schema.js';
import { METRIC_LABELS } from '../format.js';
import { oneLine, truncate } from '../safe-text.js';
import { thresholdFraction } from '../status.js';

/** Metrics whose change a latency-percentile chart would not show. */
const NON_LATENCY: ReadonlySet<VerdictRow['metric']> = new Set([
  'proxyCpuMsPer1kRequests',
  'proxyMemoryMib',
  'capacityRps',
  'instructionsPerRequest',
]);

/** Plot columns between the axis ends: narrow enough for GitHub's ~760 px comment column. */
const WIDTH = 41;
const LABEL_MAX = 28;

/** The gating row that decided a verdict other than pass: the first regression, else the first inconclusive. */
export function decidingRow(verdict: Verdict): VerdictRow | undefined {
  if (verdict.verdict === 'pass') return undefined;
  const gating = verdict.checks.filter((check) => check.gating);
  return (
    gating.find((check) => check.verdict === 'regression') ??
    gating.find((check) => check.verdict === 'inconclusive')
  );
}

/** The metric to chart instead of latency percentiles, when a non-latency row decided. */
export function decidingMetric(verdict: Verdict): VerdictRow['metric'] | undefined {
  const row = decidingRow(verdict);
  return row && NON_LATENCY.has(row.metric) ? row.metric : undefined;
}

const codeSafe = (text: string, max: number): string => truncate(oneLine(text).replace(/[`~]/g, "'"), max);

const rowLabel = (row: VerdictRow): string =>
  codeSafe(
    row.comparison === 'cross-job'
      ? row.comparedWith.replace(/^baseline run: /, '')
      : `${row.variant} vs ${row.comparedWith}`,
    LABEL_MAX,
  );

/** An axis end at or beyond `percent`, away from zero, on a step of its leading digit (53 → 60). */
export function axisEnd(percent: number): number {
  if (percent === 0) return 0;
  const step = 10 ** Math.floor(Math.log10(Math.abs(percent)));
  return Number((Math.sign(percent) * Math.ceil(Math.abs(percent) / step) * step).toPrecision(6));
}

/** Signed whole or one-decimal percent in ASCII (one cell per glyph). */
const tick = (percent: number): string => {
  const digits = Math.abs(percent) >= 10 || Number.isInteger(percent) ? 0 : 1;
  const text = Math.abs(percent).toFixed(digits);
  return percent === 0 ? '0' : `${percent > 0 ? '+' : '-'}${text}%`;
};

/** The threshold as a signed change in percent: a drop's limit is below zero. */
function thresholdPercent(row: VerdictRow): number | null {
  const fraction = thresholdFraction(row);
  if (fraction === null) return null;
  return (row.threshold?.kind === 'decrease' ? -fraction : fraction) * 100;
}

/**
 * One chart for every shown row of `metric` (gating, or one that found something), or '' when
 * none has an estimate. The axis spans the intervals, zero and the threshold with a tenth's
 * margin, rounded out on its leading digit; ends beyond ±clip (100%, or three thresholds) are cut
 * there and drawn as `<` / `>`, and the axis stops at the cut.
 */
export function renderMetricChart(verdict: Verdict, metric: VerdictRow['metric']): string {
  const rows = verdict.checks.filter(
    (check) =>
      check.metric === metric &&
      check.change !== null &&
      (check.gating || check.verdict === 'regression' || check.verdict === 'improvement'),
  );
  if (rows.length === 0) return '';
  const thresholds = rows.map(thresholdPercent).filter((value): value is number => value !== null);
  const clipAt = Math.max(100, ...thresholds.map((value) => Math.abs(value) * 3));
  const clip = (value: number) => Math.max(-clipAt, Math.min(clipAt, value));
  const spans = rows.map((row) => ({
    row,
    estimate: clip(row.change! * 100),
    lower: row.changeLower === null ? -Infinity : row.changeLower * 100,
    upper: row.changeUpper === null ? Infinity : row.changeUpper * 100,
  }));
  const values = [0, ...thresholds, ...spans.flatMap((s) => [clip(s.lower), s.estimate, clip(s.upper)])];
  const low = Math.max(-clipAt, axisEnd(Math.min(...values) * 1.1));
  let high = Math.min(clipAt, axisEnd(Math.max(...values) * 1.1));
  if (high === low) high = low + 1;
  const column = (percent: number) => Math.round(((clip(percent) - low) / (high - low)) * (WIDTH - 1));

  const labelWidth = Math.max(...spans.map((s) => rowLabel(s.row).length));
  const zero = column(0);
  const plotRow = (s: (typeof spans)[number]): string => {
    const cells = Array.from({ length: WIDTH }, () => ' ');
    const from = column(s.lower);
    const to = column(s.upper);
    for (let i = from; i <= to; i++) cells[i] = '=';
    cells[zero] = '|';
    const limit = thresholdPercent(s.row);
    if (limit !== null) cells[column(limit)] = '!';
    cells[from] = s.lower < -clipAt ? '<' : '[';
    cells[to] = s.upper > clipAt ? '>' : ']';
    cells[column(s.estimate)] = '*';
    return `${rowLabel(s.row).padEnd(labelWidth)}  ${cells.join('').trimEnd()}`;
  };

  // Tick labels under the plot: the axis ends, zero and each threshold, left to right, each
  // centred on its column and dropped when it would touch the one before.
  const ticks = [...new Set([low, 0, ...thresholds, high])].sort((a, b) => a - b);
  let axis = '';
  for (const value of ticks) {
    const text = tick(value);
    const start = Math.max(0, Math.min(WIDTH - text.length, column(value) - Math.floor(text.length / 2)));
    if (axis.length > 0 && start <= axis.length) continue;
    axis = axis.padEnd(start) + text;
  }

  const label = METRIC_LABELS[metric];
  // A capacity change's bracket holds every ratio the two searches allow: no level to name.
  const interval =
    metric === 'capacityRps'
      ? 'bracket'
      : `${[...new Set(rows.map((row) => levelText(row.confidence)))].join(' / ')} interval`;
  const ceilings = rows.some((row) => row.threshold?.kind === 'ceiling' || row.threshold?.kind === 'rate');
  const clipped = spans.some((s) => s.lower < -clipAt || s.upper > clipAt);
  const caption = [
    `${label}: change in % with its ${interval}, as judged`,
    `\`*\` change · \`[ ]\` ${interval} · \`|\` no change`,
    ...(thresholds.length > 0 ? ['`!` threshold'] : []),
    ...(clipped ? [`\`<\` \`>\` interval beyond ±${clipAt}%`] : []),
  ].join(' · ');
  const ceilingNote = ceilings ? ' · an absolute ceiling is in the table, not on this axis' : '';
  return [
    `### What decided: ${label}`,
    '',
    '```text',
    ...spans.map(plotRow),
    `${''.padEnd(labelWidth)}  ${axis}`,
    '```',
    '',
    `<sub>${caption}${ceilingNote}.</sub>`,
    '',
  ].join('\n');
}
