/**
 * zod schema of a LoadJob, for jobs that cross a boundary (dist/loadgen's --job or MESHGATE_JOB,
 * worker messages). Optional fields get the defaults a hand-written job most likely means.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { formatIssues } from '../profile/issues.js';
import type { LoadJob } from './types.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const RequestSpecSchema = z.strictObject({
  method: z.string().regex(TOKEN, 'must be an HTTP method token such as GET').default('GET'),
  path: z
    .string()
    .regex(/^\/[^\s]*$/, 'must start with "/" and contain no whitespace')
    .default('/'),
  headers: z
    .record(
      z.string().regex(TOKEN, 'must be a header name'),
      z.string().regex(/^[^\r\n]*$/, 'must not contain line breaks'),
    )
    .default({}),
  body: z.string().default(''),
});

export const LoadJobSchema = z.strictObject({
  url: z
    .string()
    .refine(
      (text) => /^https?:\/\/[^/\s]+\/?$/.test(text) && URL.canParse(text),
      'must be a base URL such as http://127.0.0.1:8080 (no path)',
    ),
  rps: z.number().min(0).max(10_000_000),
  connections: z.number().int().min(1).max(100_000),
  durationS: z.number().positive().max(86_400),
  warmupS: z.number().min(0).max(86_400).default(0),
  threads: z.number().int().min(1).max(256).default(1),
  protocol: z.enum(['http1', 'http2']).default('http1'),
  request: RequestSpecSchema.default({ method: 'GET', path: '/', headers: {}, body: '' }),
  timeoutMs: z.number().positive().max(600_000).default(10_000),
  startAtEpochMs: z.number().min(0).optional(),
  insecureTls: z.boolean().optional(),
  intervalMs: z.number().min(0).optional(),
  streamsPerConnection: z.number().int().min(1).max(1000).optional(),
});

/** The same, ignoring unknown keys (jobs built in code may be spread from wider objects). */
const LenientLoadJobSchema = z.object(LoadJobSchema.shape);

/**
 * Validate a job; `source` names where it came from (e.g. "--job", "MESHGATE_JOB"). Unknown keys
 * are errors (typos in hand-written jobs) unless `lenient`.
 */
export function parseJob(raw: unknown, source: string, lenient = false): LoadJob {
  const result = (lenient ? LenientLoadJobSchema : LoadJobSchema).safeParse(raw);
  if (!result.success)
    throw new UserError(`Invalid load job\n${formatIssues(source, result.error.issues, raw)}`);
  return result.data;
}

/** Parse JSON text, then validate it as a job. */
export function parseJobJson(text: string, source: string): LoadJob {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`Invalid load job in ${source}: not JSON (${(error as Error).message})`);
  }
  return parseJob(raw, source);
}
