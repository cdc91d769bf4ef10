/** Turning an effect and its judgement into a verdict row. */
import { judgeRatio, levelText, noisyRowConfidence, type DecisionRule, type RatioJudgement } from './rule.js';
import type { RatioEffect } from '../stats/effect.js';
import { coefficientOfVariation, median } from '../stats/descriptive.js';
import { metricName } from './metric-names.js';
import {
  finiteOrNull,
  type VerdictRow,
  type RowMetric,
  type ComparisonKind,
  type Threshold,
} from './schema.js';
import { plusMinusPercent, signedPercent } from '../util/numbers.js';

export interface RatioRowInput {
  comparison: ComparisonKind;
  metric: RowMetric;
  unit: VerdictRow['unit'];
  variant: string;
  comparedWith: string;
  /** Per-trial values of each side, for the shown levels and the noise column. */
  baselineValues: readonly number[];
  currentValues: readonly number[];
  /** Levels when they are not the medians of the values; `current` is used only when there is no change to apply. */
  levels?: { baseline: number; current: number };
  /** Level in the threshold's unit that a relative change applies to (for min_delta). */
  absoluteLevel?: number;
  effect: RatioEffect;
  /** The same effect's interval at another level, for a row noisier than its threshold. */
  effectAt?: (confidence: number) => RatioEffect;
  confidence: number;
  threshold: Threshold | null;
  gating: boolean;
  rule: DecisionRule;
  notes?: string;
}

/**
 * The smallest true change this row's interval would have called real: its half-width, as a
 * fraction. A pass with ±40% here means "this run could not tell", not "no change".
 */
export function minimumDetectableChange(effect: RatioEffect): number {
  const halfWidth = (effect.upper - effect.lower) / 2;
  return Number.isFinite(halfWidth) ? Math.exp(halfWidth) - 1 : Infinity;
}

/**
 * The effect a gated row is judged on: at the look's level, or, when the bulk of its pairs spreads
 * wider than the threshold, at the stricter level of verdict/rule.ts's noisy rows.
 */
function judgedEffect(
  input: RatioRowInput,
  theta: number | null,
): { effect: RatioEffect; confidence: number; noisy: boolean } {
  const { effect, confidence, rule } = input;
  const stricter = noisyRowConfidence(confidence, rule);
  if (!input.gating || theta === null || !input.effectAt || stricter <= confidence || effect.pairs < 2)
    return { effect, confidence, noisy: false };
  const bulk = effect.bulkHalfWidth ?? (effect.upper - effect.lower) / 2;
  if (!(Math.expm1(bulk) > theta * rule.noisyFrom)) return { effect, confidence, noisy: false };
  return { effect: input.effectAt(stricter), confidence: stricter, noisy: true };
}

export function ratioRow(input: RatioRowInput): VerdictRow {
  const baselineLevel = input.levels?.baseline ?? median(input.baselineValues);
  const { threshold } = input;
  // θ of a ratio threshold: max_increase, or max_decrease when lower is worse.
  const theta =
    threshold?.kind === 'increase'
      ? threshold.maxIncrease
      : threshold?.kind === 'decrease'
        ? threshold.maxDecrease
        : null;
  const { effect, confidence, noisy } = judgedEffect(input, theta);
  const change = Math.exp(effect.estimate) - 1;
  // The "after" is the judged change applied to the "before" (ONE-NUMBER decision): before, after
  // and change then agree arithmetically on every surface. The median of the current side's
  // trials is a different quantity (the variant table's); it stands in only when there is no
  // change to apply (a level reported alone).
  const currentLevel =
    Number.isFinite(baselineLevel) && Number.isFinite(change)
      ? baselineLevel * (1 + change)
      : (input.levels?.current ?? median(input.currentValues));
  const label = metricName(input.metric);
  let judgement: RatioJudgement;
  if (theta !== null && threshold && (threshold.kind === 'increase' || threshold.kind === 'decrease')) {
    judgement = judgeRatio({
      effect,
      label,
      worse: threshold.kind === 'increase' ? 'higher' : 'lower',
      threshold: theta,
      minDelta: threshold.kind === 'increase' ? threshold.minDelta : 0,
      level: input.absoluteLevel ?? baselineLevel,
      unit: input.unit,
      rule: input.rule,
    });
  } else if (effect.pairs < 2 || !Number.isFinite(effect.estimate)) {
    judgement = {
      verdict: 'info' as const,
      reason: `${effect.pairs} trial pair(s): not enough to estimate the noise; reported only`,
      canExtend: false,
    };
  } else {
    const significant = effect.lower > 0 || effect.upper < 0;
    const ci = `CI ${signedPercent(Math.exp(effect.lower) - 1)} to ${signedPercent(Math.exp(effect.upper) - 1)}`;
    judgement = {
      verdict: 'info' as const,
      reason: `${signedPercent(change)} (${ci})${significant ? ', a real change' : ''}; no threshold, reported only`,
      canExtend: false,
    };
  }
  const gating = input.gating && threshold !== null;
  const detectable = minimumDetectableChange(effect);
  // A pass means judged: a row that could not have seen a change of θ is "too noisy to judge"
  // (issue #34), unless even that change is below the absolute floor (min_delta).
  const floor = threshold?.kind === 'increase' ? threshold.minDelta : 0;
  const level = input.absoluteLevel ?? baselineLevel;
  if (
    gating &&
    theta !== null &&
    judgement.verdict === 'pass' &&
    detectable > theta &&
    !(floor > 0 && Math.abs(level * detectable) <= floor)
  )
    judgement = {
      verdict: 'inconclusive',
      reason: `${signedPercent(change)} measured (CI ${signedPercent(Math.exp(effect.lower) - 1)} to ${signedPercent(Math.exp(effect.upper) - 1)}), but this run could only detect a change of ${plusMinusPercent(detectable)} or more, wider than the ${(theta * 100).toFixed(0)}% threshold: too noisy to judge`,
      canExtend: true,
      undecided: 'too-noisy',
    };
  if (noisy)
    judgement = {
      ...judgement,
      reason: `${judgement.reason} (judged at ${levelText(confidence)}, not ${levelText(input.confidence)}: its pairs spread wider than its threshold)`,
    };
  return {
    id: `${input.comparison}:${input.variant}:${input.metric}`,
    comparison: input.comparison,
    metric: input.metric,
    unit: input.unit,
    variant: input.variant,
    comparedWith: input.comparedWith,
    baseline: finiteOrNull(baselineLevel),
    current: finiteOrNull(currentLevel),
    change: finiteOrNull(change),
    changeLower: finiteOrNull(Math.exp(effect.lower) - 1),
    changeUpper: finiteOrNull(Math.exp(effect.upper) - 1),
    confidence,
    ...(noisy ? { lookConfidence: input.confidence } : {}),
    threshold,
    noise: {
      baselineCv: finiteOrNull(coefficientOfVariation(input.baselineValues)),
      currentCv: finiteOrNull(coefficientOfVariation(input.currentValues)),
    },
    minimumDetectableChange: finiteOrNull(detectable),
    pairs: effect.pairs,
    gating,
    verdict: gating ? judgement.verdict : 'info',
    reason: gating || judgement.verdict === 'info' ? judgement.reason : `${judgement.reason} (reported only)`,
    canExtend: gating && judgement.canExtend,
    ...(gating && judgement.verdict === 'inconclusive' && judgement.undecided
      ? { undecided: judgement.undecided }
      : {}),
  };
}
