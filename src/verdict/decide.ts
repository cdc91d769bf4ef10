/**
 * The gate's verdict for one results file (and optionally a stored baseline from another job).
 *
 * Sequential use, by the experiment runner:
 *   const looks = planLooks(profile.trials, profile.maxTrials);        // e.g. [6, 9, 12]
 *   for (let look = 1; ; look++) {
 *     await runUntil(looks[look - 1]);                                  // trials per variant
 *     verdict = decide(results, { baseline, look, maxLooks: looks.length });
 *     if (!needsMoreTrials(verdict)) break;
 *   }
 * Every look uses the same reduced confidence level (sequential.ts), so deciding up to
 * `maxLooks` times keeps the false-alarm rate of a single decision.
 */
import type { GateSpec } from '../profile/types.js';
import type { Results, Variant } from '../results/schema.js';
import { capacitySpecOf, isCapacityRun } from '../capacity/describe.js';
import { capacityEvidence, capacityPart } from '../capacity/gate-part.js';
import { comparePaired, resourceRows } from './paired.js';
import { costChanges, costNotes } from './cost-functions.js';
import { costRows } from './cost.js';
import { compareCrossJob } from './cross-job.js';
import { DEFAULT_RULE, describeRule, type DecisionRule } from './rule.js';
import { errorRateRow } from './error-rate.js';
import { gateOf } from './gate-spec.js';
import { rowSentence } from './metric-names.js';
import { efficiencyNotes } from './notes/efficiency.js';
import { dataPlaneMethodNotes, meshWideVariants } from '../stats/data-plane-method.js';
import { generatorNotes } from './notes/generator-health.js';
import { noisyRegressionNotes } from './notes/noise.js';
import { tailNotes } from './notes/tail-samples.js';
import { importedPrecisionNotes } from './notes/imported-precision.js';
import { confidencePerLook } from '../stats/sequential.js';
import { VERDICT_SCHEMA, type VerdictRow, type OverallVerdict, type Verdict } from './schema.js';

export interface DecideOptions {
  /** A results file from another job (e.g. the PR's merge base) to compare with. */
  baseline?: Results;
  /** 1-based index of this decision among the planned looks (default 1). */
  look?: number;
  /** Planned looks, including this one (default 1: no sequential extension). */
  maxLooks?: number;
  /** Override the gate embedded in the results' profile. */
  gate?: GateSpec;
  /** Calibration variant id for cross-job comparisons (default: detected). */
  reference?: string;
  /** Override the decision rule (benchmarks and simulations). */
  rule?: Partial<DecisionRule>;
}

