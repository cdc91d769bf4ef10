/**
 * Per-second points across the whole run, from each trial's interval histograms: wall-clock
 * position (seconds since the first trial started), p50, p99 and completed requests per second.
 * Intervals are keyed by the requests' intended send time, as the engine records them.
 */
import * as hdr from 'hdr-histogram-js';
import type { Results, Trial, Variant } from '../../results/schema.js';
import { minOf } from '../../util/extent.js';

export interface SecondPoint {
  /** Middle of the interval, seconds since the run's first trial started. */
  timeS: number;
  lengthS: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  requestsPerS: number;
}

export interface TrialSpan {
  variant: Variant;
  trial: Trial;
  startS: number;
  endS: number;
  seconds: SecondPoint[];
}

const DEFAULT_INTERVAL_MS = 1000;

/** The interval length: the smallest step between offsets (the recorder's fixed interval). */
export function intervalLengthMs(trial: Trial): number {
  const offsets = (trial.intervals ?? []).map((i) => i.startOffsetMs).sort((a, b) => a - b);
  let step = Infinity;
  for (let i = 1; i < offsets.length; i++)
    if (offsets[i] > offsets[i - 1]) step = Math.min(step, offsets[i] - offsets[i - 1]);
  return Number.isFinite(step) ? step : DEFAULT_INTERVAL_MS;
}

export function runStartMs(results: Results): number {
  return minOf(results.variants.flatMap((v) => v.trials.map((t) => Date.parse(t.startTime))));
}

export function trialSpans(results: Results): TrialSpan[] {
  const origin = runStartMs(results);
  const spans = results.variants.flatMap((variant) =>
    variant.trials.map((trial) => {
      const startMs = Date.parse(trial.startTime);
      const stepMs = intervalLengthMs(trial);
      const trialLengthMs = trial.durationS * 1000;
      const seconds = (trial.intervals ?? []).map((interval) => {
        const histogram = hdr.decodeFromCompressedBase64(interval.histogram, 64, false);
        const remainingMs = trialLengthMs - interval.startOffsetMs;
        const lengthMs = remainingMs > 0 ? Math.min(stepMs, remainingMs) : stepMs;
        const requests = histogram.totalCount;
        return {
          timeS: (startMs + interval.startOffsetMs + lengthMs / 2 - origin) / 1000,
          lengthS: lengthMs / 1000,
          p50Ms: requests > 0 ? histogram.getValueAtPercentile(50) / 1000 : NaN,
          p99Ms: requests > 0 ? histogram.getValueAtPercentile(99) / 1000 : NaN,
          requests,
          requestsPerS: requests / (lengthMs / 1000),
        };
      });
      return {
        variant,
        trial,
        startS: (startMs - origin) / 1000,
        endS: (Date.parse(trial.endTime) - origin) / 1000,
        seconds: seconds.sort((a, b) => a.timeS - b.timeS),
      };
    }),
  );
  return spans.sort((a, b) => a.trial.sequence - b.trial.sequence);
}
