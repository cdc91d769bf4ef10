/**
 * What a row's metric is called in sentences people read: reasons, the verdict's one-line reason,
 * notes, the comment's and the HTML report's headline, the terminal. verdict.json's `metric` keeps
 * the field names (scripts read them); no reader should meet `proxyCpuMsPer1kRequests` in prose
 * (issue #34). Table columns may use shorter forms (report/format.ts METRIC_LABELS), never these
 * field names either.
 */
import type { RowMetric, VerdictRow } from './schema.js';

export const METRIC_NAMES: Record<RowMetric, string> = {
  p50: 'p50',
  p90: 'p90',
  p99: 'p99',
  p999: 'p99.9',
  throughput: 'throughput',
  errorRate: 'error rate',
  proxyCpuMsPer1kRequests: 'proxy CPU per 1k requests',
  proxyMemoryMib: 'proxy memory',
  capacityRps: 'capacity',
  // Counted, not timed: the machine cannot blur these rows.
  instructionsPerRequest: 'instructions per request (counted)',
};

/** A metric's name in prose. */
export const metricName = (metric: RowMetric): string => METRIC_NAMES[metric];

/**
 * One row in a sentence: "head/nginx p99: +3.1% (CI …)", or, when the reason already opens with the
 * metric's name ("proxy CPU per 1k requests rose +54%"), "head/nginx: proxy CPU … rose +54%"
 * rather than naming it twice.
 */
export function rowSentence(row: Pick<VerdictRow, 'variant' | 'metric' | 'reason'>): string {
  const name = metricName(row.metric);
  return row.reason.startsWith(`${name} `)
    ? `${row.variant}: ${row.reason}`
    : `${row.variant} ${name}: ${row.reason}`;
}
