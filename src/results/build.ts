/** Assembling results.json from trials: per-variant merged summaries and the SMP-shaped block. */
import { mergeEncoded, summarize } from '../load/histogram.js';
import type { LatencySummaryMs } from '../load/types.js';
import type { Profile } from '../profile/types.js';
import { redactProfile, redactUrl } from '../util/secrets.js';
import {
  RESULTS_SCHEMA,
  type Capacity,
  type Environment,
  type Results,
  type Trial,
  type Variant,
} from './schema.js';

export interface VariantTrials {
  id: string;
  build: 'base' | 'head';
  mesh: string;
  target: string;
  trials: Trial[];
  /** Capacity profiles: the search of this variant. */
  capacity?: Capacity;
}

function smpBlock(latency: LatencySummaryMs, trials: Trial[]): Variant['smp'] {
  const requests = trials.reduce((sum, t) => sum + t.requests, 0);
  const seconds = trials.reduce((sum, t) => sum + t.durationS, 0);
  const starts = trials.map((t) => t.startTime).sort();
  const ends = trials.map((t) => t.endTime).sort();
  return {
    latencies_ms: {
      min: latency.min,
      average: latency.mean,
      p50: latency.p50,
      p90: latency.p90,
      p99: latency.p99,
      max: latency.max,
    },
    actual_qps: seconds > 0 ? Math.round((requests / seconds) * 100) / 100 : 0,
    start_time: starts[0] ?? '',
    end_time: ends[ends.length - 1] ?? '',
  };
}

export function buildVariant(input: VariantTrials): Variant {
  const latencyMs = summarize(mergeEncoded(input.trials.map((t) => t.histogram)));
  return { ...input, latencyMs, smp: smpBlock(latencyMs, input.trials) };
}

export function buildResults(profile: Profile, environment: Environment, variants: VariantTrials[]): Results {
  return {
    schema: RESULTS_SCHEMA,
    createdAt: new Date().toISOString(),
    // results.json is uploaded as an artifact: no credential from a URL or a header goes in.
    profile: redactProfile(profile) as unknown as Results['profile'],
    environment,
    variants: variants.map((variant) => buildVariant({ ...variant, target: redactUrl(variant.target) })),
  };
}