export function decide(results: Results, options: DecideOptions = {}): Verdict {
  const gate = options.gate ?? gateOf(results);
  const rule = { ...DEFAULT_RULE, ...options.rule };
  const maxLooks = Math.max(1, options.maxLooks ?? 1);
  const look = Math.min(Math.max(1, options.look ?? 1), maxLooks);
  const confidence = confidencePerLook(gate.confidence, maxLooks);
  const byId = new Map(results.variants.map((v) => [v.id, v] as const));
  // A capacity run's trials are steps at different rates, not repeated trials of one: its rows
  // compare the capacities the searches found (capacity/gate-part.ts), not paired trials.
  const capacity = isCapacityRun(results) ? capacityPart(results, gate) : undefined;
  const heads = capacity ? [] : results.variants.filter((v) => v.build === 'head');
  const checks: VerdictRow[] = [...(capacity?.checks ?? [])];
  // First: what the numbers below can be, before what they say.
  const notes: string[] = [...importedPrecisionNotes(results), ...(capacity?.notes ?? [])];

  for (const head of heads) {
    const base = byId.get(`base/${head.mesh}`);
    if (base)
      checks.push(
        ...comparePaired({
          kind: 'build',
          baseline: base,
          current: head,
          thresholds: gate.latency,
          gate,
          confidence,
          rule,
        }),
      );
  }
  for (const head of heads.filter((v) => v.mesh !== 'none')) {
    const none = byId.get('head/none');
    if (none)
      checks.push(
        ...comparePaired({
          kind: 'overhead',
          baseline: none,
          current: head,
          thresholds: gate.overhead,
          gate,
          confidence,
          rule,
        }),
      );
    checks.push(...resourceRows(head, byId.get(`base/${head.mesh}`), confidence, rule, gate));
  }
  for (const head of heads) checks.push(errorRateRow(errorComparison(head, byId, gate, confidence)));
  if (!capacity) checks.push(...costRows(results, gate, confidence, rule));

  let baselineInfo: Verdict['baseline'] = null;
  if (options.baseline && capacity)
    notes.push(
      'A capacity run is compared within its own job only; the baseline from another job was not used.',
    );
  if (options.baseline && !capacity) {
    const sameJobBuildRows = checks.some((c) => c.comparison === 'build' && c.gating);
    const crossJob = compareCrossJob({
      current: results,
      baseline: options.baseline,
      reference: options.reference,
      thresholds: gate.latency,
      gating: !sameJobBuildRows,
      alwaysGating: meshWideVariants(results),
      confidence,
      rule,
    });
    checks.push(...crossJob.checks);
    notes.push(...crossJob.notes);
    if (crossJob.checks.some((c) => !c.gating) && sameJobBuildRows)
      notes.push('Head and base were compared in this job; the cross-job rows are reported only.');
    // A note, not a verdict: comparing two profiles on purpose (a new load level against the old
    // one, say) is legitimate; doing it by mistake should be visible. Names are [a-z0-9-]+.
    if (options.baseline.profile.name !== results.profile.name)
      notes.push(
        `The baseline comes from profile ${options.baseline.profile.name}, not ${results.profile.name}: its load and settings may differ.`,
      );
    baselineInfo = {
      profile: options.baseline.profile.name,
      createdAt: options.baseline.createdAt,
      sha: options.baseline.environment.git?.sha,
      reference: crossJob.reference,
    };
  }
  if (!capacity && !checks.some((c) => c.gating && c.metric !== 'errorRate'))
    notes.push(
      'No latency comparison gated this run: add a base build, a mesh with overhead thresholds, or a baseline.',
    );

  if (capacity) {
    // Notes on the trials the capacities rest on, judged against the SLO's percentiles.
    const evidence = capacityEvidence(results);
    const sloGate = { ...gate, latency: capacitySloThresholds(results), overhead: {} };
    notes.push(...tailNotes(evidence, sloGate), ...generatorNotes(evidence));
  } else {
    notes.push(...tailNotes(results, gate), ...generatorNotes(results));
    notes.push(...dataPlaneMethodNotes(results, options.baseline));
    notes.push(...efficiencyNotes(results, checks));
    notes.push(...noisyRegressionNotes(checks, gate.confidence, rule));
    notes.push(...costNotes(results, checks));
  }
  const changes = capacity ? [] : costChanges(results);
  if (results.incomplete)
    notes.push(
      // The reason stays in results.json: it is free text, and notes are rendered as markdown.
      `This run ended early: ${results.incomplete.completedTrials} trials were completed (see incomplete.reason in results.json).`,
    );
  const { verdict, reason } = overall(checks);
  const moreTrialsCouldResolve =
    verdict === 'inconclusive' &&
    look < maxLooks &&
    checks.some((c) => c.gating && c.verdict === 'inconclusive' && c.canExtend);
  return {
    schema: VERDICT_SCHEMA,
    verdict,
    reason,
    checks,
    sequential: { look, maxLooks, confidence, moreTrialsCouldResolve },
    method: capacity
      ? CAPACITY_METHOD
      : {
          estimator: {
            mean: 'mean of per-pair log-ratios',
            'hodges-lehmann': 'Hodges–Lehmann centre of per-pair log-ratios',
            'trimmed-mean': `${Math.round(rule.trim * 100)}%-trimmed mean of per-pair log-ratios`,
          }[rule.estimator],
          interval: {
            t: 'Student t on per-pair log-ratios',
            wilcoxon: 'Wilcoxon signed-rank',
            bootstrap: 'percentile bootstrap',
            trimmed: trimmedIntervalText(
              rule.trim,
              rule.trimFrom,
              checks
                .filter((c) => c.comparison !== 'cross-job' && c.comparison !== 'absolute')
                .map((c) => c.pairs),
            ),
          }[rule.interval],
          rule: describeRule(rule),
        },
    baseline: baselineInfo,
    notes,
    ...(capacity ? { capacity: capacity.summary } : {}),
    ...(changes.length > 0 ? { costChanges: changes } : {}),
  };
}

