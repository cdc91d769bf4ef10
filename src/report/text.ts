/** The verdict for a terminal: a compact aligned table and a closing line on what the gate does. */
import type { Verdict } from '../stats/verdict.js';
import {
  METRIC_LABELS,
  formatChange,
  formatInterval,
  formatNoise,
  formatThreshold,
  formatValue,
} from './format.js';

const STATUS: Record<string, string> = {
  pass: 'pass',
  regression: 'REGRESSION',
  inconclusive: 'inconclusive',
  improvement: 'improved',
  info: '-',
};

export function renderVerdictText(verdict: Verdict): string {
  const header = [
    'variant',
    'vs',
    'metric',
    'baseline',
    'current',
    'change',
    'interval',
    'CV',
    'threshold',
    'status',
  ];
  const rows = verdict.checks.map((check) => [
    check.variant,
    check.comparedWith,
    METRIC_LABELS[check.metric],
    formatValue(check.baseline, check.unit),
    formatValue(check.current, check.unit),
    formatChange(check),
    formatInterval(check),
    formatNoise(check),
    formatThreshold(check),
    STATUS[check.verdict],
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((text, i) => text.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  for (const check of verdict.checks.filter((c) => c.gating && c.verdict !== 'pass'))
    out.push(`${check.variant} ${METRIC_LABELS[check.metric]}: ${check.reason}`);
  for (const note of verdict.notes) out.push(`note: ${note}`);
  const { look, maxLooks, confidence } = verdict.sequential;
  out.push(`intervals at ${(confidence * 100).toFixed(1)}% (look ${look} of ${maxLooks})`);
  if (verdict.verdict === 'regression')
    out.push(`verdict: regression — the gate fails the pull request: ${verdict.reason}`);
  else if (verdict.verdict === 'inconclusive')
    out.push(
      `verdict: inconclusive — the gate does not fail the pull request (unless --fail-on-inconclusive): ${verdict.reason}`,
      verdict.sequential.moreTrialsCouldResolve
        ? 'more trials could resolve it'
        : 'more trials would not resolve it within max_trials',
    );
  else out.push(`verdict: pass — the gate passes: ${verdict.reason}`);
  return `${out.join('\n')}\n`;
}
