/**
 * The verdict for a terminal, within 100 columns: one block per comparison pair (the pair named
 * once, above its rows), numbers right-aligned at a fixed precision, the status first, then the
 * counts and what the gate does. Colour only when asked (the CLI asks on a TTY without NO_COLOR).
 */
import type { VerdictRow, Verdict } from '../verdict/schema.js';
import { rowSentence } from '../verdict/metric-names.js';
import { levelText } from '../verdict/rule.js';
import { capacityTerminal, isCapacityRow } from './capacity.js';
import { formatChangeWithInterval, formatLevels, formatThreshold, METRIC_LABELS } from './format.js';
import {
  COMPARISON_HEADINGS,
  countStatuses,
  countsSentence,
  DISPLAY_WORD,
  displayStatus,
  gateEffect,
  type DisplayStatus,
} from './status.js';

export const TERMINAL_COLUMNS = 100;

export interface TextOptions {
  /** ANSI colours for the status words. */
  color?: boolean;
}

const ANSI: Partial<Record<DisplayStatus, string>> = {
  regression: '\u001b[31;1m',
  unproven: '\u001b[33m',
  noisy: '\u001b[33m',
  unmeasured: '\u001b[33m',
  pass: '\u001b[32m',
  improvement: '\u001b[32m',
};
const RESET = '\u001b[0m';

/** "1.9/1.6%": noise of each side, compact. */
function noiseText(check: VerdictRow): string {
  const cv = (value: number | null) => (value === null ? '—' : (value * 100).toFixed(1));
  if (check.noise.baselineCv === null && check.noise.currentCv === null) return '—';
  return `${cv(check.noise.baselineCv)}/${cv(check.noise.currentCv)}%`;
}

/** Cut a cell to `width` characters (an ellipsis marks the cut). */
const fit = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);

/**
 * A cell's lines within `width`: wrapped at spaces, so a threshold's floor is never cut
 * (`+10%, ≥ 0.02 …` in issue #34); only a single word longer than the column is cut.
 */
const cellLines = (text: string, width: number): string[] => {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(fit(word, width));
  }
  return lines.length > 0 ? lines : [''];
};

/** Word-wrap to `width` columns, continuation lines indented by two spaces. */
export function wrap(text: string, width = TERMINAL_COLUMNS): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (visibleLength(candidate) > width && current !== '') {
      lines.push(current);
      current = `  ${word}`;
    } else current = candidate;
  }
  if (current !== '') lines.push(current);
  return lines;
}

// eslint-disable-next-line no-control-regex
const visibleLength = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '').length;

const HEADER = ['status', 'metric', 'before → after', 'change (interval)', 'threshold', 'CV'];
/** Left-aligned: status, metric; the rest are numbers, right-aligned. */
const LEFT = new Set([0, 1]);
// The change column: "+17.8% (−36.9 … +112.0)†" (a † names a stricter level below the table).
const MAX_WIDTH = [10, 19, 20, 25, 14, 11];

const STRICTER = '†';

/**
 * The change and its judged interval, as everywhere else; a row judged at a stricter level than
 * the look's gets a † here (the columns cannot hold " at 99.1%") and a footnote names the level.
 */
function changeCell(check: VerdictRow): string {
  if (check.lookConfidence === undefined) return formatChangeWithInterval(check);
  return `${formatChangeWithInterval({ ...check, lookConfidence: undefined })}${STRICTER}`;
}

export function renderVerdictText(verdict: Verdict, options: TextOptions = {}): string {
  const color = (status: DisplayStatus, text: string) =>
    options.color && ANSI[status] ? `${ANSI[status]}${text}${RESET}` : text;
  const rows = verdict.checks
    .filter((check) => !isCapacityRow(check))
    .map((check) => ({
      check,
      status: displayStatus(check),
      cells: [
        DISPLAY_WORD[displayStatus(check)],
        METRIC_LABELS[check.metric],
        formatLevels(check),
        changeCell(check),
        formatThreshold(check),
        noiseText(check),
      ].map((cell, i) => (cell.length <= MAX_WIDTH[i] ? [cell] : cellLines(cell, MAX_WIDTH[i]))),
    }));
  const widths = HEADER.map((title, i) =>
    Math.max(title.length, ...rows.flatMap((row) => row.cells[i].map((text) => text.length))),
  );
  const line = (cells: string[], status?: DisplayStatus) =>
    cells
      .map((text, i) => {
        const padded = LEFT.has(i) ? text.padEnd(widths[i]) : text.padStart(widths[i]);
        return i === 0 && status ? color(status, padded) : padded;
      })
      .join('  ')
      .trimEnd();

  const out: string[] = [...capacityTerminal(verdict)];
  const pairs = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = `${row.check.comparison}\u0000${row.check.variant}\u0000${row.check.comparedWith}`;
    pairs.set(key, [...(pairs.get(key) ?? []), row]);
  }
  for (const group of pairs.values()) {
    const { comparison, variant, comparedWith } = group[0].check;
    const subject =
      comparison === 'cross-job'
        ? comparedWith.replace(/^baseline run: /, '')
        : `${variant} vs ${comparedWith}`;
    out.push(fit(`${COMPARISON_HEADINGS[comparison]}: ${subject}`, TERMINAL_COLUMNS), line(HEADER));
    // A wrapped cell continues on the row's next lines; the other cells stay blank there.
    for (const row of group) {
      const height = Math.max(...row.cells.map((cell) => cell.length));
      for (let k = 0; k < height; k++)
        out.push(
          line(
            row.cells.map((cell) => cell[k] ?? ''),
            k === 0 ? row.status : undefined,
          ),
        );
    }
    out.push('');
  }
  const stricter = [
    ...new Set(verdict.checks.filter((c) => c.lookConfidence !== undefined).map((c) => c.confidence)),
  ];
  for (const level of stricter)
    out.push(
      ...wrap(
        `${STRICTER} interval at ${levelText(level)}, not ${levelText(verdict.sequential.confidence)}: the row's pairs spread wider than its threshold, so it is judged at a stricter level`,
      ),
    );
  for (const check of verdict.checks.filter((c) => c.gating && c.verdict !== 'pass'))
    out.push(...wrap(rowSentence(check)));
  for (const note of verdict.notes) out.push(...wrap(`note: ${note}`));
  const { look, maxLooks, confidence } = verdict.sequential;
  out.push(
    `intervals at ${(confidence * 100).toFixed(1)}% confidence, look ${look} of ${maxLooks} (see meshgate check --help)`,
  );
  const counts = countsSentence(countStatuses(verdict));
  const status: DisplayStatus =
    verdict.verdict === 'regression' ? 'regression' : verdict.verdict === 'inconclusive' ? 'noisy' : 'pass';
  out.push(
    ...wrap(`${color(status, `verdict: ${verdict.verdict}`)} — ${counts}; ${gateEffect(verdict.verdict)}`),
  );
  if (verdict.verdict === 'inconclusive')
    out.push(
      verdict.sequential.moreTrialsCouldResolve
        ? 'more trials could resolve it'
        : 'more trials would not resolve it within max_trials',
    );
  return `${out.join('\n')}\n`;
}

/** Colour on a terminal only, and never when NO_COLOR is set (https://no-color.org). */
export function colorWanted(stream: { isTTY?: boolean } = process.stdout, env = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}
