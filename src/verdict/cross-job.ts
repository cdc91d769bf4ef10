/**
 * Comparison with a stored baseline from another job. Raw latencies are never compared across
 * jobs: on shared runners the same code moves 10–60% between jobs. Instead each job measures a
 * ratio inside itself, paired by run order, and the two ratios are compared (a ratio of ratios):
 *  - overhead trend:  (<build>/<mesh> ÷ <build>/none) now  vs  the same ratio in the baseline run;
 *  - application:     (head/<mesh> ÷ reference) now  vs  (same variant ÷ reference) then, where the
 *                     reference is a variant that did not change between the jobs (by default the
 *                     built-in sample server measured in both runs, i.e. a `sample` build with the
 *                     same settings in both profiles, without a mesh).
 * The ratio of ratios cancels a runner that is uniformly faster or slower. It does not cancel
 * noise that hits one variant and not the other, and it carries both jobs' noise, so its interval
 * (Welch, on the two jobs' per-pair log-ratios) is wider than a same-job one; rows are labelled
 * `cross-job`. When the job also compared head with base directly, those rows decide and the
 * cross-job rows are reported only.
 */
import type { LatencyMetric, ThresholdSpec } from '../profile/types.js';
import type { Results, Variant } from '../results/schema.js';
import type { DecisionRule } from './rule.js';
import { median } from '../stats/descriptive.js';
import { increaseThreshold } from './paired.js';
import { crossJobEffect, logRatios } from '../stats/effect.js';
import { measuredFloor } from '../stats/noise-floor.js';
import { pairTrials, pairedValues, variantValues } from '../stats/pairing.js';
import { ratioRow } from './ratio-row.js';
import type { VerdictRow } from './schema.js';

const METRICS: readonly LatencyMetric[] = ['p50', 'p90', 'p99', 'p999'];

export interface CrossJobInput {
  current: Results;
  baseline: Results;
  /** Variant id of the calibration reference; default: detected (see findReference). */
  reference?: string;
  thresholds: Partial<Record<LatencyMetric, ThresholdSpec>>;
  /** Whether these rows gate (false when same-job build rows exist). */
  gating: boolean;
  /**
   * Variants whose overhead-trend rows gate whatever `gating` says: a mesh with mesh-wide install
   * values has no same-job head-vs-base comparison, so the baseline is its only judge.
   */
  alwaysGating?: ReadonlySet<string>;
  confidence: number;
  rule: DecisionRule;
}

const byId = (results: Results, id: string): Variant | undefined => results.variants.find((v) => v.id === id);

const buildSpec = (results: Results, build: string): unknown =>
  (results.profile as { workload?: { builds?: Record<string, unknown> } }).workload?.builds?.[build];

/** A `none` variant present in both runs whose build is the same built-in sample server in both. */
export function findReference(current: Results, baseline: Results): string | undefined {
  for (const variant of current.variants) {
    if (variant.mesh !== 'none' || !byId(baseline, variant.id)) continue;
    const now = buildSpec(current, variant.build) as { kind?: string } | undefined;
    const then = buildSpec(baseline, variant.build);
    if (now?.kind === 'sample' && JSON.stringify(now) === JSON.stringify(then)) {
      const others = current.variants.some((v) => v.build !== variant.build);
      if (others) return variant.id;
    }
  }
  return undefined;
}

function ratioRows(
  input: CrossJobInput,
  now: { numerator: Variant; denominator: Variant },
  then: { numerator: Variant; denominator: Variant },
  comparedWith: string,
  gating = input.gating,
): VerdictRow[] {
  return METRICS.map((metric) => {
    const nowValues = pairedValues(pairTrials(now.denominator, now.numerator).pairs, metric);
    const thenValues = pairedValues(pairTrials(then.denominator, then.numerator).pairs, metric);
    const nowRatios = logRatios(nowValues.baseline, nowValues.current);
    const thenRatios = logRatios(thenValues.baseline, thenValues.current);
    const effect = crossJobEffect(nowRatios, thenRatios, input.confidence, input.rule);
    const spec = input.thresholds[metric];
    // For min_delta: the current level as it would be had the ratio not changed.
    const absoluteLevel = median(variantValues(now.numerator, metric)) / Math.exp(effect.estimate);
    return ratioRow({
      comparison: 'cross-job',
      metric,
      unit: 'ratio',
      variant: `${now.numerator.id} ÷ ${now.denominator.id}`,
      comparedWith,
      baselineValues: thenRatios.map(Math.exp),
      currentValues: nowRatios.map(Math.exp),
      absoluteLevel,
      effect,
      effectAt: (confidence) => crossJobEffect(nowRatios, thenRatios, confidence, input.rule),
      confidence: input.confidence,
      threshold: spec
        ? increaseThreshold(spec, () => measuredFloor(now.denominator, now.numerator, metric).floorMs)
        : null,
      gating,
      rule: input.rule,
    });
  });
}

export function compareCrossJob(input: CrossJobInput): {
  checks: VerdictRow[];
  notes: string[];
  reference?: string;
} {
  const { current, baseline } = input;
  const checks: VerdictRow[] = [];
  const notes: string[] = [];
  const heads = current.variants.filter((v) => v.build === 'head');

  // Overhead trend: every mesh variant of the head build against its `none`.
  for (const meshVariant of heads.filter((v) => v.mesh !== 'none')) {
    const none = byId(current, 'head/none');
    if (!none) continue;
    const thenBuild = ['head', 'base'].find(
      (b) => byId(baseline, `${b}/${meshVariant.mesh}`) && byId(baseline, `${b}/none`),
    );
    if (!thenBuild) {
      notes.push(
        `The baseline run has no ${meshVariant.mesh} and none variants of one build: overhead trend of ${meshVariant.id} not compared.`,
      );
      continue;
    }
    const thenNumerator = byId(baseline, `${thenBuild}/${meshVariant.mesh}`)!;
    const thenDenominator = byId(baseline, `${thenBuild}/none`)!;
    checks.push(
      ...ratioRows(
        input,
        { numerator: meshVariant, denominator: none },
        { numerator: thenNumerator, denominator: thenDenominator },
        `baseline run: ${thenNumerator.id} ÷ ${thenDenominator.id}`,
        input.gating || (input.alwaysGating?.has(meshVariant.id) ?? false),
      ),
    );
  }

  // Application: head variants relative to a calibration reference measured in both runs.
  const reference = input.reference ?? findReference(current, baseline);
  const referenceNow = reference ? byId(current, reference) : undefined;
  const referenceThen = reference ? byId(baseline, reference) : undefined;
  if (reference && (!referenceNow || !referenceThen)) {
    notes.push(`Reference variant ${reference} is not in both runs: application not compared across jobs.`);
  } else if (referenceNow && referenceThen) {
    for (const variant of heads.filter((v) => v.id !== reference && v.build !== referenceNow.build)) {
      const counterpart = byId(baseline, variant.id);
      if (!counterpart) {
        notes.push(`The baseline run has no ${variant.id}: not compared across jobs.`);
        continue;
      }
      checks.push(
        ...ratioRows(
          input,
          { numerator: variant, denominator: referenceNow },
          { numerator: counterpart, denominator: referenceThen },
          `baseline run: ${counterpart.id} ÷ ${reference}`,
        ),
      );
    }
  } else if (!heads.some((v) => v.mesh !== 'none')) {
    notes.push(
      'No calibration reference (the same built-in sample server in both runs) and no mesh variant: nothing can be compared with the baseline run without comparing raw latencies across jobs.',
    );
  }
  return { checks, notes, reference };
}
