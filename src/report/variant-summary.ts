/**
 * A compact per-variant table for terminals: each figure is the median of the variant's per-trial
 * values (the same definition as a verdict row's "before", never a pooled histogram's figure);
 * errors are the total. For a capacity run, each variant's figures at its capacity step and its
 * capacity below it.
 */
import { stopLine } from '../capacity/describe.js';
import type { Results, Trial, Variant } from '../results/schema.js';
import { median } from '../stats/descriptive.js';
import { formatLevelNumber } from '../util/numbers.js';

/** The caption above the table: what its numbers are. */
export const VARIANT_SUMMARY_CAPTION =
  'per variant, the median of its trials (latency in ms; errors: all trials; CPU and MiB: the proxies)';

/**
 * The trials a capacity variant's row stands for: those of the step at its capacity (the highest
 * rate that held), not every step merged — steps run at different rates, and their merged p99
 * (1,441 ms in issue #34) is no rate's latency. Null when the SLO never held (nothing measured).
 */
function capacityStep(variant: Variant): { trials: Trial[]; label: string } | null {
  const capacity = variant.capacity!;
  if (capacity.lowerRps === null) return null;
  const step = [...capacity.steps].reverse().find((s) => s.rps === capacity.lowerRps && s.verdict === 'pass');
  const trials = (step?.trials ?? []).map((i) => variant.trials[i]).filter((t) => t !== undefined);
  if (!step || trials.length === 0) return null;
  return { trials, label: `${trials.length} at ${step.rps} rps` };
}

export function renderVariantSummary(results: Results): string {
  const header = [
    'variant',
    'trials',
    'p50',
    'p90',
    'p99',
    'p99.9',
    'rps',
    'errors',
    // The data plane's figures the verdict's rows judge: CPU per 1,000 requests, peak memory.
    'CPU ms/1k',
    'MiB peak',
  ];
  const rows = results.variants.map((variant) => {
    const step = variant.capacity ? capacityStep(variant) : undefined;
    if (step === null) return [variant.id, 'none held', '–', '–', '–', '–', '–', '–', '–', '–'];
    const trials = step ? step.trials : variant.trials;
    const requests = trials.reduce((sum, t) => sum + t.requests, 0);
    const errors = trials.reduce((sum, t) => sum + t.errors, 0);
    const withResources = trials.filter((t) => t.resources);
    const medianOf = (values: number[], digits?: number) =>
      values.length === 0
        ? '–'
        : digits === undefined
          ? formatLevelNumber(median(values))
          : median(values).toFixed(digits);
    const latency = (key: 'p50' | 'p90' | 'p99' | 'p999') =>
      medianOf(trials.map((t) => t.latencyMs[key]));
    return [
      variant.id,
      step ? step.label : String(trials.length),
      latency('p50'),
      latency('p90'),
      latency('p99'),
      latency('p999'),
      medianOf(
        trials.map((t) => t.actualRps),
        0,
      ),
      requests > 0 ? `${errors} (${((errors / requests) * 100).toFixed(2)}%)` : '0',
      medianOf(withResources.map((t) => t.resources!.cpuMsPer1kRequests)),
      medianOf(withResources.map((t) => t.resources!.memoryMibPeak)),
    ];
  });
  // A capacity run's trials are steps at different rates: its answer is the search's.
  const capacities = results.variants.flatMap((v) =>
    v.capacity ? [`${v.id}: ${stopLine(v.capacity)}`] : [],
  );
  const stepNote = results.variants.some((v) => v.capacity)
    ? ['Capacity variants: the figures of the capacity step (median of its trials), not all steps merged.']
    : [];
  return [VARIANT_SUMMARY_CAPTION, alignTable([header, ...rows]), ...capacities, ...stepNote].join('\n');
}

/** Left-align the first column, right-align the rest. */
export function alignTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
        .join('  '),
    )
    .join('\n');
}
