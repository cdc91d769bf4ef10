/**
 * The PR comment (and job summary, and `check --markdown`, and the demo's comment.md): one
 * renderer for both doors, from results, verdict and baseline facts. Built to be read in five
 * seconds at GitHub's comment width (~760 px):
 *   1. a one-line verdict with the counts and the commits compared;
 *   2. for a capacity profile, the capacities at the SLO, their comparisons and the efficiency
 *      index (../capacity.ts); per comparison, a table of five columns, status first (status, metric, before → after,
 *      change with its interval, threshold) holding the gating rows;
 *   3. the chart of what decided: the change by percentile (mermaid, a change axis) for the gated
 *      same-job comparisons, or, when a CPU, memory, capacity or cost row decided, that metric's
 *      change against its threshold (metric-chart.ts); then the baseline line and the notes;
 *   4. next steps: the commands that reproduce the run, and when inconclusive what would resolve it;
 *   5. collapsed details: noise and method, every row, environment, trials.
 * Every string that comes from a results file (variant ids, reasons, environment) passes through
 * inlineText; only this code's own words and numbers are markup.
 *
 * Everything that is only the comment's lives in this folder (details.ts, next-steps.ts,
 * mermaid.ts). What the terminal table and the HTML report say too stays in report/: the names of
 * rows, runs and comparisons (status.ts), number formats (format.ts), the capacity text
 * (capacity.ts), the change by percentile (percentile-change.ts) and safe-text.ts.
 */
import type { Results } from '../../results/schema.js';
import { levelText } from '../../verdict/rule.js';
import type { VerdictRow, Verdict } from '../../verdict/schema.js';
import { capacityMarkdown, isCapacityRow } from '../capacity.js';
import { costDetails, environmentDetails, noiseDetails, trialDetails } from './details.js';
import { formatChangeWithInterval, formatLevels, formatThreshold, METRIC_LABELS } from '../format.js';
import { renderChangeChart, renderChangeTable } from './mermaid.js';
import { decidingMetric, renderMetricChart } from './metric-chart.js';
import { reproduceCommands, resolutionAdvice } from './next-steps.js';
import { percentileChanges } from '../percentile-change.js';
import { inlineText } from '../safe-text.js';
import {
  COMPARISON_HEADINGS,
  countStatuses,
  countsSentence,
  DISPLAY_LABEL,
  displayStatus,
  gateEffect,
  OVERALL_LABEL,
} from '../status.js';

export interface ReportLink {
  label: string;
  url: string;
}

export interface CommentFacts {
  /** Markdown naming where the baseline came from (a run link); written by trusted code only. */
  baselineOrigin?: string;
  /** Links to the run's pages (GitHub only), placed last. */
  links?: ReportLink[];
  /** One markdown line placing the head against main's history (history/context-line.ts): trusted code only. */
  historyContext?: string;
}

const COMPARISON_ORDER: Array<VerdictRow['comparison']> = ['build', 'overhead', 'absolute', 'cross-job'];

/** A pipe that inlineText left is already escaped (`\\|`); escaping it again would end the cell. */
const cell = (text: string): string => text.replace(/(?<!\\)\|/g, '\\|').replace(/\n/g, ' ');
export const tableRow = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;

/** A git SHA shortened in a code span, or the value made inert when it is not one. */
export function shortSha(sha: string | undefined): string | undefined {
  if (!sha) return undefined;
  return /^[0-9a-f]{7,40}$/i.test(sha) ? `\`${sha.slice(0, 7)}\`` : inlineText(sha, 40);
}

function commitsCompared(results: Results, verdict: Verdict): string {
  const head = shortSha(results.environment.git?.sha);
  const builds = verdict.checks.some((check) => check.comparison === 'build');
  const parts: string[] = [];
  if (builds) parts.push(`base vs head build${head ? ` of commit ${head}` : ''}, in this job`);
  else if (head) parts.push(`commit ${head}`);
  if (verdict.baseline)
    parts.push(
      `against the baseline run${verdict.baseline.sha ? ` of commit ${shortSha(verdict.baseline.sha)}` : ''}`,
    );
  return parts.length > 0 ? `Compared: ${parts.join('; ')}.` : '';
}

