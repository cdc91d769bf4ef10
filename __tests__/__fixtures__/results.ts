/**
 * Builder of synthetic results.json documents for the statistics and report tests. Variants are
 * given per-trial p99 values (other percentiles follow p99 by fixed factors unless given) and are
 * laid out in the balanced run order A B B A … the experiment uses.
 */
import { createHistogram, encodeHistogram, recordUs, summarize } from '../../src/load/histogram.js';
import type { Environment, Results, ResourceUse, Trial, Variant } from '../../src/results/schema.js';

export interface VariantSpec {
  /** Per-trial p99 in ms, in run order. */
  p99Ms: number[];
  /** Per-trial p50 in ms (default p99 / 3). */
  p50Ms?: number[];
  errors?: number[];
  requests?: number;
  /** Requested rate; 0 = closed loop. */
  requestedRps?: number;
  actualRps?: number[];
  resources?: Partial<ResourceUse>[];
}

export interface ResultsSpec {
  variants: Record<string, VariantSpec>;
  gate?: Record<string, unknown>;
  builds?: Record<string, unknown>;
  /** Encode a real (small) HdrHistogram per trial instead of a placeholder. */
  histograms?: boolean;
  createdAt?: string;
  sha?: string;
}

const PLACEHOLDER = createHistogram();
recordUs(PLACEHOLDER, 1000);
const PLACEHOLDER_ENCODED = encodeHistogram(PLACEHOLDER);

function histogramFor(p50Ms: number, p99Ms: number): string {
  const histogram = createHistogram();
  for (let i = 0; i < 98; i++) recordUs(histogram, p50Ms * 1000);
  recordUs(histogram, p99Ms * 1000);
  recordUs(histogram, p99Ms * 1100);
  return encodeHistogram(histogram);
}

function trial(spec: VariantSpec, index: number, sequence: number, real: boolean): Trial {
  const p99 = spec.p99Ms[index];
  const p50 = spec.p50Ms?.[index] ?? p99 / 3;
  const latencyMs = {
    min: p50 / 2,
    mean: p50 * 1.1,
    p50,
    p90: (p50 + p99) / 2,
    p99,
    p999: p99 * 1.4,
    max: p99 * 2,
  };
  const requests = spec.requests ?? 2000;
  const errors = spec.errors?.[index] ?? 0;
  const resources = spec.resources?.[index];
  return {
    index,
    sequence,
    startTime: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence * 12)).toISOString(),
    endTime: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence * 12 + 10)).toISOString(),
    durationS: 10,
    requestedRps: spec.requestedRps ?? 200,
    actualRps: spec.actualRps?.[index] ?? (spec.requestedRps === 0 ? 1000 : 200),
    requests,
    errors,
    errorsByKind: errors > 0 ? { status_503: errors } : {},
    statusCodes: { '200': requests - errors, ...(errors > 0 ? { '503': errors } : {}) },
    latencyMs,
    uncorrectedLatencyMs: latencyMs,
    scheduleLagMs: { p50: 0.01, p99: 0.05, max: 0.2 },
    histogram: real ? histogramFor(p50, p99) : PLACEHOLDER_ENCODED,
    uncorrectedHistogram: PLACEHOLDER_ENCODED,
    generators: 1,
    resources: resources
      ? {
          cpuMillicores: 100,
          cpuMsPer1kRequests: 50,
          memoryMibMean: 40,
          memoryMibPeak: 45,
          source: 'nginx (1 process)',
          ...resources,
        }
      : undefined,
  };
}

/** Balanced order over variants: round r runs them forwards when r is even, backwards when odd. */
export function makeResults(spec: ResultsSpec): Results {
  const ids = Object.keys(spec.variants);
  const trials = new Map<string, Trial[]>(ids.map((id) => [id, []]));
  const rounds = Math.max(...ids.map((id) => spec.variants[id].p99Ms.length));
  let sequence = 0;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ids : [...ids].reverse();
    for (const id of order) {
      const variantSpec = spec.variants[id];
      if (round < variantSpec.p99Ms.length)
        trials.get(id)!.push(trial(variantSpec, round, sequence++, spec.histograms ?? false));
    }
  }
  const variants: Variant[] = ids.map((id) => {
    const [build, mesh] = id.split('/') as ['base' | 'head', string];
    const list = trials.get(id)!;
    const merged = spec.histograms ? summarize(createHistogram()) : list[0]?.latencyMs;
    return {
      id,
      build,
      mesh,
      target: `http://127.0.0.1:80${ids.indexOf(id)}`,
      latencyMs: merged ?? { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 },
      trials: list,
      smp: {
        latencies_ms: { min: 0, average: 0, p50: 0, p90: 0, p99: 0, max: 0 },
        actual_qps: 200,
        start_time: list[0]?.startTime ?? '',
        end_time: list[list.length - 1]?.endTime ?? '',
      },
    };
  });
  return {
    schema: 'meshgate/results@1',
    createdAt: spec.createdAt ?? '2026-01-01T00:00:00.000Z',
    profile: {
      name: 'fixture',
      trials: rounds,
      workload: { builds: spec.builds ?? { head: { kind: 'url', url: 'http://127.0.0.1:8080' } } },
      gate: spec.gate ?? {
        latency: { p99: { maxIncrease: 0.1, minDeltaMs: 0.5 } },
        overhead: {},
        errorRate: { max: 0.001 },
        confidence: 0.95,
      },
    },
    environment: fixtureEnvironment({ git: { sha: spec.sha ?? 'abc1234' } }),
    variants,
  };
}

/** The environment block of a fixture's results.json. */
export function fixtureEnvironment(overrides: Partial<Environment> = {}): Environment {
  return {
    platform: 'local',
    runner: 'test',
    os: 'linux',
    kernel: '6.1',
    cpuModel: 'test cpu',
    cpuCount: 2,
    memoryMib: 4096,
    node: 'v20',
    meshgate: '0.1.0',
    git: { sha: 'abc1234' },
    ...overrides,
  };
}

/** n values around `level` with relative spread `cv`, deterministic (a fixed zig-zag pattern). */
export function around(level: number, n: number, cv = 0.03, phase = 0): number[] {
  const pattern = [0.3, -1.1, 0.9, -0.2, 1.3, -0.8, 0.1, -0.5, 0.7, -0.6, 1.0, -1.0];
  return Array.from({ length: n }, (_, i) => level * (1 + cv * pattern[(i + phase) % pattern.length]));
}
