/**
 * results.json (schema "meshgate/results@1"): the normalised profile, the environment, and per
 * variant every trial with its histogram. Validated by zod whenever it is read, because results
 * files also arrive as artifacts from other jobs.
 */
import { z } from 'zod';

export const RESULTS_SCHEMA = 'meshgate/results@1';

const latency = z.object({
  min: z.number(),
  mean: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
});

const counts = z.record(z.string(), z.number().int().min(0));

export const ResourceUseSchema = z.object({
  /** Mean CPU of the data plane over the trial, in millicores (1000 = one core busy). */
  cpuMillicores: z.number().min(0),
  /** CPU time of the data plane per 1,000 completed requests, in ms. */
  cpuMsPer1kRequests: z.number().min(0),
  memoryMibMean: z.number().min(0),
  memoryMibPeak: z.number().min(0),
  /** What was measured, e.g. "nginx (3 processes)" or "istio-proxy containers". */
  source: z.string(),
});

const isoTime = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO 8601 time');

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
    })
    .optional(),
  histogram: z.string().min(1),
  uncorrectedHistogram: z.string().min(1),
  intervals: z.array(z.object({ startOffsetMs: z.number(), histogram: z.string() })).optional(),
  generators: z.number().int().min(1),
});

/** A trial in results.json: the engine's trial, its place in the run, and the data plane's use. */
export const TrialSchema = LoadTrialSchema.extend({
  index: z.number().int().min(0),
  /** Position of this trial in the whole run's order (0-based), across variants. */
  sequence: z.number().int().min(0),
  resources: ResourceUseSchema.optional(),
});

export const SmpResultSchema = z.object({
  latencies_ms: z.object({
    min: z.number(),
    average: z.number(),
    p50: z.number(),
    p90: z.number(),
    p99: z.number(),
    max: z.number(),
  }),
  actual_qps: z.number(),
  start_time: z.string(),
  end_time: z.string(),
});

export const VariantSchema = z.object({
  id: z.string(),
  build: z.enum(['base', 'head']),
  mesh: z.string(),
  /** Where the load went (for the record; not used for comparisons). */
  target: z.string(),
  latencyMs: latency,
  trials: z.array(TrialSchema),
  smp: SmpResultSchema,
});

export const EnvironmentSchema = z.object({
  platform: z.string(),
  runner: z.string(),
  os: z.string(),
  kernel: z.string(),
  cpuModel: z.string(),
  cpuCount: z.number().int(),
  memoryMib: z.number(),
  node: z.string(),
  meshgate: z.string(),
  kubernetesVersion: z.string().optional(),
  meshVersions: z.record(z.string(), z.string()).optional(),
  git: z.object({ sha: z.string().optional(), ref: z.string().optional() }).optional(),
});

export const ResultsSchema = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  createdAt: z.string(),
  profile: z.looseObject({ name: z.string() }),
  environment: EnvironmentSchema,
  variants: z.array(VariantSchema).min(1),
});

export type Trial = z.infer<typeof TrialSchema>;
export type Variant = z.infer<typeof VariantSchema>;
export type Results = z.infer<typeof ResultsSchema>;
export type Environment = z.infer<typeof EnvironmentSchema>;
export type ResourceUse = z.infer<typeof ResourceUseSchema>;
