/**
 * The PR comment's one line of context: this run's head against recent history on the default
 * branch — only records measured on the same kind of runner (GitHub's runner environment, OS,
 * architecture, CPU model and count, meshgate platform), and it says so. Raw latencies of
 * different machines are not comparable; the mesh ratio, measured inside each job, is added
 * where the variant has one.
 */
import type { Results, Variant } from '../results/schema.js';
import { inlineText } from '../report/safe-text.js';
import { formatLevel } from '../report/trend-chart.js';
import { normaliserOf, ratioValue, rawValue } from '../trend/series.js';
import type { RecordRunner } from './record-schema.js';
import { inTimeOrder, type StoredRecord } from './samples.js';

/** Recent runs the range is taken over. */
export const CONTEXT_RUNS = 30;
/** Fewer same-kind runs than this give no range. */
const MIN_RUNS = 3;

export const sameRunnerKind = (a: RecordRunner, b: RecordRunner): boolean =>
  a.environment === b.environment &&
  a.os === b.os &&
  a.arch === b.arch &&
  a.cpuModel === b.cpuModel &&
  a.cpuCount === b.cpuCount &&
  a.platform === b.platform;

export const describeRunner = (r: RecordRunner): string =>
  `${r.environment} ${r.os} ${r.arch}, ${r.cpuCount} × ${r.cpuModel}, platform ${r.platform}`;

/** The variant the step's `p99-ms` output reports (as action/outputs.ts picks it). */
function headline(results: Results): Variant | undefined {
  const heads = results.variants.filter((v) => v.build === 'head');
  return heads.find((v) => v.mesh !== 'none') ?? heads[0] ?? results.variants[0];
}

const range = (values: number[], ratio: boolean) =>
  `${formatLevel(Math.min(...values), ratio).replace(/ ms$/, '')}–${formatLevel(Math.max(...values), ratio)}`;

export function historyContextLine(
  records: readonly StoredRecord[],
  results: Results,
  runner: RecordRunner,
  branch: string,
): string | undefined {
  const variant = headline(results);
  const head = variant && rawValue(variant, 'p99');
  if (!variant || head === undefined || records.length === 0) return undefined;
  const kind = inlineText(describeRunner(runner), 200);
  const same = inTimeOrder(records)
    .filter(({ record }) => !record.capacityRun && sameRunnerKind(record.runner, runner))
    .slice(-CONTEXT_RUNS);
  const levels = same
    .map(({ record }) => record.variants.find((v) => v.id === variant.id)?.latencyMs?.p99)
    .filter((v): v is number => v !== undefined);
  if (levels.length < MIN_RUNS)
    return `History on \`${branch}\`: ${levels.length} run(s) of ${inlineText(variant.id, 60)} on this kind of runner (${kind}); too few to place this run (runs on other runners are not comparable).`;
  const to = normaliserOf(variant.id);
  const denominator = to ? results.variants.find((v) => v.id === to) : undefined;
  const ratio = denominator && ratioValue(variant, denominator, 'p99');
  const ratios = same
    .map(({ record }) => record.ratios.find((r) => r.variant === variant.id && r.to === to)?.p99)
    .filter((v): v is number => v !== undefined);
  const ratioPart =
    ratio !== undefined && ratios.length >= MIN_RUNS
      ? `; ${inlineText(variant.id, 60)} ÷ ${inlineText(to, 60)} ${formatLevel(ratio, true)}, main's ${range(ratios, true)}`
      : '';
  return `Head p99 ${formatLevel(head, false)} (${inlineText(variant.id, 60)}, median of trials); main's last ${levels.length} on the same kind of runner (${kind}): ${range(levels, false)}${ratioPart}. From \`${branch}\`.`;
}
