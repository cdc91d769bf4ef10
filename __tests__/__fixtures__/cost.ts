/**
 * Cost sections for synthetic results (stats, comment and report tests): batches whose
 * instructions per request follow `around` (a deterministic zig-zag), interleaved like the cost
 * phase runs them, an idle window, and the self costs per request of a few named functions.
 */
import type { Results, VariantCost } from '../../src/results/schema.js';
import { around } from './results.js';

export interface CostFixture {
  /** Instructions per request level, its spread (CV) and the zig-zag's phase. */
  level: number;
  cv?: number;
  phase?: number;
  batches?: number;
  requests?: number;
  /** Self instructions per request of named functions; the rest goes to `other`. */
  functions?: Record<string, number>;
}

export function makeCost(spec: CostFixture, firstSequence: number, stride = 2): VariantCost {
  const batches = spec.batches ?? 5;
  const requests = spec.requests ?? 1000;
  const idle = 283;
  const values = around(spec.level, batches, spec.cv ?? 0.003, spec.phase ?? 0);
  const named = Object.entries(spec.functions ?? {});
  return {
    method: 'callgrind',
    tool: 'valgrind-3.19.0',
    components: ['nginx sidecar'],
    idle: { windowMs: 1500, instructions: [idle] },
    batches: values.map((value, k) => ({
      sequence: firstSequence + k * stride,
      requests,
      durationMs: 1100,
      instructions: [Math.round(value * requests + idle)],
    })),
    // Like the phase, only the largest functions are kept: they need not sum to the totals.
    functions: named.map(([name, perRequest]) => ({
      component: 0,
      name,
      instructions: perRequest * requests * batches,
    })),
    wallS: 12.5,
  };
}

/** Attach cost sections to variants by id (base gets the even sequences, head the odd). */
export function withCost(
  results: Results,
  costs: Record<string, CostFixture>,
  gate?: { maxIncrease: number },
): Results {
  const ids = Object.keys(costs);
  return {
    ...results,
    profile: {
      ...results.profile,
      cost: { method: 'callgrind', requests: 1000, batches: 5, warmupRequests: 300, connections: 2 },
      ...(gate ? { gate: { ...(results.profile as unknown as { gate: object }).gate, cost: gate } } : {}),
    },
    variants: results.variants.map((v) =>
      costs[v.id] ? { ...v, cost: makeCost(costs[v.id], ids.indexOf(v.id), ids.length) } : v,
    ),
  };
}
