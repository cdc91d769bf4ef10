/**
 * A compact per-variant table for terminals: merged percentiles, throughput, errors, data-plane use;
 * for a capacity run, each variant's capacity below it.
 */
import { stopLine } from '../capacity/describe.js';
import type { Results } from '../results/schema.js';

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
  return [alignTable([header, ...rows]), ...capacities].join('\n');
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
