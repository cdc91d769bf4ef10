/**
 * Exact merge of several generators' trials of the same load (pods of an in-cluster Job, or any
 * processes started together): histograms are added and re-summarised, counts are added.
 * Percentiles are never averaged.
 */
import { encodeHistogram, mergeEncoded, summarize } from './histogram.js';
import { addCounts, addHiccups } from './trial.js';
import type { GeneratorHiccups, LoadTrial } from './types.js';

function mergeIntervals(trials: readonly LoadTrial[]): LoadTrial['intervals'] {
  if (!trials.every((trial) => trial.intervals)) return undefined;
  const byOffset = new Map<number, string[]>();
  for (const trial of trials)
    for (const interval of trial.intervals!)
      byOffset.set(interval.startOffsetMs, [
        ...(byOffset.get(interval.startOffsetMs) ?? []),
        interval.histogram,
      ]);
  return [...byOffset.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startOffsetMs, histograms]) => ({
      startOffsetMs,
      histogram: encodeHistogram(mergeEncoded(histograms)),
    }));
}

/**
 * One trial from several generators' trials. The measured span runs from the earliest start to
 * the latest end, so start skew between generators lowers `actualRps` instead of hiding.
 * Schedule lag is not mergeable exactly; the worst generator's values are kept.
 */
export function mergeTrials(trials: readonly LoadTrial[]): LoadTrial {
  if (trials.length === 0) throw new Error('mergeTrials needs at least one trial');
  if (trials.length === 1) return { ...trials[0] };
  const startMs = Math.min(...trials.map((trial) => Date.parse(trial.startTime)));
  const endMs = Math.max(...trials.map((trial) => Date.parse(trial.endTime)));
  const durationS = Math.max(...trials.map((trial) => trial.durationS), (endMs - startMs) / 1000);
  const requests = trials.reduce((sum, trial) => sum + trial.requests, 0);
  const corrected = mergeEncoded(trials.map((trial) => trial.histogram));
  const uncorrected = mergeEncoded(trials.map((trial) => trial.uncorrectedHistogram));
  const merged: LoadTrial = {
    startTime: new Date(startMs).toISOString(),
    endTime: new Date(endMs).toISOString(),
    durationS,
    requestedRps: trials.reduce((sum, trial) => sum + trial.requestedRps, 0),
    actualRps: durationS > 0 ? requests / durationS : 0,
    requests,
    errors: trials.reduce((sum, trial) => sum + trial.errors, 0),
    errorsByKind: trials.reduce(
      (into, trial) => addCounts(into, trial.errorsByKind),
      {} as Record<string, number>,
    ),
    statusCodes: trials.reduce(
      (into, trial) => addCounts(into, trial.statusCodes),
      {} as Record<string, number>,
    ),
    latencyMs: summarize(corrected),
    uncorrectedLatencyMs: summarize(uncorrected),
    scheduleLagMs: {
      p50: Math.max(...trials.map((trial) => trial.scheduleLagMs.p50)),
      p99: Math.max(...trials.map((trial) => trial.scheduleLagMs.p99)),
      max: Math.max(...trials.map((trial) => trial.scheduleLagMs.max)),
    },
    histogram: encodeHistogram(corrected),
    uncorrectedHistogram: encodeHistogram(uncorrected),
    generators: trials.reduce((sum, trial) => sum + trial.generators, 0),
  };
  // Intended latency has no histogram in a trial: the worst generator's summary is kept.
  const intended = trials.map((trial) => trial.intendedLatencyMs);
  if (intended.every((summary) => summary !== undefined))
    merged.intendedLatencyMs = intended.reduce((worst, s) => (s!.p99 > worst!.p99 ? s : worst));
  const hiccups = trials.map((trial) => trial.generatorHiccups);
  if (hiccups.every((h) => h !== undefined)) merged.generatorHiccups = addHiccups(hiccups as GeneratorHiccups[]);
  const intervals = mergeIntervals(trials);
  if (intervals) merged.intervals = intervals;
  return merged;
}