function headline(results: Results, verdict: Verdict): string[] {
  const title = `meshgate · ${inlineText(results.profile.name, 60)}`;
  const commits = commitsCompared(results, verdict);
  return [
    `## ${title}: ${OVERALL_LABEL[verdict.verdict]}`,
    '',
    `**${countsSentence(countStatuses(verdict))}** — ${gateEffect(verdict.verdict)}.${commits ? ` ${commits}` : ''}`,
    '',
    // The counts already say "all passed"; otherwise the first reason, as the statistics wrote it.
    ...(verdict.verdict === 'pass' ? [] : [inlineText(verdict.reason, 400), '']),
  ];
}

/** Pairs (variant vs compared with) of one comparison, in the verdict's order. */
function pairsOf(
  rows: readonly VerdictRow[],
): Array<{ variant: string; comparedWith: string; rows: VerdictRow[] }> {
  const pairs = new Map<string, { variant: string; comparedWith: string; rows: VerdictRow[] }>();
  for (const row of rows) {
    const key = `${row.variant}\u0000${row.comparedWith}`;
    if (!pairs.has(key)) pairs.set(key, { variant: row.variant, comparedWith: row.comparedWith, rows: [] });
    pairs.get(key)!.rows.push(row);
  }
  return [...pairs.values()];
}

/** Rows worth the main table: gating ones, and any that found something (capacity rows have their own). */
const shown = (check: VerdictRow) =>
  !isCapacityRow(check) &&
  (check.gating || check.verdict === 'regression' || check.verdict === 'improvement');

function comparisonTables(verdict: Verdict): string[] {
  const confidence = levelText(verdict.sequential.confidence);
  const lines: string[] = [];
  for (const kind of COMPARISON_ORDER) {
    for (const pair of pairsOf(verdict.checks.filter((check) => check.comparison === kind))) {
      const rows = pair.rows.filter(shown);
      if (rows.length === 0) continue;
      // Cross-job rows name their ratio in comparedWith ("baseline run: a ÷ b").
      const subject =
        kind === 'cross-job'
          ? inlineText(pair.comparedWith.replace(/^baseline run: /, ''), 120)
          : `${inlineText(pair.variant, 60)} vs ${inlineText(pair.comparedWith, 60)}`;
      lines.push(
        `### ${COMPARISON_HEADINGS[kind]}: ${subject}`,
        '',
        tableRow(['status', 'metric', 'before → after', `change % (${confidence} interval)`, 'threshold']),
        '|---|---|--:|--:|--:|',
        ...rows.map((check) =>
          tableRow([
            DISPLAY_LABEL[displayStatus(check)],
            METRIC_LABELS[check.metric],
            formatLevels(check),
            formatChangeWithInterval(check),
            formatThreshold(check),
          ]),
        ),
        '',
        ...stricterLevels(rows, verdict.sequential.confidence),
      );
    }
  }
  return lines;
}

/** Rows noisier than their threshold are judged at a stricter level than the table's (verdict/rule.ts). */
function stricterLevels(rows: readonly VerdictRow[], tableLevel: number): string[] {
  const stricter = rows.filter((check) => check.gating && check.confidence > tableLevel + 1e-9);
  if (stricter.length === 0) return [];
  const names = stricter.map((check) => METRIC_LABELS[check.metric]).join(', ');
  return [
    `${names}: ${levelText(stricter[0].confidence)} interval, as ${stricter.length === 1 ? 'its pairs spread' : 'their pairs spread'} wider than the threshold (a stricter level keeps identical builds from failing).`,
    '',
  ];
}

/**
 * The chart of what decided: when a CPU, memory, capacity or cost row failed or could not be
 * judged, that metric's change against its threshold; otherwise the latency change by percentile.
 */
function changeCharts(results: Results, verdict: Verdict): string[] {
  const metric = decidingMetric(verdict);
  if (metric) {
    const chart = renderMetricChart(verdict, metric);
    if (chart) return [chart];
  }
  const gated = percentileChanges(results, verdict).filter((curve) => curve.thresholdFraction !== null);
  const lines: string[] = [];
  for (const curve of gated.slice(0, 2)) {
    const chart = renderChangeChart(curve);
    if (!chart) continue;
    if (lines.length === 0) lines.push('### Change by percentile', '');
    lines.push(
      chart,
      '',
      '<details><summary>The numbers behind this chart</summary>',
      '',
      renderChangeTable(curve),
      '',
      '</details>',
      '',
    );
  }
  return lines;
}

