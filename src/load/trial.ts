/** Assembles worker results into one LoadTrial: histograms added count for count, counts summed. */
import { decodeHistogram, encodeHistogram, mergeEncoded, summarize, type Histogram } from './histogram.js';
import type { WorkerResult } from './recorder.js';
import type { GeneratorHiccups, LoadJob, LoadTrial } from './types.js';

export function addCounts(
  target: Record<string, number>,
  source: Record<string, number>,
): Record<string, number> {
  for (const [key, count] of Object.entries(source)) target[key] = (target[key] ?? 0) + count;
  return target;
}

const ms3 = (us: number) => Math.round(us) / 1000;

export function lagSummaryMs(lag: Histogram): LoadTrial['scheduleLagMs'] {
  if (lag.totalCount === 0) return { p50: 0, p99: 0, max: 0 };
  return {
    p50: ms3(lag.getValueAtPercentile(50)),
    p99: ms3(lag.getValueAtPercentile(99)),
    max: ms3(lag.maxValue),
  };
}

/** Hiccups of several generators: counts and totals add up, the longest pause is kept. */
export function addHiccups(list: readonly GeneratorHiccups[]): GeneratorHiccups {
  const sum = (f: (h: GeneratorHiccups) => number) => list.reduce((total, h) => total + f(h), 0);
  return {
    count: sum((h) => h.count),
    totalMs: Math.round(sum((h) => h.totalMs) * 1000) / 1000,
    maxMs: Math.max(0, ...list.map((h) => h.maxMs)),
    requests: sum((h) => h.requests),
    answers: sum((h) => h.answers ?? 0),
  };
}

/** Per-interval histograms merged by interval index. */
export function mergeIntervals(
  lists: { index: number; histogram: string }[][],
  intervalMs: number,
): LoadTrial['intervals'] {
  const byIndex = new Map<number, Histogram>();
  for (const list of lists)
    for (const { index, histogram } of list) {
      const decoded = decodeHistogram(histogram);
      const existing = byIndex.get(index);
      if (existing) existing.add(decoded);
      else byIndex.set(index, decoded);
    }
  return [...byIndex]
    .sort(([a], [b]) => a - b)
    .map(([index, histogram]) => ({
      startOffsetMs: index * intervalMs,
      histogram: encodeHistogram(histogram),
    }));
}

/** `windowStartEpochMs`: wall-clock start of the measured part. */
export function assembleTrial(job: LoadJob, windowStartEpochMs: number, results: WorkerResult[]): LoadTrial {
  const corrected = mergeEncoded(results.map((r) => r.histogram));
  const uncorrected = mergeEncoded(results.map((r) => r.uncorrectedHistogram));
  const lag = mergeEncoded(results.map((r) => r.lagHistogram));
  const intended = mergeEncoded(results.map((r) => r.intendedHistogram));
  const requests = results.reduce((sum, r) => sum + r.requests, 0);
  const errorsByKind: Record<string, number> = {};
  const statusCodes: Record<string, number> = {};
  for (const r of results) {
    addCounts(errorsByKind, r.errorsByKind);
    addCounts(statusCodes, r.statusCodes);
  }
  // A generator that fell behind sent its last request after the planned end: the measured
  // part lasted that long, and the achieved rate is lower than requested.
  const lastSendS = Math.max(...results.map((r) => r.lastSendOffsetMs)) / 1000;
  const durationS = Math.max(job.durationS, lastSendS);
  const trial: LoadTrial = {
    startTime: new Date(windowStartEpochMs).toISOString(),
    endTime: new Date(windowStartEpochMs + durationS * 1000).toISOString(),
    durationS: Math.round(durationS * 1000) / 1000,
    requestedRps: job.rps,
    actualRps: Math.round((requests / durationS) * 10) / 10,
    requests,
    errors: Object.values(errorsByKind).reduce((a, b) => a + b, 0),
    errorsByKind,
    statusCodes,
    latencyMs: summarize(corrected),
    intendedLatencyMs: summarize(intended),
    uncorrectedLatencyMs: summarize(uncorrected),
    scheduleLagMs: lagSummaryMs(lag),
    generatorHiccups: addHiccups(results.map((r) => r.hiccups)),
    histogram: encodeHistogram(corrected),
    uncorrectedHistogram: encodeHistogram(uncorrected),
    generators: results.length,
  };
  if (job.intervalMs && job.intervalMs > 0)
    trial.intervals = mergeIntervals(
      results.map((r) => r.intervals),
      job.intervalMs,
    );
  return trial;
}
