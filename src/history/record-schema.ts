/**
 * One push run on the default branch as a history record (schema "meshgate/history-record@1"):
 * a few kilobytes where a results file is megabytes. It holds what the trend, the dashboard and
 * the PR comment's context line read — the commit, the run, the runner, each variant's
 * percentiles (median of its trials), the mesh ratios measured in the same job, the data plane's
 * CPU and memory, capacity, the verdict — and nothing else.
 *
 * Records are read back from a branch anyone with write access could edit, so every field is
 * bounded and every name restricted: links are built only from `commit` (hex), `runId` (digits)
 * and `repository` (owner/name), and names reach markdown only through inlineText.
 */
import { z } from 'zod';

export const HISTORY_RECORD_SCHEMA = 'meshgate/history-record@1';
/** A record of 64 variants is ~20 KB; a larger file is not ours and is skipped before parsing. */
export const MAX_RECORD_BYTES = 64 * 1024;

const text = (maxChars: number) =>
  z.string().max(maxChars, { error: `expected at most ${maxChars} characters` });
const variantId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/+-]{0,99}$/, { error: 'expected a variant id like head/istio' });
/** A latency a server can answer in: above 0, below a day. */
const latencyMs = z.number().gt(0).lt(86_400_000);
/** A ratio of two latencies of the same job. */
const ratio = z.number().gt(0).lt(100_000);
const isoTime = text(40).refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO 8601 time');

export const COMMIT_PATTERN = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** GitHub's owner (39 characters of letters, digits and hyphens) and repository name rules. */
export const REPOSITORY_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
export const PROFILE_PATTERN = /^[a-z0-9-]{1,100}$/;

const percentiles = z.object({ p50: latencyMs, p90: latencyMs, p99: latencyMs, p999: latencyMs });

export const RunnerSchema = z.object({
  /** RUNNER_ENVIRONMENT: github-hosted or self-hosted (unknown off GitHub). */
  environment: z.enum(['github-hosted', 'self-hosted', 'unknown']),
  /** RUNNER_OS and RUNNER_ARCH (Linux, X64 …). */
  os: text(40),
  arch: text(40),
  cpuModel: text(200),
  cpuCount: z.number().int().min(0).max(100_000),
  /** meshgate's platform: local, kind, kubernetes. */
  platform: text(40),
});

export const RecordVariantSchema = z.object({
  id: variantId,
  /** Median over the variant's trials of each percentile (absent: no trial had requests). */
  latencyMs: percentiles.optional(),
  /** Data plane: median over trials of mean CPU (millicores) and mean memory (MiB). */
  cpuMillicores: z.number().min(0).max(10_000_000).optional(),
  memoryMib: z.number().min(0).max(10_000_000).optional(),
  /** Capacity profiles: the highest rate at which the SLO held (null: failed at the lowest rate). */
  capacityRps: z.number().min(0).max(1e9).nullable().optional(),
});

export const RecordRatioSchema = z.object({
  variant: variantId,
  /** The variant it is divided by in the same job (head/istio ÷ head/none). */
  to: variantId,
  p50: ratio.optional(),
  p90: ratio.optional(),
  p99: ratio.optional(),
  p999: ratio.optional(),
});

export const HistoryRecordSchema = z.object({
  schema: z.literal(HISTORY_RECORD_SCHEMA),
  profile: z.string().regex(PROFILE_PATTERN, { error: 'expected a profile name [a-z0-9-]+' }),
  commit: z.string().regex(COMMIT_PATTERN, { error: 'expected a full commit SHA (hex)' }),
  createdAt: isoTime,
  repository: z.string().regex(REPOSITORY_PATTERN, { error: 'expected owner/name' }).optional(),
  runId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  runAttempt: z.number().int().min(1).max(10_000).optional(),
  runner: RunnerSchema,
  verdict: z.enum(['pass', 'regression', 'inconclusive']),
  capacityRun: z.boolean(),
  variants: z.array(RecordVariantSchema).min(1).max(64),
  ratios: z.array(RecordRatioSchema).max(64),
});

export type HistoryRecord = z.infer<typeof HistoryRecordSchema>;
export type RecordRunner = z.infer<typeof RunnerSchema>;
export type RecordVariant = z.infer<typeof RecordVariantSchema>;

/** Parse one record's text; undefined and a reason when it is not a valid record. */
export function parseRecord(text: string): { record: HistoryRecord } | { problem: string } {
  if (text.length > MAX_RECORD_BYTES)
    return { problem: `${text.length} characters, more than ${MAX_RECORD_BYTES}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'not valid JSON' };
  }
  const parsed = HistoryRecordSchema.safeParse(json);
  if (parsed.success) return { record: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `${issue.path.map(String).join('.') || '(top)'}: ${issue.message}` };
}