/**
 * The trimmed rule's interval as this run used it: Yuen's trimmed t needs `trimFrom` pairs (at
 * least 5, stats/intervals.ts), below that it is Student t. Says which the rows' pair counts got,
 * so that a 6-pair run does not read "from 8 pairs".
 */
export function trimmedIntervalText(trim: number, trimFrom: number, pairCounts: number[]): string {
  const from = Math.max(5, trimFrom);
  const yuen = `Yuen's ${Math.round(trim * 100)}%-trimmed t on per-pair log-ratios, trimming at least one pair from each end`;
  const student = 'Student t on per-pair log-ratios';
  const counts = pairCounts.filter((n) => n > 0);
  if (counts.length === 0) return `${yuen}, from ${from} pairs on; ${student} below`;
  const least = Math.min(...counts);
  const most = Math.max(...counts);
  const had = least === most ? `${least} pairs` : `${least} to ${most} pairs`;
  if (least >= from) return `${yuen}; ${had}`;
  if (most < from) return `${student}; ${had}, and Yuen's trimmed t only from ${from} pairs on`;
  return `${student} for rows with fewer than ${from} pairs; ${yuen}, from ${from} on; ${had}`;
}

const CAPACITY_METHOD = {
  estimator: 'ratio of the capacities found: the highest rate at which the SLO held',
  interval:
    'bracket of the two searches (every ratio their [held, failed) brackets allow; not a statistical interval)',
  rule: 'regression when the capacity drops by more than θ and the brackets do not overlap; inconclusive when it drops by more than θ and they overlap',
};

/** The SLO's percentiles as latency thresholds, for the notes on thin tails. */
function capacitySloThresholds(results: Results): GateSpec['latency'] {
  const spec = capacitySpecOf(results);
  return Object.fromEntries(
    Object.keys(spec?.slo.latencyMs ?? {}).map((metric) => [metric, { maxIncrease: 0 }]),
  );
}

/** Error rows: against the base build's same mesh, else against `none`, else the allowance alone. */
function errorComparison(head: Variant, byId: Map<string, Variant>, gate: GateSpec, confidence: number) {
  const base = byId.get(`base/${head.mesh}`);
  const none = head.mesh !== 'none' ? byId.get('head/none') : undefined;
  const baseline = base ?? none;
  return {
    comparison: base ? ('build' as const) : none ? ('overhead' as const) : ('absolute' as const),
    current: head,
    baseline,
    maxRate: gate.errorRate.max,
    confidence,
  };
}

function overall(checks: readonly VerdictRow[]): { verdict: OverallVerdict; reason: string } {
  const gating = checks.filter((c) => c.gating);
  const describe = (c: VerdictRow) => rowSentence(c);
  const regressions = gating.filter((c) => c.verdict === 'regression');
  if (regressions.length > 0)
    return {
      verdict: 'regression',
      reason:
        regressions.length === 1
          ? describe(regressions[0])
          : `${regressions.length} checks regressed; first: ${describe(regressions[0])}`,
    };
  // A gating row that judged nothing (verdict info) is not a pass either.
  const unsure = gating.filter((c) => c.verdict === 'inconclusive' || c.verdict === 'info');
  if (unsure.length > 0)
    return {
      verdict: 'inconclusive',
      reason:
        unsure.length === 1
          ? describe(unsure[0])
          : `${unsure.length} checks inconclusive; first: ${describe(unsure[0])}`,
    };
  const improved = gating.filter((c) => c.verdict === 'improvement').length;
  return {
    verdict: 'pass',
    reason: `${gating.length === 1 ? 'the gating check passed' : `all ${gating.length} gating checks passed`}${improved > 0 ? ` (${improved} improved)` : ''}`,
  };
}

/** Whether the runner should add trials and decide again (the verdict says it may help). */
export const needsMoreTrials = (verdict: Verdict): boolean => verdict.sequential.moreTrialsCouldResolve;
