/**
 * A capacity run read back from a results file, and its SLO in words. results.json may be another
 * job's artifact: the embedded spec is read through a schema (numbers only), so what reaches a
 * comment is a number this code formats, never the file's text.
 */
import { z } from 'zod';
import type { CapacitySlo, CapacitySpec, LatencyMetric } from '../profile/types.js';
import type { Capacity, Results } from '../results/schema.js';

const positive = z.number().positive();
const EmbeddedCapacitySchema = z.looseObject({
  slo: z.looseObject({
    latencyMs: z.looseObject({
      p50: positive.optional(),
      p90: positive.optional(),
      p99: positive.optional(),
      p999: positive.optional(),
    }),
    errorRate: z.number().min(0).max(1),
  }),
  minRps: positive,
  maxRps: positive,
  precision: positive,
  maxTimeS: positive,
  borderline: z.number().min(0).max(1),
  retries: z.number().int().min(0),
});

/** The capacity spec embedded in results.profile.load, or undefined when absent or malformed. */
export function capacitySpecOf(results: Results): CapacitySpec | undefined {
  const load = (results.profile as { load?: { capacity?: unknown } }).load;
  const parsed = EmbeddedCapacitySchema.safeParse(load?.capacity);
  if (!parsed.success) return undefined;
  const { latencyMs, errorRate } = parsed.data.slo;
  const latency: Partial<Record<LatencyMetric, number>> = {};
  for (const metric of ['p50', 'p90', 'p99', 'p999'] as const)
    if (latencyMs[metric] !== undefined) latency[metric] = latencyMs[metric];
  return { ...parsed.data, slo: { latencyMs: latency, errorRate } };
}

/** Whether a results file holds capacity searches. */
export const isCapacityRun = (results: Results): boolean => results.variants.some((v) => v.capacity !== undefined);

const LABEL: Record<LatencyMetric, string> = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9' };
const ms = (value: number) => (value >= 1000 ? `${Number((value / 1000).toPrecision(3))} s` : `${Number(value.toPrecision(3))} ms`);

/** "p99 ≤ 5 ms, errors ≤ 0.1%". */
export function describeSlo(slo: CapacitySlo): string {
  const parts = (Object.entries(slo.latencyMs) as [LatencyMetric, number][]).map(
    ([metric, limit]) => `${LABEL[metric]} ≤ ${ms(limit)}`,
  );
  parts.push(`errors ≤ ${Number((slo.errorRate * 100).toPrecision(3))}%`);
  return parts.join(', ');
}

/** "capacity 480 requests/s (fails at 504, within 5.0%)" and the like, for the log. */
export function stopLine(capacity: Capacity): string {
  const { lowerRps, upperRps, precision } = capacity;
  switch (capacity.stop) {
    case 'below_min':
      return `the SLO does not hold at the lowest rate tried (${upperRps} requests/s)`;
    case 'above_max':
      return `the SLO holds at the highest rate allowed (${lowerRps} requests/s): capacity at least that`;
    case 'incomplete':
      return `the run ended before the search did${lowerRps !== null ? ` (held at ${lowerRps} requests/s so far)` : ''}`;
    default: {
      const bracket = precision !== null ? ` (fails at ${upperRps}, within ${(precision * 100).toFixed(1)}%)` : '';
      const why = capacity.stop === 'time' ? '; the time ran out before the stated precision' : '';
      return lowerRps === null ? `no rate held before the time ran out` : `capacity ${lowerRps} requests/s${bracket}${why}`;
    }
  }
}
