/**
 * Error-rate rows, judged on counts over all trials of a variant (errors are rare events; the
 * per-trial view would be mostly zeros). A rate fails only when it is above the profile's
 * allowance (`error_rate.max`) *and* the excess is significant: against the compared variant by a
 * one-sided Fisher exact test, or, without one, against the allowance by an exact binomial test.
 */
import type { Variant } from '../results/schema.js';
import { binomialTestGreater, fisherGreater, wilsonInterval } from '../stats/counts.js';
import { coefficientOfVariation, sum } from '../stats/descriptive.js';
import {
  finiteOrNull,
  type VerdictRow,
  type ComparisonKind,
  type RowVerdict,
  type Undecided,
} from './schema.js';

export interface ErrorRateInput {
  comparison: ComparisonKind;
  current: Variant;
  /** The variant compared with; absent = only the absolute allowance applies. */
  baseline?: Variant;
  maxRate: number;
  confidence: number;
}

const totals = (variant: Variant) => ({
  errors: sum(variant.trials.map((trial) => trial.errors)),
  requests: sum(variant.trials.map((trial) => trial.requests)),
  perTrialRates: variant.trials.map((trial) => (trial.requests > 0 ? trial.errors / trial.requests : 0)),
});

const percent = (rate: number) => `${(rate * 100).toPrecision(2)}%`;
const pValueText = (p: number) => (p < 1e-4 ? 'p < 0.0001' : `p = ${p.toPrecision(2)}`);

export function errorRateRow(input: ErrorRateInput): VerdictRow {
  const now = totals(input.current);
  const then = input.baseline ? totals(input.baseline) : undefined;
  const rate = now.requests > 0 ? now.errors / now.requests : NaN;
  const baselineRate = then && then.requests > 0 ? then.errors / then.requests : NaN;
  // One-sided at α/2, matching the lower bound of the two-sided latency intervals.
  const alpha = (1 - input.confidence) / 2;
  const allowance = `the ${percent(input.maxRate)} allowance`;
  let verdict: RowVerdict;
  let reason: string;
  let canExtend = false;
  let undecided: Undecided | undefined;
  let pValue: number | null = null;
  const interval = wilsonInterval(now.errors, now.requests, input.confidence);
  // A pass means judged: a rate within the allowance whose upper bound is above it could not have
  // told a rate over the allowance from this one (one-sided α/2, as the tests below).
  const bound = `its ${(input.confidence * 100).toFixed(1)}% upper bound is ${percent(interval.upper)}`;

  if (now.requests === 0) {
    verdict = 'inconclusive';
    reason = 'no requests completed: not measured';
    undecided = 'not-measured';
  } else if (rate <= input.maxRate && interval.upper > input.maxRate) {
    verdict = 'inconclusive';
    reason = `${now.errors === 0 ? 'no errors' : `${percent(rate)} errors (${now.errors} of ${now.requests})`} in ${now.requests} requests, but ${bound}, above ${allowance}: too noisy to judge`;
    canExtend = true;
    undecided = 'too-noisy';
  } else if (now.errors === 0) {
    verdict = 'pass';
    reason = `no errors in ${now.requests} requests`;
  } else if (rate <= input.maxRate) {
    verdict = 'pass';
    reason = `${percent(rate)} errors (${now.errors} of ${now.requests}), within ${allowance}`;
  } else if (then && then.requests > 0) {
    pValue = fisherGreater(then.errors, then.requests, now.errors, now.requests);
    if (pValue < alpha) {
      verdict = 'regression';
      reason = `${percent(rate)} errors vs ${percent(baselineRate)} on ${input.baseline!.id} (Fisher ${pValueText(pValue)}), above ${allowance}`;
    } else if (baselineRate > input.maxRate) {
      verdict = 'inconclusive';
      reason = `${percent(rate)} errors, above ${allowance}, but ${input.baseline!.id} has as many (${percent(baselineRate)}): not yet shown to come from this change`;
      undecided = 'not-yet-shown';
    } else {
      verdict = 'inconclusive';
      reason = `${percent(rate)} errors, above ${allowance}, but too few to be sure they exceed ${input.baseline!.id}'s ${percent(baselineRate)} (Fisher ${pValueText(pValue)})`;
      canExtend = true;
      undecided = 'not-yet-shown';
    }
  } else {
    pValue = binomialTestGreater(now.errors, now.requests, input.maxRate);
    if (pValue < alpha) {
      verdict = 'regression';
      reason = `${percent(rate)} errors (${now.errors} of ${now.requests}), above ${allowance} (binomial ${pValueText(pValue)})`;
    } else {
      verdict = 'inconclusive';
      reason = `${percent(rate)} errors, above ${allowance}, but too few requests to be sure (binomial ${pValueText(pValue)})`;
      canExtend = true;
      undecided = 'not-yet-shown';
    }
  }
  return {
    id: `${input.comparison}:${input.current.id}:errorRate`,
    comparison: input.comparison,
    metric: 'errorRate',
    unit: 'fraction',
    variant: input.current.id,
    comparedWith: input.baseline?.id ?? `allowance ${percent(input.maxRate)}`,
    baseline: then ? finiteOrNull(baselineRate) : null,
    current: finiteOrNull(rate),
    change: null,
    changeLower: null,
    changeUpper: null,
    confidence: input.confidence,
    currentInterval: interval,
    threshold: { kind: 'rate', max: input.maxRate },
    noise: {
      baselineCv: then ? finiteOrNull(coefficientOfVariation(then.perTrialRates)) : null,
      currentCv: finiteOrNull(coefficientOfVariation(now.perTrialRates)),
    },
    pairs: input.current.trials.length,
    pValue,
    gating: true,
    verdict,
    reason,
    canExtend,
    ...(undecided ? { undecided } : {}),
  };
}
