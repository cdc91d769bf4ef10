/**
 * A compact per-variant table for terminals: each figure is the median of the variant's per-trial
 * values (the same definition as a verdict row's "before", never a pooled histogram's figure);
 * errors are the total. For a capacity run, each variant's capacity below it.
 */
import { stopLine } from '../capacity/describe.js';
import type { Results } from '../results/schema.js';
import { median } from '../stats/descriptive.js';
import { formatLevelNumber } from '../util/numbers.js';

/** The caption above the table: what its numbers are. */
export const VARIANT_SUMMARY_CAPTION = 'per variant, the median of its trials (errors: all trials)';

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
    // The data plane's figures the verdict's rows judge: CPU per 1,000 requests, peak memory.
    'proxy CPU ms/1k',
    'proxy MiB peak',
  ];
  const rows = results.variants.map((variant) => {
    const requests = variant.trials.reduce((sum, t) => sum + t.requests, 0);
    const errors = variant.trials.reduce((sum, t) => sum + t.errors, 0);
    const withResources = variant.trials.filter((t) => t.resources);
    const medianOf = (values: number[], digits?: number) =>
      values.length === 0
        ? '–'
        : digits === undefined
          ? formatLevelNumber(median(values))
          : median(values).toFixed(digits);
    const latency = (key: 'p50' | 'p90' | 'p99' | 'p999') =>
      medianOf(variant.trials.map((t) => t.latencyMs[key]));
    return [
      variant.id,
      String(variant.trials.length),
      latency('p50'),
      latency('p90'),
      latency('p99'),
      latency('p999'),
      medianOf(
        variant.trials.map((t) => t.actualRps),
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
  return [VARIANT_SUMMARY_CAPTION, alignTable([header, ...rows]), ...capacities].join('\n');
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
