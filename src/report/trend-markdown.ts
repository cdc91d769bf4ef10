/**
 * The trend report as markdown (job summary, issue, PR comment). Variant ids, shas, times and
 * file names come from results files: each goes through inlineText. Charts are code blocks of
 * numbers and fixed symbols only.
 */
import type { TrendReport } from '../trend/analyse.js';
import { inlineText } from './safe-text.js';
import { renderTrendChart } from './trend-chart.js';
import { describeStep, seriesTitle } from './trend-text.js';

export function renderTrendMarkdown(report: TrendReport): string {
  const total = report.baselines.length;
  const stepped = report.series.filter((s) => s.steps.length > 0);
  const lines = [
    `### meshgate trend: ${inlineText(report.metric)} over ${total} baselines`,
    '',
    stepped.length === 0
      ? 'No step: every series is flat within its noise.'
      : `**${stepped.length} of ${report.series.length} series stepped.**`,
    '',
  ];
  for (const series of report.series) {
    lines.push(`#### ${inlineText(seriesTitle(series), 200)}`, '');
    if (series.skipped) {
      lines.push(`Not analysed: ${inlineText(series.skipped)}.`, '');
      continue;
    }
    lines.push('```text', renderTrendChart(series), '```', '');
    if (series.steps.length === 0) lines.push('No step.', '');
    for (const step of series.steps) lines.push(`- ${inlineText(describeStep(series, step, total), 300)}`);
    if (series.steps.length > 0) lines.push('');
  }
  lines.push(`<sub>${inlineText(report.method, 300)}</sub>`, '');
  return lines.join('\n');
}
