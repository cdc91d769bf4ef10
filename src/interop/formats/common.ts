/** Shared pieces of the importers: numbers that may arrive as strings, and trials from histograms. */
import { z } from 'zod';
import { UserError } from '../../errors.js';
import { readBoundedTextSync } from '../../system/bounded-read.js';
import { formatIssues } from '../../util/issues.js';
import { encodeHistogram, recordUs, summarize, type Histogram } from '../../load/histogram.js';
import type { LoadTrial } from '../../load/types.js';

/** A number, or a string holding one (protobuf JSON writes 64-bit integers as strings). */
export const numeric = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'must be a number')])
  .transform(Number);

export function parseInput<T>(schema: z.ZodType<T>, raw: unknown, file: string, format: string): T {
  const result = schema.safeParse(raw);
  if (!result.success)
    throw new UserError(`Not a valid ${format} file\n${formatIssues(file, result.error.issues, raw)}`);
  return result.data;
}

/** Larger inputs are refused rather than read into memory (a day of 1 s intervals is ~20 MB). */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/** Another tool's output file, read bounded: a regular file of at most MAX_IMPORT_BYTES. */
export function readImportedText(file: string): string {
  return readBoundedTextSync(file, { maxBytes: MAX_IMPORT_BYTES, what: 'the file to import' });
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not JSON (${(error as Error).message})`);
  }
}

/**
 * Record `count` values spread evenly over [startUs, endUs] (both ends included when count > 1),
 * in at most `maxPoints` distinct values — the linear interpolation fortio itself uses inside a
 * bucket.
 */
export function spreadOver(
  histogram: Histogram,
  startUs: number,
  endUs: number,
  count: number,
  maxPoints = 64,
): void {
  if (count <= 0) return;
  if (endUs <= startUs || count === 1) {
    histogram.recordValueWithCount(clampUs(count === 1 ? endUs : startUs), count);
    return;
  }
  const points = Math.min(count, maxPoints);
  const base = Math.floor(count / points);
  let extra = count - base * points;
  for (let i = 0; i < points; i++) {
    const valueUs = startUs + ((endUs - startUs) * i) / (points - 1);
    const n = base + (extra-- > 0 ? 1 : 0);
    histogram.recordValueWithCount(clampUs(valueUs), n);
  }
}

function clampUs(valueUs: number): number {
  return Math.round(Math.min(60_000_000, Math.max(1, valueUs)));
}

export { recordUs };

/** A trial for results of tools that keep no intended-time (corrected) latency: both histograms are the same. */
export function trialFromHistogram(fields: {
  histogram: Histogram;
  startTime: string;
  durationS: number;
  requestedRps: number;
  actualRps?: number;
  errorsByKind: Record<string, number>;
  statusCodes: Record<string, number>;
  requests?: number;
  generators: number;
  intervals?: LoadTrial['intervals'];
}): LoadTrial {
  const { histogram, startTime, durationS } = fields;
  const requests = fields.requests ?? histogram.totalCount;
  const encoded = encodeHistogram(histogram);
  const summary = summarize(histogram);
  const startMs = Date.parse(startTime);
  const trial: LoadTrial = {
    startTime: Number.isNaN(startMs) ? new Date(0).toISOString() : new Date(startMs).toISOString(),
    endTime: new Date((Number.isNaN(startMs) ? 0 : startMs) + durationS * 1000).toISOString(),
    durationS,
    requestedRps: fields.requestedRps,
    actualRps: fields.actualRps ?? (durationS > 0 ? Math.round((requests / durationS) * 10) / 10 : 0),
    requests,
    errors: Object.values(fields.errorsByKind).reduce((a, b) => a + b, 0),
    errorsByKind: fields.errorsByKind,
    statusCodes: fields.statusCodes,
    latencyMs: summary,
    uncorrectedLatencyMs: summary,
    scheduleLagMs: { p50: 0, p99: 0, max: 0 },
    histogram: encoded,
    uncorrectedHistogram: encoded,
    generators: fields.generators,
  };
  if (fields.intervals) trial.intervals = fields.intervals;
  return trial;
}
