/**
 * The absolute floor (`min_delta`) a latency change must clear when the profile sets none,
 * derived from what this run can resolve instead of a constant.
 *
 * A fixed 0.5 ms floor hides every proxy-sized change: a 1 ms service that becomes 1.15 ms was
 * measured +14% (interval +13…+15%) and passed. The floor exists so that microsecond jitter never
 * fails a pull request, so it is set from the run's own resolution:
 *  - the generator's timing resolution: the median schedule lag (p50) of the trials — how late a
 *    wake-up typically is (0.02–0.08 ms here). The send side's own delay is already taken out of
 *    the gated latency (it is the generator's), so what remains in a latency is the receive
 *    side's wake-up, of the same size. Twice the lag (a first choice) made the floor 0.12–0.15 ms
 *    at 1,000 rps and passed 2 of 12 real +15% changes of a 1 ms service (+0.15 ms) on it;
 *  - the metric's spread: the standard error of the per-pair differences (robust: 1.4826 · MAD
 *    / √n), the absolute change that the trial-to-trial noise alone would produce;
 *  - a hard minimum of 0.02 ms, below which no loopback measurement is meaningful.
 * The confidence interval already decides whether a change is real; this floor only keeps a
 * statistically clear but physically meaningless difference (a few µs) from failing.
 */
import type { Variant } from '../results/schema.js';
import { median } from './descriptive.js';
import { pairTrials, pairedValues, type TrialMetric } from './pairing.js';

export const MIN_FLOOR_MS = 0.02;

export interface FloorParts {
  floorMs: number;
  resolutionMs: number;
  spreadMs: number;
}

/** Median absolute deviation scaled to a normal SD. */
function robustSd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const centre = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - centre)));
}

export function measuredFloor(baseline: Variant, current: Variant, metric: TrialMetric): FloorParts {
  const lags = [...baseline.trials, ...current.trials].map((t) => t.scheduleLagMs.p50);
  const resolutionMs = lags.length > 0 ? median(lags) : 0;
  const { pairs } = pairTrials(baseline, current);
  const values = pairedValues(pairs, metric);
  const differences = values.current
    .map((value, i) => value - values.baseline[i])
    .filter((d) => Number.isFinite(d));
  const spreadMs = differences.length > 1 ? robustSd(differences) / Math.sqrt(differences.length) : 0;
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    floorMs: round(Math.max(MIN_FLOOR_MS, resolutionMs)),
    resolutionMs: round(resolutionMs),
    spreadMs: round(spreadMs),
  };
}
