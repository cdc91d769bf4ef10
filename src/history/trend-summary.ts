/**
 * The trend over the stored history, as the push run's job summary shows it: the existing trend
 * analysis (trend/analyse.ts: E-divisive means, permutation test) over the newest TREND_WINDOW
 * records, rendered by the existing markdown renderer, plus a notice for skipped files.
 */
import type { LatencyMetric } from '../profile/types.js';
import { inlineText } from '../report/safe-text.js';
import { renderTrendMarkdown } from '../report/trend-markdown.js';
import { analyseSamples, type TrendReport } from '../trend/analyse.js';
import { inTimeOrder, sampleOfRecord, type StoredRecord } from './samples.js';

/** Records analysed (the newest), as `meshgate trend --last` defaults to. */
export const TREND_WINDOW = 100;
/** Skipped files named in a summary; the rest are counted. */
const NAMED_SKIPS = 5;

export function historyWindow(records: readonly StoredRecord[], last = TREND_WINDOW): StoredRecord[] {
  return inTimeOrder(records).slice(-last);
}

export function historyTrend(records: readonly StoredRecord[], metric: LatencyMetric = 'p99'): TrendReport {
  return analyseSamples(records.map(sampleOfRecord), { metric });
}

/** Markdown lines naming skipped files (paths and reasons come from the branch: made inert). */
export function skippedNotice(skipped: readonly string[]): string[] {
  if (skipped.length === 0) return [];
  const named = skipped.slice(0, NAMED_SKIPS).map((line) => `- ${inlineText(line, 200)}`);
  const more = skipped.length > NAMED_SKIPS ? [`- and ${skipped.length - NAMED_SKIPS} more`] : [];
  return [
    `⚠️ ${skipped.length} file(s) in the history were skipped (not valid meshgate records):`,
    '',
    ...named,
    ...more,
    '',
  ];
}

/** `branch`: a name checkBranchName accepted (no backtick can be in it). */
export function renderHistorySummary(
  records: readonly StoredRecord[],
  skipped: readonly string[],
  branch: string,
): string {
  const window = historyWindow(records);
  const lines = [
    `Trend from the history on \`${branch}\`: the newest ${window.length} of ${records.length} record(s).`,
    '',
  ];
  if (window.length < 2)
    lines.push('Too few records for a trend yet; it appears from the second push on.', '');
  else lines.push(renderTrendMarkdown(historyTrend(window)));
  lines.push(...skippedNotice(skipped));
  return `${lines.join('\n').trimEnd()}\n`;
}