function baselineLine(verdict: Verdict, facts: CommentFacts): string[] {
  const baseline = verdict.baseline;
  if (!baseline)
    return [
      facts.baselineOrigin ?? 'No baseline from another job: only comparisons measured in this job decide.',
      '',
    ];
  const sha = shortSha(baseline.sha);
  const reference = baseline.reference ? `, normalised by ${inlineText(baseline.reference, 60)}` : '';
  const origin = facts.baselineOrigin ? ` ${facts.baselineOrigin}` : '';
  return [
    `Baseline run: profile ${inlineText(baseline.profile, 60)} measured ${inlineText(baseline.createdAt, 40)}${sha ? ` at ${sha}` : ''}${reference}.${origin}`,
    '',
  ];
}

function nextSteps(results: Results, verdict: Verdict): string[] {
  return [
    '### Next steps',
    '',
    ...resolutionAdvice(results, verdict),
    `${verdict.verdict === 'inconclusive' ? '- **Reproduce locally**' : 'Reproduce locally'} (from the repository's root, Node 20+):`,
    '',
    '```sh',
    ...reproduceCommands(results, verdict.baseline !== null),
    '```',
    '',
  ];
}

/**
 * GitHub refuses a comment body above 65,536 characters (422 "Body is too long (maximum is 65536
 * characters)"). The body is kept below it with room for the marker line composeComment adds.
 */
export const MAX_COMMENT_CHARS = 65_536 - 1_024;

export function renderComment(
  results: Results,
  verdict: Verdict,
  facts: CommentFacts = {},
  maxChars = MAX_COMMENT_CHARS,
): string {
  // What the comment is for — status, verdict, the main table, notes — comes first and is kept;
  // the parts after it are trimmed from the last (every trial) to the first when too long.
  // The chart stands right under the table it draws, so the notes follow it (issue #34): the
  // chart is kept before the notes while it fits, and is the last part trimmed.
  const top = [...headline(results, verdict), ...capacityMarkdown(verdict), ...comparisonTables(verdict)];
  const rest = [
    ...baselineLine(verdict, facts),
    ...(facts.historyContext ? [facts.historyContext, ''] : []),
    ...mergedNotes(verdict.notes).map((note) => `> ${inlineText(note, 400)}\n`),
  ];
  const charts = changeCharts(results, verdict);
  const withCharts = [...top, ...charts, ...rest];
  const core = [...top, ...rest];
  const extras: [string, string[]][] = [
    ['the next steps', nextSteps(results, verdict)],
    ['where the counted cost went', costDetails(verdict)],
    ['noise and method', noiseDetails(verdict)],
    ['the environment', environmentDetails(results)],
    ['every trial', trialDetails(results)],
  ];
  const links =
    facts.links && facts.links.length > 0
      ? [facts.links.map((link) => `[${link.label}](${link.url})`).join(' · '), '']
      : [];
  const assemble = (lines: string[]) => `${lines.join('\n').trimEnd()}\n`;
  const trimmed: string[] = [];
  let chartsKept = true;
  for (;;) {
    const note =
      trimmed.length > 0
        ? [
            `> Trimmed to fit GitHub's 65,536-character limit for a comment: ${trimmed.reverse().join(', ')}; the report has everything.\n`,
          ]
        : [];
    if (trimmed.length > 0) trimmed.reverse();
    const head = chartsKept ? withCharts : core;
    const body = assemble([...head, ...extras.flatMap(([, lines]) => lines), ...note, ...links]);
    if (body.length <= maxChars) return body;
    const last = extras.pop();
    if (last) {
      if (last[1].length > 0) trimmed.push(last[0]);
    } else if (chartsKept) {
      chartsKept = false;
      if (charts.length > 0) trimmed.push('the change charts');
    } else return truncateLines(core, links, maxChars, assemble);
  }
}

/** Each note once, in first-seen order: the same sentence for every pair says nothing new. */
export function mergedNotes(notes: readonly string[]): string[] {
  return [...new Set(notes.map((note) => note.trim()))];
}

/** The core alone is too long (thousands of rows): whole lines up to the limit, then a note. */
function truncateLines(
  core: string[],
  links: string[],
  maxChars: number,
  assemble: (lines: string[]) => string,
): string {
  const note = (n: number) =>
    `\n> … ${n} more lines trimmed to fit GitHub's 65,536-character limit for a comment; the report has every row.\n`;
  const budget = maxChars - note(core.length).length - assemble(links).length;
  const kept: string[] = [];
  let used = 0;
  for (const line of core) {
    if (used + line.length + 1 > budget) break;
    kept.push(line);
    used += line.length + 1;
  }
  return assemble([...kept, note(core.length - kept.length), ...links]);
}
