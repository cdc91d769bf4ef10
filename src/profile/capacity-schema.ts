/**
 * `load.capacity` (the capacity search: the highest rate at which a latency SLO holds) and its
 * gate thresholds, in the form users write:
 *
 *   load:
 *     duration: 3s                  # each step's measured part
 *     capacity:
 *       slo: { p99: 5ms, errors: 0.1% }
 *       min_rps: 100
 *       max_rps: 2000
 *       precision: 5%
 *       max_time: 5m
 *   gate:
 *     capacity: { max_decrease: 10% }              # head vs base
 *     overhead: { capacity: { max_decrease: 40% } }  # mesh vs none
 *
 * Checks that need the rest of the profile (the time one round of steps takes) are in
 * `capacityProblems`, called by the profile's own refinement.
 */
import { z } from 'zod';
import { LOAD_LIMITS } from '../load/job-schema.js';
import { formatDurationMs } from '../util/units.js';
import { duration, fraction } from './field-schemas.js';
import type { CapacitySpec, LatencyMetric } from './types.js';

/** The longest search a profile may ask for: a CI job has hours, not days. */
export const MAX_CAPACITY_TIME_MS = 6 * 3_600_000;
/** Extra trials a borderline step may take (best of 1 + retries). */
export const MAX_CAPACITY_RETRIES = 4;

const rate = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .min(1, { error: `expected ${what}` })
    .max(LOAD_LIMITS.maxRps, { error: `expected at most ${LOAD_LIMITS.maxRps} requests per second` });

const sloLatency = duration.refine((ms) => ms > 0 && ms <= LOAD_LIMITS.maxTimeoutMs, {
  error: `expected a latency above 0 and at most ${LOAD_LIMITS.maxTimeoutMs / 1000}s, like 5ms`,
});

const slo = z
  .strictObject({
    p50: sloLatency.optional(),
    p90: sloLatency.optional(),
    p99: sloLatency.optional(),
    p999: sloLatency.optional(),
    errors: fraction.optional(),
  })
  .refine((s) => s.p50 !== undefined || s.p90 !== undefined || s.p99 !== undefined || s.p999 !== undefined, {
    error: 'expected at least one latency ceiling: p50, p90, p99 or p999 (like p99: 5ms)',
  });

export const capacitySchema = z
  .strictObject({
    slo,
    min_rps: rate('a rate ≥ 1 request per second where the search starts'),
    max_rps: rate('a rate ≥ 1 request per second where the search stops'),
    precision: fraction
      .refine((f) => f >= 0.005 && f <= 1, { error: 'expected a precision from 0.5% to 100%, like 5%' })
      .default(0.05),
    max_time: duration
      .refine((ms) => ms > 0 && ms <= MAX_CAPACITY_TIME_MS, {
        error: `expected a duration above 0 and at most ${MAX_CAPACITY_TIME_MS / 3_600_000}h, like 5m`,
      })
      .default(300_000),
    borderline: fraction
      .refine((f) => f <= 0.5, { error: 'expected a band from 0% to 50%, like 10%' })
      .default(0.1),
    retries: z
      .number({ error: `expected a whole number from 0 to ${MAX_CAPACITY_RETRIES}` })
      .int({ error: `expected a whole number from 0 to ${MAX_CAPACITY_RETRIES}` })
      .min(0, { error: `expected a whole number from 0 to ${MAX_CAPACITY_RETRIES}` })
      .max(MAX_CAPACITY_RETRIES, { error: `expected a whole number from 0 to ${MAX_CAPACITY_RETRIES}` })
      .default(2),
  })
  .superRefine((c, ctx) => {
    if (c.max_rps <= c.min_rps)
      ctx.addIssue({ code: 'custom', path: ['max_rps'], message: `must be above min_rps (${c.min_rps})` });
  })
  .transform((c): CapacitySpec => ({
    slo: {
      latencyMs: Object.fromEntries(
        (['p50', 'p90', 'p99', 'p999'] as const)
          .filter((m) => c.slo[m] !== undefined)
          .map((m) => [m, c.slo[m]!]),
      ) as Partial<Record<LatencyMetric, number>>,
      errorRate: c.slo.errors ?? 0.001,
    },
    minRps: c.min_rps,
    maxRps: c.max_rps,
    precision: c.precision,
    maxTimeS: c.max_time / 1000,
    borderline: c.borderline,
    retries: c.retries,
  }));

/** `gate.capacity` and `gate.overhead.capacity`: how much capacity at the SLO may be lost. */
export const capacityGateSchema = z
  .strictObject({
    max_decrease: fraction.refine((f) => f < 1, { error: 'expected a share below 100%, like 10%' }),
  })
  .transform((t) => ({ maxDecrease: t.max_decrease }));

interface ProfileShape {
  load: { duration: number; warmup: number; capacity?: CapacitySpec };
  mesh: Array<{ builds?: unknown }>;
  workload: { builds?: unknown };
  import_results?: unknown;
  /** The gate as its own transform left it. */
  gate: { capacity?: unknown; overheadCapacity?: unknown };
}

/** Problems of a capacity profile as a whole: [path, message] pairs. */
export function capacityProblems(p: ProfileShape): Array<[PropertyKey[], string]> {
  const capacity = p.load.capacity;
  if (!capacity) {
    if (p.gate.capacity !== undefined)
      return [[['gate', 'capacity'], 'applies to capacity profiles only (load.capacity)']];
    if (p.gate.overheadCapacity !== undefined)
      return [[['gate', 'overhead', 'capacity'], 'applies to capacity profiles only (load.capacity)']];
    return [];
  }
  if (p.import_results !== undefined)
    return [[['load', 'capacity'], 'a capacity search runs load; it cannot be combined with import_results']];
  const variants = (p.workload.builds ? 2 : 1) * p.mesh.reduce((sum, mesh) => sum + (mesh.builds ? 2 : 1), 0);
  const stepMs = p.load.duration + p.load.warmup;
  const roundMs = variants * stepMs;
  if (capacity.maxTimeS * 1000 < roundMs)
    return [
      [
        ['load', 'capacity', 'max_time'],
        `${formatDurationMs(capacity.maxTimeS * 1000)} is less than one step of each of the ${variants} variant(s) (${variants} × ${formatDurationMs(stepMs)} of warm-up and duration)`,
      ],
    ];
  return [];
}
