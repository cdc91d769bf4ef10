/**
 * A compact per-variant table for terminals: merged percentiles, throughput, errors, data-plane use;
 * for a capacity run, each variant's figures at its capacity step and its capacity below it.
 */
import { stopLine } from '../capacity/describe.js';
import type { Results, Trial, Variant } from '../results/schema.js';

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

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export function renderVariantSummary(results: Results): string {
  const header = [
    'variant',
    'trials',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'p99.9 ms',
    'rps',
    'errors',
    'proxy CPU m',
    'proxy MiB',
  ];
  const rows = results.variants.map((variant) => {
    if (variant.capacity) return capacityRow(variant);
    const requests = variant.trials.reduce((sum, t) => sum + t.requests, 0);
    const errors = variant.trials.reduce((sum, t) => sum + t.errors, 0);
    const withResources = variant.trials.filter((t) => t.resources);
    const meanOf = (pick: (t: (typeof withResources)[number]) => number) =>
      withResources.length === 0
        ? '–'
        : (withResources.reduce((s, t) => s + pick(t), 0) / withResources.length).toFixed(0);
    return [
      variant.id,
      String(variant.trials.length),
      variant.latencyMs.p50.toFixed(3),
      variant.latencyMs.p90.toFixed(3),
      variant.latencyMs.p99.toFixed(3),
      variant.latencyMs.p999.toFixed(3),
      variant.smp.actual_qps.toFixed(0),
      requests > 0 ? `${errors} (${((errors / requests) * 100).toFixed(2)}%)` : '0',
      meanOf((t) => t.resources!.cpuMillicores),
      meanOf((t) => t.resources!.memoryMibMean),
    ];
  });
  // A capacity run's trials are steps at different rates: its answer is the search's.
  const capacities = results.variants.flatMap((v) =>
    v.capacity ? [`${v.id}: ${stopLine(v.capacity)}`] : [],
  );
  const stepNote = results.variants.some((v) => v.capacity)
    ? ['Capacity variants: the figures of the capacity step (median of its trials), not all steps merged.']
    : [];
  return [alignTable([header, ...rows]), ...capacities, ...stepNote].join('\n');
}

/** A capacity variant's row: the figures of its capacity step, or dashes when the SLO never held. */
function capacityRow(variant: Variant): string[] {
  const step = capacityStep(variant);
  if (!step) return [variant.id, 'none held', '–', '–', '–', '–', '–', '–', '–', '–'];
  const { trials } = step;
  const requests = trials.reduce((sum, t) => sum + t.requests, 0);
  const errors = trials.reduce((sum, t) => sum + t.errors, 0);
  const withResources = trials.filter((t) => t.resources);
  const medianOf = (values: number[], digits: number) =>
    values.length === 0 ? '–' : median(values).toFixed(digits);
  return [
    variant.id,
    step.label,
    medianOf(
      trials.map((t) => t.latencyMs.p50),
      3,
    ),
    medianOf(
      trials.map((t) => t.latencyMs.p90),
      3,
    ),
    medianOf(
      trials.map((t) => t.latencyMs.p99),
      3,
    ),
    medianOf(
      trials.map((t) => t.latencyMs.p999),
      3,
    ),
    medianOf(
      trials.map((t) => t.actualRps),
      0,
    ),
    requests > 0 ? `${errors} (${((errors / requests) * 100).toFixed(2)}%)` : '0',
    medianOf(
      withResources.map((t) => t.resources!.cpuMillicores),
      0,
    ),
    medianOf(
      withResources.map((t) => t.resources!.memoryMibMean),
      0,
    ),
  ];
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
