/**
 * The capacity part of the verdict (capacity profiles) for people: each variant's capacity at the
 * SLO with its bracket, the comparisons the gate made (head vs base, mesh vs none), and each
 * mesh's efficiency index — as markdown for the PR comment (report/comment/comment.ts) and as plain text
 * for the terminal (report/text.ts). Variant ids pass through inlineText (the verdict may come
 * from a file); the SLO sentence too, although meshgate writes it from numbers.
 */
import type { VerdictRow, Verdict } from '../verdict/schema.js';
import { formatChangeWithInterval, formatThreshold } from './format.js';
import { inlineText } from './safe-text.js';
import { DISPLAY_LABEL, DISPLAY_WORD, displayStatus } from './status.js';

type Summary = NonNullable<Verdict['capacity']>;
type VariantRow = Summary['variants'][number];
type EfficiencyRow = Summary['efficiency'][number];

const COMPARISON: Record<string, string> = { build: 'head vs base', overhead: 'mesh vs none' };

export const isCapacityRow = (check: VerdictRow): boolean => check.metric === 'capacityRps';

export function capacityText(row: VariantRow): string {
  if (row.lowerRps === null) return row.upperRps === null ? 'not found' : `below ${row.upperRps} rps`;
  return row.upperRps === null ? `≥ ${row.lowerRps} rps` : `${row.lowerRps} rps`;
}

function precisionText(row: VariantRow): string {
  const reached = row.precision === null ? '—' : `${(row.precision * 100).toFixed(1)}%`;
  if (row.stop === 'time') return `${reached} (time ran out)`;
  return row.stop === 'incomplete' ? `${reached} (run ended)` : reached;
}

const thousands = (value: number | null) =>
  value === null ? '—' : Math.round(value).toLocaleString('en-US');

/** "497 → 322 rps": capacities are whole rates, shown as found (— where the SLO held nowhere). */
const levels = (check: VerdictRow): string =>
  `${thousands(check.baseline)} → ${thousands(check.current)} rps`;

const fixed2 = (value: number | null) => (value === null ? '—' : value.toFixed(2));

function efficiencyCells(row: EfficiencyRow): string[] {
  return [
    row.index === null ? 'not measured' : `${row.index.toFixed(2)} per core`,
    `${Math.round(row.retained * 100)}%`,
    fixed2(row.dataPlaneCores),
    thousands(row.rpsPerCore),
  ];
}

const cell = (text: string): string => text.replace(/(?<!\\)\|/g, '\\|').replace(/\n/g, ' ');
const tableRow = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;

export function capacityMarkdown(verdict: Verdict): string[] {
  const summary = verdict.capacity;
  if (!summary) return [];
  const lines = [
    `### Capacity at the SLO: ${inlineText(summary.slo, 120)}`,
    '',
    tableRow(['variant', 'capacity', 'SLO missed at', 'precision', 'steps (trials)']),
    '|---|--:|--:|--:|--:|',
    ...summary.variants.map((row) =>
      tableRow([
        inlineText(row.variant, 60),
        capacityText(row),
        row.upperRps === null ? '—' : `${row.upperRps} rps`,
        precisionText(row),
        `${row.steps} (${row.trials})`,
      ]),
    ),
    '',
  ];
  // One table per kind of comparison, named above it, so that the rows stay narrow.
  for (const kind of ['build', 'overhead'] as const) {
    const rows = verdict.checks.filter((check) => isCapacityRow(check) && check.comparison === kind);
    if (rows.length === 0) continue;
    lines.push(
      `**Capacity, ${COMPARISON[kind]}**`,
      '',
      tableRow(['status', 'comparison', 'before → after', 'change (bracket)', 'threshold']),
      '|---|---|--:|--:|--:|',
      ...rows.map((check) =>
        tableRow([
          DISPLAY_LABEL[displayStatus(check)],
          `${inlineText(check.variant, 60)} vs ${inlineText(check.comparedWith, 60)}`,
          levels(check),
          formatChangeWithInterval(check),
          formatThreshold(check),
        ]),
      ),
      '',
    );
  }
  if (summary.efficiency.length > 0)
    lines.push(
      tableRow(['mesh', 'efficiency index', 'capacity kept', 'data-plane cores', 'rps per core']),
      '|---|--:|--:|--:|--:|',
      ...summary.efficiency.map((row) => tableRow([inlineText(row.variant, 60), ...efficiencyCells(row)])),
      '',
      'Efficiency index: (capacity with the mesh ÷ its data-plane cores) ÷ capacity without a mesh, at the SLO — the share of the mesh-free capacity each data-plane core delivers (docs/method.md).',
      '',
    );
  lines.push(
    'The capacity is the highest rate at which the SLO held; the bracket of a change holds every ratio the two searches allow. The search steps are in the HTML report.',
    '',
  );
  return lines;
}

/** Columns padded to their widest cell, numbers right-aligned. */
function columns(rows: string[][], left: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) =>
    row
      .map((text, i) => (left.has(i) ? text.padEnd(widths[i]) : text.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

export function capacityTerminal(verdict: Verdict): string[] {
  const summary = verdict.capacity;
  if (!summary) return [];
  const out = [`Capacity at the SLO (${summary.slo})`];
  out.push(
    ...columns(
      [
        ['variant', 'capacity', 'missed at', 'precision', 'steps'],
        ...summary.variants.map((row) => [
          row.variant,
          capacityText(row),
          row.upperRps === null ? '—' : `${row.upperRps} rps`,
          precisionText(row),
          `${row.steps} (${row.trials} trials)`,
        ]),
      ],
      new Set([0]),
    ),
    '',
  );
  const rows = verdict.checks.filter(isCapacityRow);
  if (rows.length > 0)
    out.push(
      ...columns(
        [
          ['status', 'comparison', 'before → after', 'change (bracket)', 'threshold'],
          ...rows.map((check) => [
            DISPLAY_WORD[displayStatus(check)],
            `${check.variant} vs ${check.comparedWith}`,
            levels(check),
            formatChangeWithInterval(check),
            formatThreshold(check),
          ]),
        ],
        new Set([0, 1]),
      ),
      '',
    );
  if (summary.efficiency.length > 0)
    out.push(
      ...columns(
        [
          ['mesh', 'efficiency index', 'capacity kept', 'data-plane cores', 'rps per core'],
          ...summary.efficiency.map((row) => [row.variant, ...efficiencyCells(row)]),
        ],
        new Set([0]),
      ),
      '',
    );
  return out;
}
