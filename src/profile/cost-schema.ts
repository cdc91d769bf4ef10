/**
 * `cost` (instructions per request of the local data plane, counted, not timed) and its gate
 * threshold, in the form users write:
 *
 *   cost:
 *     method: callgrind        # or perf (a hardware counter), or auto (perf where it counts)
 *     requests: 1000           # per counted batch
 *     batches: 5               # per variant, interleaved base/head
 *     warmup_requests: 300     # before instrumentation is switched on
 *   gate:
 *     cost: { max_increase: 2% }   # head vs base, on the batches' own spread
 */
import { z } from 'zod';
import { fraction } from './field-schemas.js';
import type { CostSpec } from './types.js';

/** Bounds a CI job can afford under Callgrind (~2,000 requests/s through nginx). */
export const COST_LIMITS = { maxRequests: 100_000, maxBatches: 100, maxWarmup: 100_000 };

const whole = (min: number, max: number, what: string) =>
  z
    .number({ error: `expected ${what} from ${min} to ${max}` })
    .int({ error: `expected ${what} from ${min} to ${max}` })
    .min(min, { error: `expected ${what} from ${min} to ${max}` })
    .max(max, { error: `expected ${what} from ${min} to ${max}` });

export const costSchema = z
  .strictObject({
    method: z
      .enum(['callgrind', 'perf', 'auto'], { error: 'expected callgrind, perf or auto' })
      .default('callgrind'),
    requests: whole(10, COST_LIMITS.maxRequests, 'a whole number of requests per batch').default(1000),
    batches: whole(2, COST_LIMITS.maxBatches, 'a whole number of batches per variant').default(5),
    warmup_requests: whole(1, COST_LIMITS.maxWarmup, 'a whole number of warm-up requests').default(300),
    connections: whole(1, 16, 'a whole number of connections').default(2),
  })
  .transform((c): CostSpec => ({
    method: c.method,
    requests: c.requests,
    batches: c.batches,
    warmupRequests: c.warmup_requests,
    connections: c.connections,
  }));

export const costGateSchema = z
  .strictObject({ max_increase: fraction })
  .transform((c) => ({ maxIncrease: c.max_increase }));
