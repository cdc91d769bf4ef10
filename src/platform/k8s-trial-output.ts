/** Validation of what a generator pod prints: its last JSON line must be one LoadTrial. */
import { z } from 'zod';
import { SetupError } from '../errors.js';
import type { LoadTrial } from '../load/types.js';

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

export const LoadTrialSchema = z.object({
  startTime: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'an ISO time'),
  endTime: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'an ISO time'),
  durationS: z.number().min(0),
  requestedRps: z.number().min(0),
  actualRps: z.number().min(0),
  requests: z.number().int().min(0),
  errors: z.number().int().min(0),
  errorsByKind: counts,
  statusCodes: counts,
  latencyMs: latency,
  uncorrectedLatencyMs: latency,
  scheduleLagMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }),
  histogram: z.string().min(1),
  uncorrectedHistogram: z.string().min(1),
  intervals: z.array(z.object({ startOffsetMs: z.number(), histogram: z.string() })).optional(),
  generators: z.number().int().min(1),
});

/** The trial a generator pod printed; `pod` names it in errors. */
export function parseGeneratorOutput(log: string, pod: string): LoadTrial {
  const line = log
    .split('\n')
    .map((text) => text.trim())
    .filter((text) => text.startsWith('{'))
    .pop();
  const tail = log.trim().split('\n').slice(-5).join('\n');
  if (!line)
    throw new SetupError(
      `load generator pod ${pod} printed no trial; its log ends:\n${tail}\nCheck: the pod's events and that dist/loadgen is current`,
    );
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new SetupError(`load generator pod ${pod} printed a line that is not JSON: ${line.slice(0, 120)}`);
  }
  const parsed = LoadTrialSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SetupError(
      `load generator pod ${pod} printed an invalid trial: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  return parsed.data as LoadTrial;
}
