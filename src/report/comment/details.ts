/**
 * The comment's collapsed sections: noise and method with every row, the environment, and every
 * trial. Folded by default so the verdict stays scannable; tables of at most five columns so
 * they fit GitHub's comment width when opened.
 */
import type { Results } from '../../results/schema.js';
import { levelText } from '../../verdict/rule.js';
import type { VerdictRow, Verdict } from '../../verdict/schema.js';
import { formatLevels, METRIC_LABELS } from '../format.js';
import { plusMinusPercent } from '../../util/numbers.js';
import { inlineText } from '../safe-text.js';
import { DISPLAY_LABEL, displayStatus, plural } from '../status.js';
import { trialCountText } from '../trial-count.js';
import { signedCount, whereItWent } from '../../verdict/cost-functions.js';

/** A pipe that inlineText left is already escaped (`\\|`); escaping it again would end the cell. */
const cell = (text: string): string => text.replace(/(?<!\\)\|/g, '\\|').replace(/\n/g, ' ');
const tableRow = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;

export function details(summary: string, body: string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}

/** The smallest change this row could have detected (±, a fraction), when the statistics give one. */
export function minimumDetectable(check: VerdictRow): number | null {
  const value = check.minimumDetectableChange;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** CV of each side, before / after (the minimum detectable change has its own column). */
function noiseOnly(check: VerdictRow): string {
  const cv = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
  if (check.noise.baselineCv === null && check.noise.currentCv === null) return '—';
  return `${cv(check.noise.baselineCv)} / ${cv(check.noise.currentCv)}`;
}

export function noiseDetails(verdict: Verdict): string[] {
  const { look, maxLooks, confidence } = verdict.sequential;
  const level = levelText(confidence);
  const body = [
    tableRow(['row', 'before → after', 'noise (CV)', 'pairs', 'min. detectable']),
    '|---|--:|--:|--:|--:|',
    ...verdict.checks.map((check) =>
      tableRow([
        `${inlineText(check.variant, 40)} vs ${inlineText(check.comparedWith, 40)} · ${METRIC_LABELS[check.metric]}`,
        formatLevels(check),
        noiseOnly(check),
        String(check.pairs),
        (() => {
          const mde = minimumDetectable(check);
          return mde === null ? '—' : plusMinusPercent(mde);
        })(),
      ]),
    ),
    '',
    ...verdict.checks
      .filter((check) => check.gating || check.verdict !== 'info')
      .map(
        (check) =>
          `- ${DISPLAY_LABEL[displayStatus(check)]} · ${inlineText(check.variant, 40)} vs ${inlineText(check.comparedWith, 40)} ${METRIC_LABELS[check.metric]}: ${inlineText(check.reason, 300)}`,
      ),
    '',
    '**How to read this**',
    '',
    '- *before → after*: before is the median of the compared side’s trials; after is before × (1 + change), so the two and the change agree, here, in verdict.json and in the report. Each variant’s own median of its trials is in the report’s per-variant tables; two such medians can disagree with the change, which is estimated from pairs.',
    `- *change*: the estimate of current / before − 1 from trials paired in run order (${inlineText(verdict.method.estimator, 300)}), with its ${level} interval (${inlineText(verdict.method.interval, 300)}). It is the range of changes the data is consistent with.`,
    `- *look ${look} of ${maxLooks}*: trials may be added when the verdict is inconclusive; the ${level} level is the profile's confidence split over the planned looks, so adding trials does not inflate false alarms.`,
    '- *noise (CV)*: the coefficient of variation of each side’s per-trial values (standard deviation / mean). Above a few percent, intervals widen and verdicts become inconclusive.',
    '- *too noisy to judge*: the interval is wider than the threshold, so the data cannot tell a pass from a regression. *likely regression, not yet shown*: the estimate is beyond the threshold but the interval does not yet clear it. *not measured*: nothing to judge (a capacity search that never held the SLO). None of the three is a pass.',
    `- Decision: ${inlineText(verdict.method.rule, 400)}.`,
    '- Cross-job rows compare ratios measured inside each job, never raw latencies across jobs; they carry both jobs’ noise.',
  ];
  return details(
    verdict.checks.length === 1
      ? 'Noise, method and the row'
      : `Noise, method and all ${plural(verdict.checks.length, 'row')}`,
    body,
  );
}

export function environmentDetails(results: Results): string[] {
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
    '| setting | value |',
    '|---|---|',
    ...rows
      .filter(([, v]) => v !== undefined && v !== '')
      // A commit id in a code span: shown whole, and GitHub autolinks no commit inside one.
      .map(([k, v]) =>
        tableRow([
          k,
          k === 'commit' && /^[0-9a-f]{4,64}$/i.test(String(v)) ? `\`${v}\`` : inlineText(v, 120),
        ]),
      ),
  ]);
}

export function trialDetails(results: Results): string[] {
  const body = [
    tableRow(['variant · trial (run order)', 'p50 ms', 'p99 ms', 'p99.9 ms', 'errors']),
    '|---|--:|--:|--:|--:|',
  ];
  for (const variant of results.variants)
    for (const trial of variant.trials)
      body.push(
        tableRow([
          `${inlineText(variant.id, 40)} · ${trial.index + 1} (${trial.sequence + 1})`,
          trial.latencyMs.p50.toFixed(3),
          trial.latencyMs.p99.toFixed(3),
          trial.latencyMs.p999.toFixed(3),
          `${trial.errors} of ${trial.requests}`,
        ]),
      );
  // Summaries sit in an HTML block, where markdown escapes do not apply: no untrusted text there.
  return details(`Trials (${trialCountText(results)})`, body);
}

/**
 * Where each head build's instructions per request went (Callgrind's self cost per function):
 * the functions that changed most, per request. Names are plain text (verdict/cost-functions.ts
 * reduces them) and escaped again here: they come from a results file.
 */
export function costDetails(verdict: Verdict): string[] {
  const changes = verdict.costChanges ?? [];
  if (changes.length === 0) return [];
  const count = (value: number) =>
    `${value < 0 ? '−' : ''}${Math.abs(Math.round(value)).toLocaleString('en-US')}`;
  const body: string[] = [];
  for (const change of changes) {
    body.push(
      `**${inlineText(change.variant, 40)}** vs ${inlineText(change.comparedWith, 40)}: ${inlineText(whereItWent(change), 300)} (self cost, counted)`,
      '',
      tableRow(['function', 'component', 'before', 'after', 'change']),
      '|---|---|--:|--:|--:|',
      ...change.functions
        .slice(0, 5)
        .map((fn) =>
          tableRow([
            inlineText(fn.name, 80),
            inlineText(fn.component, 40),
            count(fn.base),
            count(fn.head),
            signedCount(fn.delta),
          ]),
        ),
      '',
    );
  }
  return details('Where the instructions went (per request, counted)', body);
}
