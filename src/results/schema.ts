/**
 * results.json (schema "meshgate/results@1"): the normalised profile, the environment, and per
 * variant every trial with its histogram. Validated by zod whenever it is read, because results
 * files also arrive as artifacts from other jobs.
 */
import { z } from 'zod';

export const RESULTS_SCHEMA = 'meshgate/results@1';

/**
 * Strings are bounded and names restricted: a results file may be a fork's artifact, and its
 * names reach the PR comment (through inlineText, and inside meshgate's own sentences).
 */
const text = (maxChars: number) =>
  z.string().max(maxChars, { error: `expected at most ${maxChars} characters` });
/** Variant ids are `<build>/<mesh variant>` (head/istio-mtls); imports may use other plain names. */
const variantId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/+-]{0,99}$/, {
  error: 'expected a variant id like head/istio (letters, digits, . _ : / + -)',
});
const profileName = z.string().regex(/^[a-z0-9-]{1,100}$/, { error: 'expected a profile name [a-z0-9-]+' });
const meshName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'expected a mesh name [a-z0-9-]+' });
/** Finite numbers only: zod 4 rejects Infinity; NaN cannot be written in JSON. */
const latencyMs = z.number().min(0, { error: 'expected a latency ≥ 0' });

const latency = z.object({
  min: latencyMs,
  mean: latencyMs,
  p50: latencyMs,
  p90: latencyMs,
  p99: latencyMs,
  p999: latencyMs,
  max: latencyMs,
});

const counts = z.record(text(64), z.number().int().min(0));

export const ResourceUseSchema = z.object({
  /** Mean CPU of the data plane over the trial, in millicores (1000 = one core busy). */
  cpuMillicores: z.number().min(0),
  /** CPU time of the data plane per 1,000 completed requests, in ms. */
  cpuMsPer1kRequests: z.number().min(0),
  memoryMibMean: z.number().min(0),
  memoryMibPeak: z.number().min(0),
  /** What was measured, e.g. "nginx (3 processes)" or "istio-proxy containers". */
  source: text(200),
});

/**
 * One control-plane component (istiod, linkerd-destination …) during one trial: all containers
 * of its pods, from the same cAdvisor scrapes as the data plane. Reported, not gated.
 */
export const ControlPlaneUseSchema = z.object({
  component: meshName,
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a namespace name' })
    .max(63),
  pods: z.number().int().min(0),
  cpuMillicores: z.number().min(0),
  memoryMibMean: z.number().min(0),
  memoryMibPeak: z.number().min(0),
});

const isoTime = text(40).refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO 8601 time');

/** One trial as the load engine (or a generator pod) reports it: LoadTrial of src/load/types.ts. */
export const LoadTrialSchema = z.object({
  startTime: isoTime,
  endTime: isoTime,
  durationS: z.number().min(0),
  requestedRps: z.number().min(0),
  actualRps: z.number().min(0),
  requests: z.number().int().min(0),
  errors: z.number().int().min(0),
  errorsByKind: counts,
  statusCodes: counts,
  latencyMs: latency,
  intendedLatencyMs: latency.optional(),
  uncorrectedLatencyMs: latency,
  scheduleLagMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }),
  generatorHiccups: z
    .object({
      count: z.number().int().min(0),
      totalMs: z.number().min(0),
      maxMs: z.number().min(0),
      requests: z.number().int().min(0),
      answers: z.number().int().min(0).optional(),
    })
    .optional(),
  // Decoded and checked by parseResults (histogram-guard.ts) after the schema.
  histogram: z.string().min(1),
  uncorrectedHistogram: z.string().min(1),
  intervals: z
    .array(z.object({ startOffsetMs: z.number(), histogram: z.string() }))
    .max(100_000)
    .optional(),
  generators: z.number().int().min(1),
});

/** A trial in results.json: the engine's trial, its place in the run, and the data plane's use. */
export const TrialSchema = LoadTrialSchema.extend({
  index: z.number().int().min(0),
  /** Position of this trial in the whole run's order (0-based), across variants. */
  sequence: z.number().int().min(0),
  resources: ResourceUseSchema.optional(),
  controlPlane: z.array(ControlPlaneUseSchema).max(32).optional(),
});

export const SmpResultSchema = z.object({
  latencies_ms: z.object({
    min: latencyMs,
    average: latencyMs,
    p50: latencyMs,
    p90: latencyMs,
    p99: latencyMs,
    max: latencyMs,
  }),
  actual_qps: z.number().min(0),
  start_time: text(40),
  end_time: text(40),
});

/** One step of a capacity search: a rate, the trials run at it (indexes into the variant's trials), and its verdict. */
export const CapacityStepSchema = z.object({
  rps: z.number().min(0),
  trials: z.array(z.number().int().min(0)).max(100),
  /** 'undecided': the time budget ran out between a borderline step's trials. */
  verdict: z.enum(['pass', 'fail', 'undecided']),
  /** The first trial was within the borderline band of a ceiling, so the step was re-run. */
  borderline: z.boolean(),
  /** Each trial's judgement in words, joined. */
  reason: text(4000),
});

