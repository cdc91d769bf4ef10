/**
 * Synthetic capacity results: each variant's search is run by the real pure search (search.ts)
 * and step judgement (slo.ts) against a model system whose p99 is half the SLO's ceiling up to its
 * capacity and three times it above, so every step is clear of the borderline band.
 */
import { afterStep, bracketWidth, startSearch } from '../../src/capacity/search.js';
import { judgeStep, judgeTrial } from '../../src/capacity/slo.js';
import { createHistogram, encodeHistogram, recordUs } from '../../src/load/histogram.js';
import type { CapacitySpec, GateSpec } from '../../src/profile/types.js';
import type { Capacity, CapacityStep, Results, Trial, Variant } from '../../src/results/schema.js';
import { fixtureEnvironment } from './results.js';

export interface CapacityVariantSpec {
  /** The model's capacity: steps at or below it hold. */
  capacityRps: number;
  /** Data-plane CPU per 1,000 rps, in millicores (absent: not measured). */
  millicoresPerKrps?: number;
}

export const CAPACITY_SPEC: CapacitySpec = {
  slo: { latencyMs: { p99: 5 }, errorRate: 0.001 },
  minRps: 100,
  maxRps: 2000,
  precision: 0.05,
  maxTimeS: 600,
  borderline: 0.1,
  retries: 2,
};

const histogram = (() => {
  const h = createHistogram();
  recordUs(h, 1000);
  return encodeHistogram(h);
})();

function modelTrial(rps: number, spec: CapacityVariantSpec, index: number, sequence: number): Trial {
  const p99 = rps <= spec.capacityRps ? 2.5 : 15;
  const latencyMs = { min: 0.5, mean: 1, p50: 1, p90: p99 / 2, p99, p999: p99 * 1.5, max: p99 * 2 };
  const requests = Math.round(rps * 2);
  return {
    index,
    sequence,
    startTime: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence * 3)).toISOString(),
    endTime: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence * 3 + 2)).toISOString(),
    durationS: 2,
    requestedRps: rps,
    actualRps: rps,
    requests,
    errors: 0,
    errorsByKind: {},
    statusCodes: { '200': requests },
    latencyMs,
    uncorrectedLatencyMs: latencyMs,
    scheduleLagMs: { p50: 0.01, p99: 0.05, max: 0.2 },
    histogram,
    uncorrectedHistogram: histogram,
    generators: 1,
    ...(spec.millicoresPerKrps !== undefined
      ? {
          resources: {
            cpuMillicores: (spec.millicoresPerKrps * rps) / 1000,
            cpuMsPer1kRequests: spec.millicoresPerKrps,
            memoryMibMean: 10,
            memoryMibPeak: 12,
            source: 'model proxy',
          },
        }
      : {}),
  };
}

/** One variant's search against the model, as results.json holds it. */
export function searchVariant(
  id: string,
  spec: CapacityVariantSpec,
  capacitySpec: CapacitySpec = CAPACITY_SPEC,
): Variant & { capacity: Capacity } {
  const settings = { minRps: capacitySpec.minRps, maxRps: capacitySpec.maxRps, precision: capacitySpec.precision };
  let state = startSearch(settings);
  const trials: Trial[] = [];
  const steps: CapacityStep[] = [];
  while (!state.stop) {
    const rps = state.nextRps!;
    const trial = modelTrial(rps, spec, trials.length, trials.length);
    trials.push(trial);
    const judgement = judgeTrial(trial, capacitySpec.slo, capacitySpec.borderline);
    const verdict = judgeStep([judgement], capacitySpec.retries)!;
    steps.push({ rps, trials: [trial.index], verdict, borderline: judgement.borderline, reason: judgement.reason });
    state = afterStep(state, settings, rps, verdict === 'pass');
  }
  const [build, mesh] = id.split('/') as ['base' | 'head', string];
  const zero = { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    id,
    build,
    mesh,
    target: 'http://127.0.0.1:8080',
    latencyMs: zero,
    trials,
    smp: { latencies_ms: { min: 0, average: 0, p50: 0, p90: 0, p99: 0, max: 0 }, actual_qps: 0, start_time: '', end_time: '' },
    capacity: {
      lowerRps: state.lowerRps ?? null,
      upperRps: state.upperRps ?? null,
      precision: bracketWidth(state) ?? null,
      stop: state.stop ?? 'time',
      steps,
    },
  };
}

export function makeCapacityResults(
  variants: Record<string, CapacityVariantSpec>,
  gate: Partial<GateSpec> = {},
  capacitySpec: CapacitySpec = CAPACITY_SPEC,
): Results {
  return {
    schema: 'meshgate/results@1',
    createdAt: '2026-01-01T00:00:00.000Z',
    profile: {
      name: 'fixture',
      load: { rps: 500, connections: 16, durationS: 2, warmupS: 0.5, capacity: capacitySpec },
      gate: { latency: { p99: { maxIncrease: 0.1 } }, overhead: {}, errorRate: { max: 0.001 }, confidence: 0.95, ...gate },
    },
    environment: fixtureEnvironment({ node: 'v22' }),
    variants: Object.entries(variants).map(([id, spec]) => searchVariant(id, spec, capacitySpec)),
  };
}
