/** The trend report for a terminal: per series a title, the chart and one line per step. */
import type { SeriesTrend, TrendReport, TrendStep } from '../trend/analyse.js';
import { wrap } from './text.js';
import { formatLevel, renderTrendChart } from './trend-chart.js';

export const seriesTitle = (series: SeriesTrend): string =>
  series.normalisedBy
    ? `${series.variant} ÷ ${series.normalisedBy}, ${series.metric} ratio (normalised in each job)`
    : `${series.variant}, ${series.metric} in ms (raw: runner-to-runner noise included)`;

export const shortSha = (sha: string | undefined): string => (sha ? sha.slice(0, 7) : 'no sha');

const percent = (fraction: number) => `${fraction >= 0 ? '+' : '−'}${Math.abs(fraction * 100).toFixed(1)}%`;

export function describeStep(series: SeriesTrend, step: TrendStep, total: number): string {
  const ratio = series.normalisedBy !== undefined;
  const direction = step.relativeChange > 0 ? 'slower' : 'faster';
  return (
    `step at baseline ${step.at.position + 1}/${total} (${shortSha(step.at.sha)}, ${step.at.createdAt}; ` +
    `after ${shortSha(step.previous.sha)}): ${formatLevel(step.levelBefore, ratio)} → ${formatLevel(step.levelAfter, ratio)} ` +
    `(${percent(step.relativeChange)}, ${direction}), p = ${step.pValue.toFixed(3)}`
  );
}

export function renderTrendText(report: TrendReport): string {
  const total = report.baselines.length;
  const blocks = report.series.map((series) => {
    const head = `${seriesTitle(series)} — ${series.points.length} baseline(s)`;
    if (series.skipped) return `${head}\n  not analysed: ${series.skipped}`;
    const steps =
      series.steps.length === 0
        ? ['  no step: the series is flat within its noise']
        : series.steps.map((step) =>
            wrap(describeStep(series, step, total), 98)
              .map((line) => `  ${line}`)
              .join('\n'),
          );
    return [head, renderTrendChart(series), ...steps].join('\n');
  });
  const stepped = report.series.filter((s) => s.steps.length > 0).length;
  return [
    ...blocks,
    // Within 100 columns, as the verdict's text (issue #34).
    wrap(
      `${total} baselines, ${report.series.length} series, ${stepped} with a step. Method: ${report.method}.`,
    ).join('\n'),
  ].join('\n\n');
}
