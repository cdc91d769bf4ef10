/** Small valid results files for baseline and action tests (real histograms, made-up latencies). */
import { createHistogram, encodeHistogram, recordUs, summarize } from '../../src/load/histogram.js';
import { RESULTS_SCHEMA, type Results, type Trial, type Variant } from '../../src/results/schema.js';

function trial(index: number, latenciesUs: number[]): Trial {
  const histogram = createHistogram();
  for (const us of latenciesUs) recordUs(histogram, us);
  const latencyMs = summarize(histogram);
  const encoded = encodeHistogram(histogram);
  return {
    index,
    sequence: index,
    startTime: '2026-01-01T00:00:00.000Z',
    endTime: '2026-01-01T00:00:01.000Z',
    durationS: 1,
    requestedRps: 100,
    actualRps: 100,
    requests: latenciesUs.length,
    errors: 0,
    errorsByKind: {},
    statusCodes: { '200': latenciesUs.length },
    latencyMs,
    uncorrectedLatencyMs: latencyMs,
    scheduleLagMs: { p50: 0, p99: 0, max: 0 },
    histogram: encoded,
    uncorrectedHistogram: encoded,
    generators: 1,
  };
}

function variant(id: string, baseUs: number, trials: number): Variant {
  const [build, mesh] = id.split('/') as ['base' | 'head', string];
  const all = Array.from({ length: trials }, (_, i) =>
    trial(
      i,
      Array.from({ length: 200 }, (_, k) => baseUs + k * 5 + i),
    ),
  );
  const latencyMs = all[0].latencyMs;
  return {
    id,
    build,
    mesh,
    target: 'http://127.0.0.1:1',
    latencyMs,
    trials: all,
    smp: {
      latencies_ms: {
        min: latencyMs.min,
        average: latencyMs.mean,
        p50: latencyMs.p50,
        p90: latencyMs.p90,
        p99: latencyMs.p99,
        max: latencyMs.max,
      },
      actual_qps: 100,
      start_time: all[0].startTime,
      end_time: all[all.length - 1].endTime,
    },
  };
}

export function fixtureResults(
  profileName = 'echo-p99',
  variants: Record<string, number> = { 'head/none': 1000, 'head/nginx': 1300 },
): Results {
  return {
    schema: RESULTS_SCHEMA,
    createdAt: '2026-01-01T00:00:00.000Z',
    profile: { name: profileName },
    environment: {
      platform: 'local',
      runner: 'test',
      os: 'linux',
      kernel: '6',
      cpuModel: 'cpu',
      cpuCount: 2,
      memoryMib: 4096,
      node: 'v20',
      meshgate: '0.1.0',
    },
    variants: Object.entries(variants).map(([id, us]) => variant(id, us, 2)),
  };
}
