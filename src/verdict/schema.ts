/**
 * verdict.json (schema "meshgate/verdict@1"): the overall verdict and one row per check.
 * Relative changes are fractions (0.12 = +12%); an unbounded interval end is null (JSON has no
 * Infinity). Validated by zod when read, since scripts and later steps consume the file.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';

export const VERDICT_SCHEMA = 'meshgate/verdict@1';

export const OverallVerdictSchema = z.enum(['pass', 'regression', 'inconclusive']);
export const RowVerdictSchema = z.enum(['pass', 'regression', 'inconclusive', 'improvement', 'info']);

export const UndecidedSchema = z.enum(['too-noisy', 'not-yet-shown', 'not-measured']);

export const ComparisonKindSchema = z.enum(['build', 'overhead', 'cross-job', 'absolute']);

export const RowMetricSchema = z.enum([
  'p50',
  'p90',
  'p99',
  'p999',
  'throughput',
  'errorRate',
  'proxyCpuMsPer1kRequests',
  'proxyMemoryMib',
  /** Capacity profiles: the highest rate at which the SLO held (capacity/row.ts). */
  'capacityRps',
  /** Profile `cost`: the data plane's instructions per request, counted, not timed (verdict/cost.ts). */
  'instructionsPerRequest',
]);

export const ThresholdSchema = z.discriminatedUnion('kind', [
  /** Relative increase that is material, with an absolute floor in the row's unit. */
  z.object({
    kind: z.literal('increase'),
    maxIncrease: z.number(),
    minDelta: z.number(),
    /** Where the floor came from: the profile's min_delta, or this run's resolution (noise-floor.ts). */
    minDeltaSource: z.enum(['profile', 'measured']).optional(),
  }),
  z.object({ kind: z.literal('decrease'), maxDecrease: z.number() }),
  /** Absolute ceiling of a rate (error fraction). */
  z.object({ kind: z.literal('rate'), max: z.number() }),
  /** Absolute ceiling of a level in the row's unit (a data plane's CPU per 1k requests, memory). */
  z.object({ kind: z.literal('ceiling'), max: z.number() }),
]);

const bound = z.number().nullable();

export const VerdictRowSchema = z.object({
  /** Stable key, e.g. "build:head/none:p99". */
  id: z.string(),
  comparison: ComparisonKindSchema,
  metric: RowMetricSchema,
  unit: z.enum(['ms', 'rps', 'fraction', 'ms/1k requests', 'MiB', 'ratio', 'instructions/request']),
  variant: z.string(),
  comparedWith: z.string(),
  /** Estimate of the side compared with (median of per-trial values; a ratio for cross-job). */
  baseline: bound,
  /**
   * The "after": baseline × (1 + change) for relative rows, so that before, after and change agree
   * (not the median of the current side's trials); a measured level for absolute rows.
   */
  current: bound,
  /** Relative change current/baseline − 1 from the paired estimate, and its interval. */
  change: bound,
  changeLower: bound,
  changeUpper: bound,
  /** Confidence level of that interval (already adjusted for the look). */
  confidence: z.number(),
  /**
   * The look's level, when the row was judged at a stricter `confidence` because the bulk of its
   * pairs spread wider than its threshold (rule.ts).
   */
  lookConfidence: z.number().optional(),
  /** Interval of the current level itself where that is what is judged (error rows: Wilson). */
  currentInterval: z.object({ lower: z.number(), upper: z.number() }).optional(),
  threshold: ThresholdSchema.nullable(),
  /** Coefficient of variation across trials of each side (null when not defined). */
  noise: z.object({ baselineCv: bound, currentCv: bound }),
  /**
   * Minimum detectable change at this look: the half-width of the interval as a fraction. A true
   * change smaller than this could not have been told from noise by this run.
   */
  minimumDetectableChange: bound.optional(),
  /** Trial pairs (same job) or trials (counts) behind the row. */
  pairs: z.number().int().min(0),
  pValue: bound.optional(),
  gating: z.boolean(),
  verdict: RowVerdictSchema,
  reason: z.string(),
  /** Whether more trials could move this row out of "inconclusive". */
  canExtend: z.boolean(),
  /**
   * Why an inconclusive row was not judged, set by the rule that wrote its reason (so status and
   * reason agree): `too-noisy` ("too noisy to judge": the interval, or the minimum detectable change,
   * is wider than the threshold), `not-yet-shown` (the estimate is beyond the threshold, the
   * interval does not yet show it), `not-measured` (nothing to judge: a capacity search that never
   * held, no requests). Absent on other rows and in files written before it existed.
   */
  undecided: UndecidedSchema.optional(),
});

