/**
 * A data plane's own cost against a ceiling (gate.overhead.cpu, gate.overhead.memory). The
 * overhead of latency is a ratio to `none`; for CPU and memory that ratio does not exist (none
 * runs no proxy, its cost is 0), so the proxy's per-trial level is judged against an absolute
 * ceiling, in the gate's significant-and-material form:
 *   d_i = ln(level_i / ceiling) per trial; the centre and interval of the d_i as for latency
 *   pairs (the profile's rule: trimmed mean, Yuen's interval …);
 *   regression   the estimate is above the ceiling and the whole interval too (real and material);
 *   inconclusive the estimate is above the ceiling, the interval still reaches below it;
 *   pass         the estimate is at or under the ceiling.
 * A level under the ceiling passes even when its interval reaches above it: the ceiling is a
 * budget, and failing a budget that was met on the evidence would make every noisy run red.
 */
import type { RatioEffect } from '../stats/effect.js';
import type { DecisionRule } from './rule.js';
import { coefficientOfVariation, median } from '../stats/descriptive.js';
import { pairedEffect } from '../stats/effect.js';
import { minimumDetectableChange } from './ratio-row.js';
import { finiteOrNull, type VerdictRow, type RowVerdict, type Undecided } from './schema.js';

export interface CeilingInput {
  variant: string;
  metric: 'proxyCpuMsPer1kRequests' | 'proxyMemoryMib';
  unit: 'ms/1k requests' | 'MiB';
  /** Per-trial levels of the variant, in `unit`. */
  values: readonly number[];
  max: number;
  confidence: number;
  rule: DecisionRule;
}

const amount = (value: number, unit: string) =>
  `${value < 10 ? value.toPrecision(2) : value.toFixed(0)} ${unit}`;

function judgeCeiling(
  effect: RatioEffect,
  input: CeilingInput,
): { verdict: RowVerdict; reason: string; canExtend: boolean; undecided?: Undecided } {
  // Short: the amount that follows carries the unit ("80 ms/1k requests").
  const label = input.metric === 'proxyCpuMsPer1kRequests' ? 'proxy CPU' : 'proxy memory';
  const ceiling = `the ${amount(input.max, input.unit)} ceiling`;
  if (effect.pairs < 2)
    return {
      verdict: 'inconclusive',
      reason: `only ${effect.pairs} trial: the noise cannot be estimated, too noisy to judge`,
      canExtend: true,
      undecided: 'too-noisy',
    };
  const level = input.max * Math.exp(effect.estimate);
  const ci = `CI ${amount(input.max * Math.exp(effect.lower), input.unit)} to ${amount(input.max * Math.exp(effect.upper), input.unit)}`;
  if (effect.estimate > 0 && effect.lower > 0)
    return {
      verdict: 'regression',
      reason: `${label} ${amount(level, input.unit)} (${ci}) is above ${ceiling}`,
      canExtend: false,
    };
  if (effect.estimate > 0)
    return {
      verdict: 'inconclusive',
      reason: `${label} ${amount(level, input.unit)} is above ${ceiling}, but the interval (${ci}) still reaches below it`,
      canExtend: true,
      undecided: 'not-yet-shown',
    };
  // A pass means judged: below the ceiling, and the interval too (an absolute row's bound).
  if (effect.upper > 0)
    return {
      verdict: 'inconclusive',
      reason: `${label} ${amount(level, input.unit)} is below ${ceiling}, but the interval (${ci}) reaches above it: too noisy to judge`,
      canExtend: true,
      undecided: 'too-noisy',
    };
  return {
    verdict: 'pass',
    reason: `${label} ${amount(level, input.unit)} (${ci}), within ${ceiling}`,
    canExtend: false,
  };
}

export function ceilingRow(input: CeilingInput): VerdictRow {
  const logs = input.values.filter((v) => v > 0 && Number.isFinite(v)).map((v) => Math.log(v / input.max));
  const effect = pairedEffect(logs, input.confidence, input.rule);
  const { verdict, reason, canExtend, undecided } = judgeCeiling(effect, input);
  return {
    id: `overhead:${input.variant}:${input.metric}:ceiling`,
    comparison: 'overhead',
    metric: input.metric,
    unit: input.unit,
    variant: input.variant,
    comparedWith: 'ceiling (none runs no proxy)',
    baseline: input.max,
    current: finiteOrNull(median(input.values)),
    change: finiteOrNull(Math.exp(effect.estimate) - 1),
    changeLower: finiteOrNull(Math.exp(effect.lower) - 1),
    changeUpper: finiteOrNull(Math.exp(effect.upper) - 1),
    confidence: input.confidence,
    threshold: { kind: 'ceiling', max: input.max },
    noise: { baselineCv: null, currentCv: finiteOrNull(coefficientOfVariation(input.values)) },
    minimumDetectableChange: finiteOrNull(minimumDetectableChange(effect)),
    pairs: effect.pairs,
    gating: true,
    verdict,
    reason,
    canExtend,
    ...(undecided ? { undecided } : {}),
  };
}
