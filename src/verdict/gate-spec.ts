/** The gate settings a decision uses: the profile's, read from results.json, or defaults. */
import type { GateSpec } from '../profile/types.js';
import type { Results } from '../results/schema.js';

/** What the profile schema fills in when `gate:` is absent. */
export const DEFAULT_GATE: GateSpec = {
  latency: { p99: { maxIncrease: 0.1 } },
  overhead: {},
  errorRate: { max: 0.001 },
  confidence: 0.95,
};

/** results.json embeds the normalised profile; its gate is trusted when it has the right shape. */
export function gateOf(results: Results): GateSpec {
  const gate = (results.profile as { gate?: Partial<GateSpec> }).gate;
  if (!gate || typeof gate !== 'object') return DEFAULT_GATE;
  return {
    latency: gate.latency ?? DEFAULT_GATE.latency,
    overhead: gate.overhead ?? {},
    throughput: gate.throughput,
    errorRate: gate.errorRate ?? DEFAULT_GATE.errorRate,
    confidence: typeof gate.confidence === 'number' ? gate.confidence : DEFAULT_GATE.confidence,
    ...(gate.overheadResources ? { overheadResources: gate.overheadResources } : {}),
    ...(gate.dataPlane ? { dataPlane: gate.dataPlane } : {}),
    ...(gate.capacity ? { capacity: gate.capacity } : {}),
    ...(gate.overheadCapacity ? { overheadCapacity: gate.overheadCapacity } : {}),
    ...(gate.cost && typeof gate.cost.maxIncrease === 'number'
      ? { cost: { maxIncrease: gate.cost.maxIncrease } }
      : {}),
  };
}