/** Capacity profiles: each variant's search result and each mesh's efficiency index (capacity/efficiency.ts). */
export const CapacitySummarySchema = z.object({
  /** The SLO in words, written by meshgate from numbers ("p99 ≤ 5 ms, errors ≤ 0.1%"). */
  slo: z.string(),
  /** The precision the profile asked for, as a fraction. */
  targetPrecision: z.number(),
  variants: z.array(
    z.object({
      variant: z.string(),
      /** Highest rate at which the SLO held (null: not even at min_rps), and the lowest above it that failed. */
      lowerRps: bound,
      upperRps: bound,
      /** upperRps / lowerRps − 1 reached. */
      precision: bound,
      stop: z.enum(['precision', 'above_max', 'below_min', 'resolution', 'time', 'incomplete']),
      steps: z.number().int().min(0),
      trials: z.number().int().min(0),
    }),
  ),
  efficiency: z.array(
    z.object({
      variant: z.string(),
      /** The variant without a mesh of the same build. */
      comparedWith: z.string(),
      /** Capacity with the mesh / capacity without it. */
      retained: z.number(),
      /** Data-plane CPU at the capacity step, in cores (null: not measured). */
      dataPlaneCores: bound,
      /** Capacity / data-plane cores. */
      rpsPerCore: bound,
      /** retained / dataPlaneCores: the efficiency index (null when the CPU was not measured). */
      index: bound,
    }),
  ),
});

/**
 * Where a head build's instructions per request went (Callgrind's self cost per function, per
 * request): the functions whose cost changed most against base, per mesh variant.
 */
export const CostChangeSchema = z.object({
  variant: z.string(),
  comparedWith: z.string(),
  /** Head − base, instructions per request, all components (idle subtracted). */
  delta: z.number(),
  functions: z
    .array(
      z.object({
        component: z.string(),
        name: z.string().max(300),
        base: z.number(),
        head: z.number(),
        delta: z.number(),
      }),
    )
    .max(50),
});

export const VerdictSchema = z.object({
  schema: z.literal(VERDICT_SCHEMA),
  verdict: OverallVerdictSchema,
  /** One line saying why. */
  reason: z.string(),
  checks: z.array(VerdictRowSchema),
  sequential: z.object({
    look: z.number().int().min(1),
    maxLooks: z.number().int().min(1),
    /** Confidence level used at this look (the profile's level, split over the looks). */
    confidence: z.number(),
    /** True when the verdict is inconclusive, a later look remains and more trials could resolve it. */
    moreTrialsCouldResolve: z.boolean(),
  }),
  method: z.object({ estimator: z.string(), interval: z.string(), rule: z.string() }),
  baseline: z
    .object({
      profile: z.string(),
      createdAt: z.string(),
      sha: z.string().optional(),
      reference: z.string().optional(),
    })
    .nullable(),
  notes: z.array(z.string()),
  capacity: CapacitySummarySchema.optional(),
  /** Profile `cost`: where each head build's instructions per request went. */
  costChanges: z.array(CostChangeSchema).max(64).optional(),
});

export type Verdict = z.infer<typeof VerdictSchema>;
export type VerdictRow = z.infer<typeof VerdictRowSchema>;
export type OverallVerdict = z.infer<typeof OverallVerdictSchema>;
export type RowVerdict = z.infer<typeof RowVerdictSchema>;
export type RowMetric = z.infer<typeof RowMetricSchema>;
export type Threshold = z.infer<typeof ThresholdSchema>;
export type CostChange = z.infer<typeof CostChangeSchema>;
export type CapacitySummary = z.infer<typeof CapacitySummarySchema>;
export type ComparisonKind = z.infer<typeof ComparisonKindSchema>;
export type Undecided = z.infer<typeof UndecidedSchema>;

/** Validate a parsed verdict document; `file` names it in the error. */
export function parseVerdict(document: unknown, file: string): Verdict {
  const parsed = VerdictSchema.safeParse(document);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  throw new UserError(`${file}: invalid verdict at ${path}: ${issue.message}`);
}

/** Parse verdict.json text. */
export function parseVerdictText(text: string, file: string): Verdict {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not JSON: ${(error as Error).message}`);
  }
  return parseVerdict(document, file);
}

/** Finite numbers stay, ±Infinity and NaN become null (for the JSON file). */
export const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);
