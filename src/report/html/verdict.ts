/** The verdict: a headline that says pass / regression / inconclusive and why, and one row per check. */
import type { VerdictRow, Threshold, Verdict } from '../../verdict/schema.js';
import { formatChange, formatJudgedInterval, formatLevel, formatThreshold } from '../format.js';
import { attrs, esc, num, signedPct } from './markup.js';
import { countStatuses, countsSentence, DISPLAY_LABEL, displayStatus } from '../status.js';

const HEADLINES: Record<Verdict['verdict'], string> = {
  pass: 'Pass',
  regression: 'Regression',
  inconclusive: 'Inconclusive',
};

const cv = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);

const METRIC_NAMES: Record<VerdictRow['metric'], string> = {
  p50: 'p50 latency',
  p90: 'p90 latency',
  p99: 'p99 latency',
  p999: 'p99.9 latency',
  throughput: 'throughput',
  errorRate: 'error rate',
  proxyCpuMsPer1kRequests: 'data-plane CPU per 1k requests',
  proxyMemoryMib: 'data-plane memory',
  capacityRps: 'capacity at the SLO',
  instructionsPerRequest: 'data-plane instructions per request (counted, not timed)',
};

const HEADER = [
  'verdict',
  'comparison',
  'metric',
  'before',
  'after',
  'change (interval)',
  'threshold',
  'noise (CV)',
  'pairs',
  'reason',
];

const nowrap = (text: string) => `<span class="nw">${esc(text)}</span>`;
/** "57.4 ms/1k requests": the number keeps its unit, a long unit's words may wrap (1280 px, issue #34). */
const levelCell = (text: string) => esc(text).replace(' ', '&nbsp;');

function row(check: VerdictRow): string {
  // The same digits as the terminal and the comment (report/format.ts): one number everywhere.
  const interval = formatJudgedInterval(check);
  const change = `${nowrap(formatChange(check))}${interval ? `<br><small>${nowrap(`(${interval})`)}</small>` : ''}`;
  // [label, cell html]; the label heads the column on wide screens and each line of a card on phones.
  const cells: [string, string][] = [
    // The status words of the comment and the terminal ("too noisy to judge", "not measured").
    [esc(DISPLAY_LABEL[displayStatus(check)].replace(/^\S+ /, '')), `v v-${esc(check.verdict)}`],
    // Names wrap (at their hyphens and slashes): kept on one line, a data plane's long build
    // names pushed the table past its container at 1280 px and cut the reason (issue #34).
    [`${esc(check.comparison)}: ${esc(check.variant)} vs ${esc(check.comparedWith)}`, 'pair'],
    [esc(METRIC_NAMES[check.metric]), ''],
    [levelCell(formatLevel(check, 'baseline')), ''],
    [levelCell(formatLevel(check, 'current')), ''],
    [change, ''],
    [esc(formatThreshold(check)), ''],
    [nowrap(`${cv(check.noise.baselineCv)} / ${cv(check.noise.currentCv)}`), ''],
    [esc(check.pairs), ''],
    [esc(check.reason), 'reason'],
  ];
  const html = cells.map(([content, className], i) => {
    const tag = i === 1 ? 'th scope="row"' : 'td';
    return `<${tag}${attrs({ class: className || undefined, 'data-label': HEADER[i] })}><span>${content}</span></${tag.split(' ')[0]}>`;
  });
  return `<tr>${html.join('')}</tr>`;
}

function checksTable(caption: string, checks: VerdictRow[]): string {
  return `<div class="scroll"><table class="checks"><caption>${esc(caption)}</caption><thead><tr>${HEADER.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${checks.map(row).join('\n')}\n</tbody></table></div>`;
}

export function renderVerdict(verdict: Verdict | undefined): string {
  if (!verdict)
    return '<section class="headline headline-none"><p class="badge">No verdict</p><p>This report was rendered without a verdict. <code>meshgate check RESULTS --json verdict.json</code> computes one; pass it with <code>--verdict</code>.</p></section>';
  const { look, maxLooks, confidence } = verdict.sequential;
  const headline = `<section class="headline headline-${esc(verdict.verdict)}"><p class="badge">${esc(HEADLINES[verdict.verdict])}</p><p class="counts">${esc(countsSentence(countStatuses(verdict)))}</p><p>${esc(verdict.reason)}</p><p class="meta">Look ${esc(look)} of ${esc(maxLooks)} · ${esc((confidence * 100).toFixed(1))}% intervals${verdict.baseline ? ` · baseline ${esc(verdict.baseline.profile)} from ${esc(verdict.baseline.createdAt)}${verdict.baseline.sha ? ` (${esc(verdict.baseline.sha.slice(0, 12))})` : ''}` : ''}</p></section>`;
  if (verdict.checks.length === 0) return `${headline}<p class="note">No checks were made.</p>`;
  const gating = verdict.checks.filter((c) => c.gating);
  const reported = verdict.checks.filter((c) => !c.gating);
  const explain =
    'Before is the median of the compared-with side’s trials; change is the paired estimate with the interval it was judged on; after is before × (1 + change). Noise is the trial-to-trial coefficient of variation of each side.';
  const table =
    (gating.length > 0
      ? checksTable(`Gating checks (${gating.length}). ${explain}`, gating)
      : '<p class="note">No check gated this run.</p>') +
    (reported.length > 0
      ? `<details class="data"${gating.length === 0 ? ' open' : ''}><summary>Reported only, not gating (${reported.length} rows)</summary>${checksTable(`Reported only. ${explain}`, reported)}</details>`
      : '');
  return `${headline}${table}`;
}
