/**
 * Does a capacity step meet the SLO? Pure judgement of a step's trials.
 *
 * One trial is judged against each ceiling of the SLO (its percentile latency, its error share)
 * and against the rate it was asked for: a trial that completed less than
 * 1 − THROUGHPUT_SHORTFALL of the requested rate did not sustain it, whatever its latency says.
 *
 * Noise: a trial whose worst ratio to a ceiling lies within ±`borderline` of 1 (a p99 of 4.6 or
 * 5.4 ms against 5 ms with the default 10%) is borderline — one more trial could land on the
 * other side. Such a step is re-run at the same rate, up to `retries` more trials, and judged by
 * the majority of its trials (best of three by default); the first trial decides alone when it is
 * clear of the band. Both sides of the ceiling are re-run, so a lucky pass is as likely to be
 * checked as an unlucky fail and the search is not biased either way. A tie (an even number of
 * trials, possible only with an odd `retries`) counts as a fail: the SLO was not shown to hold.
 */
import type { LatencySummaryMs } from '../load/types.js';
import type { CapacitySlo, LatencyMetric } from '../profile/types.js';

/** Completing less than 90% of the requested rate fails a step (see above). */
export const THROUGHPUT_SHORTFALL = 0.1;

export interface StepTrial {
  requestedRps: number;
  actualRps: number;
  requests: number;
  errors: number;
  latencyMs: LatencySummaryMs;
}

export interface TrialJudgement {
  passed: boolean;
  borderline: boolean;
  /** What decided it, in words: "p99 4.21 ms ≤ 5 ms; errors 0.00% ≤ 0.10%". */
  reason: string;
}

const LABEL: Record<LatencyMetric, string> = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9' };
const ms = (value: number) => `${Number(value.toPrecision(3))} ms`;
const pct = (fraction: number) => `${(fraction * 100).toFixed(2)}%`;

export function judgeTrial(trial: StepTrial, slo: CapacitySlo, borderline: number): TrialJudgement {
  const parts: string[] = [];
  const ratios: number[] = [];
  for (const [metric, limitMs] of Object.entries(slo.latencyMs) as [LatencyMetric, number][]) {
    const value = trial.latencyMs[metric];
    ratios.push(value / limitMs);
    parts.push(`${LABEL[metric]} ${ms(value)} ${value <= limitMs ? '≤' : '>'} ${ms(limitMs)}`);
  }
  const errorRate = trial.requests > 0 ? trial.errors / trial.requests : 1;
  // A ceiling of 0 errors has no band: one error is a fail, not a hair's breadth.
  const errorRatio = slo.errorRate > 0 ? errorRate / slo.errorRate : errorRate > 0 ? Infinity : 0;
  ratios.push(errorRatio);
  parts.push(`errors ${pct(errorRate)} ${errorRatio <= 1 ? '≤' : '>'} ${pct(slo.errorRate)}`);
  const sustained = trial.requestedRps <= 0 || trial.actualRps >= trial.requestedRps * (1 - THROUGHPUT_SHORTFALL);
  if (!sustained)
    parts.push(`completed ${Math.round(trial.actualRps)} of ${Math.round(trial.requestedRps)} requests/s`);
  const worst = Math.max(...ratios);
  return {
    passed: sustained && worst <= 1,
    borderline: sustained && Number.isFinite(worst) && Math.abs(worst - 1) <= borderline,
    reason: parts.join('; '),
  };
}

export type StepVerdict = 'pass' | 'fail';

/**
 * The verdict of a step from its trials so far, or undefined when another trial is needed:
 * the first trial alone unless borderline, else the majority of 1 + `retries` trials.
 */
export function judgeStep(trials: readonly TrialJudgement[], retries: number): StepVerdict | undefined {
  if (trials.length === 0) return undefined;
  if (!trials[0].borderline || retries === 0) return trials[0].passed ? 'pass' : 'fail';
  const planned = 1 + retries;
  const majority = Math.floor(planned / 2) + 1;
  const passes = trials.filter((t) => t.passed).length;
  const fails = trials.length - passes;
  if (passes >= majority) return 'pass';
  if (fails >= majority || trials.length >= planned) return 'fail';
  return undefined;
}
