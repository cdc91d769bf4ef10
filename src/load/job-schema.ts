/**
 * zod schema of a LoadJob, for jobs that cross a boundary (dist/loadgen's --job or MESHGATE_JOB,
 * worker messages). Optional fields get the defaults a hand-written job most likely means.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { formatIssues } from '../util/issues.js';
import type { LoadJob } from './types.js';
import { WIRE_PROTOCOLS } from './protocols/types.js';

/**
 * The engine's limits, in one place: the profile schema (src/profile/schema.ts) takes the same
 * numbers and patterns, so `meshgate validate` refuses exactly what a trial would, before anything
 * starts.
 */
export const LOAD_LIMITS = {
  maxRps: 10_000_000,
  maxConnections: 100_000,
  maxDurationS: 86_400,
  maxThreads: 256,
  maxTimeoutMs: 600_000,
  /** A request body is sent with every request and stored in results.json. */
  maxBodyBytes: 1024 * 1024,
  maxHeaders: 100,
  maxHeaderValueChars: 8192,
  maxPathChars: 8192,
} as const;

/** An HTTP token (RFC 9110 §5.6.2): methods and header names. */
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A request target: starts with "/", no whitespace or control characters (they would split the request line). */
export const REQUEST_PATH = /^\/[^\s\u0000-\u001f\u007f]*$/;
/** A header value: visible characters, spaces and tabs; no CR, LF or other controls. */
export const HEADER_VALUE = /^[^\u0000-\u0008\u000a-\u001f\u007f]*$/;
/** Headers the engine writes itself: a user's copy would contradict the framing it sends. */
export const FRAMING_HEADERS = ['content-length', 'transfer-encoding'] as const;
/** A base URL the engine can aim at: http(s), a host, no path. */
export const isBaseUrl = (text: string): boolean =>
  /^https?:\/\/[^/\s]+\/?$/.test(text) && URL.canParse(text) && !hasPortZero(text);

/** `http://127.0.0.1:0`: no server listens on port 0, and a client given it connects to port 80. */
export const hasPortZero = (text: string): boolean => URL.canParse(text) && new URL(text).port === '0';

export const headerNameSchema = z
  .string()
  .regex(TOKEN, "must be a header name (letters, digits and !#$%&'*+.^_`|~-)")
  .refine((name) => !(FRAMING_HEADERS as readonly string[]).includes(name.toLowerCase()), {
    error: 'is set by the load engine from the body (it owns the framing); remove it',
  });
export const headerValueSchema = z
  .string()
  .max(LOAD_LIMITS.maxHeaderValueChars, `must be at most ${LOAD_LIMITS.maxHeaderValueChars} characters`)
  .regex(HEADER_VALUE, 'must not contain line breaks or control characters');
export const requestPathSchema = z
  .string()
  .max(LOAD_LIMITS.maxPathChars, `must be at most ${LOAD_LIMITS.maxPathChars} characters`)
  .regex(REQUEST_PATH, 'must start with "/" and contain no whitespace or control characters');
export const requestBodySchema = z
  .string()
  .refine((body) => Buffer.byteLength(body) <= LOAD_LIMITS.maxBodyBytes, {
    error: `must be at most ${LOAD_LIMITS.maxBodyBytes} bytes`,
  });
export const headersSchema = z
  .record(headerNameSchema, headerValueSchema)
  .refine((headers) => Object.keys(headers).length <= LOAD_LIMITS.maxHeaders, {
    error: `at most ${LOAD_LIMITS.maxHeaders} headers`,
  });

export const RequestSpecSchema = z.strictObject({
  method: z.string().regex(TOKEN, 'must be an HTTP method token such as GET').default('GET'),
  path: requestPathSchema.default('/'),
  headers: headersSchema.default({}),
  body: requestBodySchema.default(''),
});

export const LoadJobSchema = z.strictObject({
  url: z.string().refine(isBaseUrl, 'must be a base URL such as http://127.0.0.1:8080 (no path)'),
  rps: z.number().min(0).max(LOAD_LIMITS.maxRps),
  connections: z.number().int().min(1).max(LOAD_LIMITS.maxConnections),
  durationS: z.number().positive().max(LOAD_LIMITS.maxDurationS),
  warmupS: z.number().min(0).max(LOAD_LIMITS.maxDurationS).default(0),
  threads: z.number().int().min(1).max(LOAD_LIMITS.maxThreads).default(1),
  protocol: z.enum(WIRE_PROTOCOLS).default('http1'),
  request: RequestSpecSchema.default({ method: 'GET', path: '/', headers: {}, body: '' }),
  timeoutMs: z.number().positive().max(LOAD_LIMITS.maxTimeoutMs).default(10_000),
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
