/**
 * The step's outputs, computed from results and verdict (pure). Numbers are plain decimals so
 * later steps can compare them in expressions.
 */
import type { Results, Variant } from '../results/schema.js';
import type { Verdict } from '../verdict/schema.js';
import { batchValues } from '../verdict/cost.js';
import { median } from '../stats/descriptive.js';

export interface ActionOutcome {
  outputs: Partial<ActionOutputs>;
  /** One line for core.setFailed when the gate fails; undefined when the step passes. */
  failure?: string;
}

export interface ActionOutputs {
  /** pass | regression | inconclusive. */
  verdict: string;
  /**
   * p99 in ms of the head build through the first mesh other than none, else head/none: the median
   * of its trials' p99 (the variant table's figure and a row's "before" definition, not a pooled histogram).
   */
  'p99-ms': string;
  /** The gate's estimate of the mesh's p99 overhead over no mesh, as a fraction (0.15 = +15%); '' without one. */
  'overhead-p99': string;
  /** Capacity profiles: the headline variant's capacity at the SLO (requests per second); '' otherwise. */
  'capacity-rps': string;
  /** Profile `cost`: the headline variant's data-plane instructions per request (median of batches); '' otherwise. */
  'instructions-per-request': string;
  /** Profile `cost`: head vs base change of instructions per request as a fraction (0.02 = +2%); '' without one. */
  'instructions-change': string;
  /** Path of results.json. */
  results: string;
  /** Path of verdict.json. */
  'verdict-file': string;
  /** Path of the markdown report. */
  report: string;
  /** URL of the sticky comment ('' when none was written). */
  'comment-url': string;
  /** Id of the run whose baseline was used ('' for none). */
  'baseline-run-id': string;
}

/** The variant `p99-ms` reports. */
export function headlineVariant(results: Results): Variant | undefined {
  const heads = results.variants.filter((variant) => variant.build === 'head');
  return heads.find((variant) => variant.mesh !== 'none') ?? heads[0] ?? results.variants[0];
}

export function overheadP99(verdict: Verdict, variantId?: string): number | undefined {
  const rows = verdict.checks.filter((check) => check.comparison === 'overhead' && check.metric === 'p99');
  const row = rows.find((check) => check.variant === variantId) ?? rows[0];
  return row?.change ?? undefined;
}

const decimal = (value: number | undefined, digits: number) =>
  value === undefined || !Number.isFinite(value) ? '' : String(Number(value.toFixed(digits)));

export function measureOutputs(
  results: Results,
  verdict: Verdict,
  paths: { results: string; verdict: string; report: string },
  extra: { commentUrl?: string; baselineRunId?: number },
): ActionOutputs {
  const headline = headlineVariant(results);
  return {
    verdict: verdict.verdict,
    'p99-ms': decimal(
      headline && headline.trials.length > 0
        ? median(headline.trials.map((t) => t.latencyMs.p99))
        : undefined,
      3,
    ),
    'overhead-p99': decimal(overheadP99(verdict, headline?.id), 4),
    'capacity-rps': decimal(headline?.capacity?.lowerRps ?? undefined, 2),
    'instructions-per-request': decimal(
      headline?.cost && headline.cost.batches.length > 0 ? median(batchValues(headline.cost)) : undefined,
      0,
    ),
    'instructions-change': decimal(
      verdict.checks.find(
        (c) =>
          c.metric === 'instructionsPerRequest' && c.comparison === 'build' && c.variant === headline?.id,
      )?.change ?? undefined,
      4,
    ),
    results: paths.results,
    'verdict-file': paths.verdict,
    report: paths.report,
    'comment-url': extra.commentUrl ?? '',
    'baseline-run-id': extra.baselineRunId ? String(extra.baselineRunId) : '',
  };
}
