/**
 * A realistic results file for the report tests: 2 builds × 3 meshes × 10 trials, each trial 10 s
 * with one interval histogram per second, data-plane resources for the meshes, a slow drift over
 * the run and one trial with a two-second stall. Deterministic (seeded), built on makeResults.
 */
import {
  createHistogram,
  encodeHistogram,
  mergeHistograms,
  recordUs,
  summarize,
  type Histogram,
} from '../../src/load/histogram.js';
import type { Results } from '../../src/results/schema.js';
import { createRandom, type Random } from '../../src/stats/prng.js';
import { makeResults } from './results.js';

export interface BigResultsOptions {
  builds?: ('base' | 'head')[];
  meshes?: string[];
  trials?: number;
  secondsPerTrial?: number;
  requestsPerSecond?: number;
  /** Leave intervals out (as importers of other tools may). */
  intervals?: boolean;
  seed?: number;
}

const MEDIAN_MS: Record<string, number> = { none: 1.0, istio: 1.9, linkerd: 1.5 };
const HEAD_FACTOR = 1.08;
const CPU_MILLICORES: Record<string, number> = { istio: 180, linkerd: 110 };
const MEMORY_MIB: Record<string, number> = { istio: 62, linkerd: 28 };

/** One second of latencies: log-normal body, 1% slow tail, and a stall when asked. */
function second(random: Random, medianMs: number, requests: number, stalled: boolean): Histogram {
  const histogram = createHistogram();
  for (let i = 0; i < requests; i++) {
    let ms = medianMs * Math.exp(0.25 * random.normal());
    if (random.next() < 0.01) ms *= 3 + 5 * random.next();
    if (stalled && i < requests / 5) ms += 40 * random.next();
    recordUs(histogram, ms * 1000);
  }
  return histogram;
}

export function makeBigResults(options: BigResultsOptions = {}): Results {
  const builds = options.builds ?? ['base', 'head'];
  const meshes = options.meshes ?? ['none', 'istio', 'linkerd'];
  const trials = options.trials ?? 10;
  const seconds = options.secondsPerTrial ?? 10;
  const rate = options.requestsPerSecond ?? 200;
  const random = createRandom(options.seed ?? 7);
  const ids = builds.flatMap((build) => meshes.map((mesh) => `${build}/${mesh}`));
  const results = makeResults({
    variants: Object.fromEntries(
      ids.map((id) => [
        id,
        {
          p99Ms: Array.from({ length: trials }, () => 1),
          requestedRps: rate,
          resources: id.endsWith('/none') ? undefined : Array.from({ length: trials }, () => ({})),
        },
      ]),
    ),
  });
  const runLength = ids.length * trials;
  for (const variant of results.variants) {
    const medianMs = (MEDIAN_MS[variant.mesh] ?? 1.2) * (variant.build === 'head' ? HEAD_FACTOR : 1);
    const merged: Histogram[] = [];
    for (const trial of variant.trials) {
      const drift = 1 + (0.06 * trial.sequence) / runLength;
      const stalledTrial = variant.id === 'head/istio' && trial.index === 6;
      const perSecond = Array.from({ length: seconds }, (_, s) =>
        second(
          random,
          medianMs * drift,
          Math.round(rate * (1 + 0.02 * random.normal())),
          stalledTrial && (s === 4 || s === 5),
        ),
      );
      const histogram = mergeHistograms(perSecond);
      merged.push(histogram);
      const summary = summarize(histogram);
      Object.assign(trial, {
        durationS: seconds,
        endTime: new Date(Date.parse(trial.startTime) + seconds * 1000).toISOString(),
        requests: histogram.totalCount,
        actualRps: histogram.totalCount / seconds,
        statusCodes: { '200': histogram.totalCount },
        latencyMs: summary,
        uncorrectedLatencyMs: summary,
        histogram: encodeHistogram(histogram),
        uncorrectedHistogram: encodeHistogram(histogram),
      });
      if (options.intervals !== false)
        trial.intervals = perSecond.map((h, s) => ({
          startOffsetMs: s * 1000,
          histogram: encodeHistogram(h),
        }));
      if (trial.resources) {
        const cpu = CPU_MILLICORES[variant.mesh] * (1 + 0.05 * random.normal());
        const memory = MEMORY_MIB[variant.mesh] * (1 + 0.02 * random.normal());
        trial.resources = {
          cpuMillicores: cpu,
          cpuMsPer1kRequests: (cpu / trial.actualRps) * 1000,
          memoryMibMean: memory,
          memoryMibPeak: memory * 1.1,
          source: `${variant.mesh}-proxy containers`,
        };
      }
    }
    variant.latencyMs = summarize(mergeHistograms(merged));
  }
  results.profile = {
    ...results.profile,
    name: 'big-fixture',
    load: { rps: rate, connections: 16, durationS: seconds, warmupS: 2, protocol: 'http1' },
  };
  return results;
}
