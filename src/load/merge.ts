/**
 * Merge trials of several generators that ran the same job at the same time (processes, pods):
 * histograms are added count for count, counts and rates summed. Percentiles are recomputed from
 * the merged histograms, never averaged. Schedule lag keeps the worst generator's figures.
 */
import { encodeHistogram, mergeEncoded, summarize } from './histogram.js';
import { addCounts, mergeIntervals } from './trial.js';
import type { LoadTrial } from './types.js';

export function mergeTrials(trials: LoadTrial[]): LoadTrial {
  if (trials.length === 0) throw new Error('mergeTrials needs at least one trial');
  const corrected = mergeEncoded(trials.map((t) => t.histogram));
  const uncorrected = mergeEncoded(trials.map((t) => t.uncorrectedHistogram));
  const errorsByKind: Record<string, number> = {};
  const statusCodes: Record<string, number> = {};
  for (const t of trials) {
    addCounts(errorsByKind, t.errorsByKind);
    addCounts(statusCodes, t.statusCodes);
  }
  const startMs = Math.min(...trials.map((t) => Date.parse(t.startTime)));
  const endMs = Math.max(...trials.map((t) => Date.parse(t.endTime)));
  const requests = trials.reduce((sum, t) => sum + t.requests, 0);
  const durationS = Math.max(...trials.map((t) => t.durationS));
  const merged: LoadTrial = {
    startTime: new Date(startMs).toISOString(),
    endTime: new Date(endMs).toISOString(),
    durationS,
    requestedRps: trials.reduce((sum, t) => sum + t.requestedRps, 0),
    actualRps: Math.round(trials.reduce((sum, t) => sum + t.actualRps, 0) * 10) / 10,
    requests,
    errors: trials.reduce((sum, t) => sum + t.errors, 0),
    errorsByKind,
    statusCodes,
    latencyMs: summarize(corrected),
    uncorrectedLatencyMs: summarize(uncorrected),
    scheduleLagMs: {
      p50: Math.max(...trials.map((t) => t.scheduleLagMs.p50)),
      p99: Math.max(...trials.map((t) => t.scheduleLagMs.p99)),
      max: Math.max(...trials.map((t) => t.scheduleLagMs.max)),
    },
    histogram: encodeHistogram(corrected),
    uncorrectedHistogram: encodeHistogram(uncorrected),
    generators: trials.reduce((sum, t) => sum + t.generators, 0),
  };
  const withIntervals = trials.filter((t) => t.intervals);
  if (withIntervals.length > 0) {
    // Interval starts are offsets from each trial's start; generators started together share them.
    const step = inferStepMs(withIntervals.flatMap((t) => t.intervals!.map((i) => i.startOffsetMs)));
    merged.intervals = mergeIntervals(
      withIntervals.map((t) => t.intervals!.map((i) => ({ index: Math.round(i.startOffsetMs / step), histogram: i.histogram }))),
      step,
    );
  }
  return merged;
}

function inferStepMs(offsets: number[]): number {
  const positive = offsets.filter((o) => o > 0);
  return positive.length > 0 ? Math.min(...positive) : 1;
}
