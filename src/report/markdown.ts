/**
 * The verdict as GitHub markdown (PR comment, job summary): a one-line headline, one table per
 * comparison, and collapsed details with the environment, every trial and the method.
 * Every string read from results (ids, names, environment, baseline) goes through `inlineText`:
 * a results file may come from a fork and must not be able to write markup into the comment.
 * Reasons and notes are sentences of meshgate's own, built from ids that parseResults restricts.
 */
import type { Results } from '../results/schema.js';
import type { Verdict } from '../stats/verdict.js';
import {
  COMPARISON_TITLES,
  METRIC_LABELS,
  OVERALL_STATUS,
  ROW_STATUS,
  formatChange,
  formatInterval,
  formatNoise,
  formatThreshold,
  formatValue,
  groupChecks,
} from './format.js';
import { inlineText } from './safe-text.js';

export interface MarkdownOptions {
  title?: string;
  links?: Array<{ label: string; url: string }>;
}

/** A pipe that inlineText left is already escaped (`\|`); escaping it again would end the cell. */
const cell = (text: string): string => text.replace(/(?<!\\)\|/g, '\\|').replace(/\n/g, ' ');
const tableRow = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;

function comparisonTable(verdict: Verdict, kind: keyof typeof COMPARISON_TITLES): string[] {
  const rows = verdict.checks.filter((c) => c.comparison === kind);
  const confidence = `${Number((verdict.sequential.confidence * 100).toFixed(1))}%`;
  const lines = [
    `### ${COMPARISON_TITLES[kind]}`,
    '',
    tableRow([
      'metric',
      'variant',
      'baseline',
      'current',
      'change',
      `CI (${confidence})`,
      'noise (CV)',
      'threshold',
      'status',
    ]),
    '|---|---|--:|--:|--:|--:|--:|---|---|',
  ];
  for (const check of rows)
    lines.push(
      tableRow([
        METRIC_LABELS[check.metric],
        `${inlineText(check.variant)} vs ${inlineText(check.comparedWith)}`,
        formatValue(check.baseline, check.unit),
        formatValue(check.current, check.unit),
        formatChange(check),
        formatInterval(check),
        formatNoise(check),
        formatThreshold(check),
        ROW_STATUS[check.verdict],
      ]),
    );
  const reasons = rows.filter((c) => c.gating && c.verdict !== 'pass');
  if (reasons.length > 0)
    lines.push('', ...reasons.map((c) => `- **${inlineText(c.variant)} ${METRIC_LABELS[c.metric]}**: ${c.reason}`));
  return [...lines, ''];
}

function details(summary: string, body: string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}

function environmentDetails(results: Results): string[] {
  const env = results.environment;
  const rows: Array<[string, string | undefined]> = [
    ['platform', env.platform],
    ['runner', env.runner],
    ['OS / kernel', `${env.os} / ${env.kernel}`],
    ['CPU', `${env.cpuModel} × ${env.cpuCount}`],
    ['memory', `${env.memoryMib} MiB`],
    ['Node.js / meshgate', `${env.node} / ${env.meshgate}`],
    ['Kubernetes', env.kubernetesVersion],
    [
      'meshes',
      env.meshVersions
        ? Object.entries(env.meshVersions)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')
        : undefined,
    ],
    ['commit', env.git?.sha],
  ];
  return details('Environment', [
    '| | |',
    '|---|---|',
    ...rows.filter(([, v]) => v).map(([k, v]) => tableRow([k, inlineText(v, 240)])),
  ]);
}

function trialDetails(results: Results): string[] {
  const body = [
    '| variant | trial | run order | p50 | p99 | p99.9 | rps | requests | errors |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const variant of results.variants)
    for (const trial of variant.trials)
      body.push(
        tableRow([
          inlineText(variant.id),
          String(trial.index + 1),
          String(trial.sequence + 1),
          formatValue(trial.latencyMs.p50, 'ms'),
          formatValue(trial.latencyMs.p99, 'ms'),
          formatValue(trial.latencyMs.p999, 'ms'),
          formatValue(trial.actualRps, 'rps').replace(' rps', ''),
          String(trial.requests),
          String(trial.errors),
        ]),
      );
  return details(
    `Trials (${results.variants.map((v) => `${inlineText(v.id)}: ${v.trials.length}`).join(', ')})`,
    body,
  );
}

function methodDetails(verdict: Verdict): string[] {
  const { look, maxLooks, confidence } = verdict.sequential;
  return details('Method', [
    `- Trials of the compared variants ran interleaved (A B B A …); the k-th trials of two variants form a pair, and each pair gives one log-ratio per metric.`,
    `- Estimate: ${verdict.method.estimator}. Interval: ${verdict.method.interval}, at ${(confidence * 100).toFixed(1)}% (look ${look} of ${maxLooks}; the level is split over the looks so that adding trials does not inflate false alarms).`,
    `- Decision: ${verdict.method.rule}. Error rates: exact Fisher test against the compared variant (binomial against the allowance when there is none).`,
    `- Noise (CV) is the coefficient of variation of the per-trial values of each side (baseline / current).`,
    `- Cross-job rows compare ratios measured inside each job, never raw latencies across jobs; they carry both jobs' noise.`,
  ]);
}

export function renderVerdictMarkdown(
  results: Results,
  verdict: Verdict,
  options: MarkdownOptions = {},
): string {
  const title = options.title ?? `meshgate · ${inlineText(results.profile.name)}`;
  const lines = [`## ${title}: ${OVERALL_STATUS[verdict.verdict]}`, '', `**${verdict.reason}**`, ''];
  if (verdict.sequential.moreTrialsCouldResolve)
    lines.push('_More trials could resolve this; the run may extend._', '');
  for (const [kind] of groupChecks(verdict.checks)) lines.push(...comparisonTable(verdict, kind));
  if (verdict.baseline)
    lines.push(
      `Baseline run: profile ${inlineText(verdict.baseline.profile)} from ${inlineText(verdict.baseline.createdAt, 40)}${verdict.baseline.sha ? ` at ${inlineText(verdict.baseline.sha.slice(0, 12))}` : ''}${verdict.baseline.reference ? `, normalised by ${inlineText(verdict.baseline.reference)}` : ''}.`,
      '',
    );
  if (verdict.notes.length > 0) lines.push(...verdict.notes.map((note) => `> ${note}`), '');
  if (options.links && options.links.length > 0)
    lines.push(options.links.map((link) => `[${link.label}](${link.url})`).join(' · '), '');
  lines.push(...environmentDetails(results), ...trialDetails(results), ...methodDetails(verdict));
  return `${lines.join('\n').trimEnd()}\n`;
}
