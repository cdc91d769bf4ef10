/**
 * Pairing of trials measured in the same job. The experiment runs variants in interleaved
 * rounds (A B, B A, A B … or seeded random order inside each round), so the k-th trial of one
 * variant and the k-th trial of another, both counted in run order (`sequence`), belong to the
 * same round and ran minutes apart at most: their ratio cancels the runner's slow drift.
 * Extra trials of one side (an unfinished round) are left unpaired.
 */
import type { Trial, Variant } from '../results/schema.js';
import type { LatencyMetric } from '../profile/types.js';

export interface TrialPair {
  baseline: Trial;
  current: Trial;
}

export const inRunOrder = (trials: readonly Trial[]): Trial[] =>
  [...trials].sort((a, b) => a.sequence - b.sequence || a.index - b.index);

export function pairTrials(baseline: Variant, current: Variant): { pairs: TrialPair[]; unpaired: number } {
  const a = inRunOrder(baseline.trials);
  const b = inRunOrder(current.trials);
  const count = Math.min(a.length, b.length);
  const pairs = Array.from({ length: count }, (_, i) => ({ baseline: a[i], current: b[i] }));
  return { pairs, unpaired: a.length + b.length - 2 * count };
}

export type TrialMetric = LatencyMetric | 'throughput' | 'proxyCpuMsPer1kRequests' | 'proxyMemoryMib';

/** A trial's value of a metric; undefined when it was not measured (no requests, no resources). */
export function trialValue(trial: Trial, metric: TrialMetric): number | undefined {
  switch (metric) {
    case 'throughput':
      return trial.actualRps;
    case 'proxyCpuMsPer1kRequests':
      return trial.resources?.cpuMsPer1kRequests;
    case 'proxyMemoryMib':
      return trial.resources?.memoryMibPeak;
    default:
      return trial.requests > 0 ? trial.latencyMs[metric] : undefined;
  }
}

/** Per-pair values of both sides, in run order (NaN where not measured, dropped later). */
export function pairedValues(
  pairs: readonly TrialPair[],
  metric: TrialMetric,
): { baseline: number[]; current: number[] } {
  return {
    baseline: pairs.map((pair) => trialValue(pair.baseline, metric) ?? NaN),
    current: pairs.map((pair) => trialValue(pair.current, metric) ?? NaN),
  };
}

export const variantValues = (variant: Variant, metric: TrialMetric): number[] =>
  inRunOrder(variant.trials)
    .map((trial) => trialValue(trial, metric))
    .filter((value): value is number => value !== undefined && Number.isFinite(value));

/** Closed-loop runs (requested rate 0) are the only ones where throughput is an outcome. */
export const isClosedLoop = (variant: Variant): boolean =>
  variant.trials.length > 0 && variant.trials.every((trial) => trial.requestedRps === 0);