/** A variant's capacity search (capacity profiles, src/capacity/). The true capacity lies in [lowerRps, upperRps). */
export const CapacitySchema = z.object({
  /** Highest rate at which the SLO held (the capacity reported); null when it failed at min_rps. */
  lowerRps: z.number().min(0).nullable(),
  /** Lowest rate above it at which the SLO did not hold; null when it held at max_rps. */
  upperRps: z.number().min(0).nullable(),
  /** upperRps / lowerRps − 1 at the end (null when either is null). */
  precision: z.number().min(0).nullable(),
  /** Why the search ended; 'incomplete': the run ended first (results.incomplete says why). */
  stop: z.enum(['precision', 'above_max', 'below_min', 'resolution', 'time', 'incomplete']),
  steps: z.array(CapacityStepSchema).max(1000),
});

/**
 * Instructions per request of a variant's data plane (profile `cost`, src/platform/local/cost/):
 * per counted batch the raw count of each component, and an idle window of the same length with
 * no requests, whose rate is subtracted. Counted on separate instances of the proxies (1 worker,
 * under the counting method), after the timed trials.
 */
export const VariantCostSchema = z
  .object({
    method: z.enum(['callgrind', 'perf']),
    /** The counting tool and its version: "valgrind-3.19.0", "perf version 6.1". */
    tool: text(100),
    /** One per counted process: "nginx sidecar". */
    components: z.array(text(100)).min(1).max(8),
    idle: z.object({
      windowMs: z.number().positive(),
      instructions: z.array(z.number().min(0)).max(8),
    }),
    batches: z
      .array(
        z.object({
          /** Position in the whole cost phase's order, across variants (pairs base/head batches). */
          sequence: z.number().int().min(0),
          requests: z.number().int().min(1),
          durationMs: z.number().min(0),
          /** Raw instructions of each component over the batch (idle not yet subtracted). */
          instructions: z.array(z.number().min(0)).max(8),
        }),
      )
      .max(1000),
    /** Self instructions summed over all batches, the largest functions of each component (Callgrind only). */
    functions: z
      .array(
        z.object({
          component: z.number().int().min(0).max(7),
          name: text(300),
          instructions: z.number().min(0),
        }),
      )
      .max(2000)
      .optional(),
    /** Wall time of this variant's cost phase: start under the tool, warm-up, idle window, batches. */
    wallS: z.number().min(0),
  })
  .superRefine((cost, ctx) => {
    // One count per component everywhere, so no figure is divided by the wrong thing.
    const n = cost.components.length;
    if (cost.idle.instructions.length !== n)
      ctx.addIssue({
        code: 'custom',
        path: ['idle', 'instructions'],
        message: `expected ${n} counts, one per component`,
      });
    cost.batches.forEach((batch, i) => {
      if (batch.instructions.length !== n)
        ctx.addIssue({
          code: 'custom',
          path: ['batches', i, 'instructions'],
          message: `expected ${n} counts, one per component`,
        });
    });
    cost.functions?.forEach((fn, i) => {
      if (fn.component >= n)
        ctx.addIssue({
          code: 'custom',
          path: ['functions', i, 'component'],
          message: `expected a component index below ${n}`,
        });
    });
  });

export const VariantSchema = z.object({
  id: variantId,
  build: z.enum(['base', 'head']),
  mesh: meshName,
  /** Where the load went (for the record; not used for comparisons). */
  target: text(2000),
  latencyMs: latency,
  trials: z.array(TrialSchema).max(10_000),
  smp: SmpResultSchema,
  /** Capacity profiles: the search's steps and its answer; every step's trials are in `trials`. */
  capacity: CapacitySchema.optional(),
  cost: VariantCostSchema.optional(),
});

export const EnvironmentSchema = z.object({
  platform: text(200),
  runner: text(200),
  os: text(200),
  kernel: text(200),
  cpuModel: text(200),
  cpuCount: z.number().int(),
  memoryMib: z.number(),
  node: text(200),
  meshgate: text(200),
  kubernetesVersion: text(200).optional(),
  meshVersions: z.record(text(64), text(200)).optional(),
  git: z.object({ sha: text(64).optional(), ref: text(500).optional() }).optional(),
});

/**
 * Where the results came from, so that the comment's "next steps" repeat it: the profile `run` was
 * given, or the arguments of the `meshgate import` that made them, as paths from the repository
 * root. Plain text here; the comment prints only values that are one inert shell word
 * (report/comment/next-steps.ts).
 */
export const OriginSchema = z.object({
  profile: text(300).optional(),
  importArgs: z.array(text(300)).max(1100).optional(),
});

export const ResultsSchema = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  createdAt: text(40),
  profile: z.looseObject({ name: profileName }),
  origin: OriginSchema.optional(),
  environment: EnvironmentSchema,
  variants: z.array(VariantSchema).min(1).max(256),
  /** Set when the run ended early: why, and how many trials were completed (results/incomplete.ts). */
  incomplete: z.object({ reason: text(500), completedTrials: z.number().int().min(0) }).optional(),
  /** Profile `cost` was set and nothing was counted: why, in one line (the verdict's cost row). */
  costUnavailable: text(500).optional(),
});

export type Trial = z.infer<typeof TrialSchema>;
export type Variant = z.infer<typeof VariantSchema>;
export type Results = z.infer<typeof ResultsSchema>;
export type Origin = z.infer<typeof OriginSchema>;
export type Environment = z.infer<typeof EnvironmentSchema>;
export type ResourceUse = z.infer<typeof ResourceUseSchema>;
export type Capacity = z.infer<typeof CapacitySchema>;
export type CapacityStep = z.infer<typeof CapacityStepSchema>;
export type VariantCost = z.infer<typeof VariantCostSchema>;
export type ControlPlaneUse = z.infer<typeof ControlPlaneUseSchema>;
