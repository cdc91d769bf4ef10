/**
 * fortio `load -json` results (also Nighthawk's fortio-format output) → LoadTrial.
 *
 * Precision: fortio keeps only histogram buckets (`Data[]`: Start, End in seconds, Count), which
 * are coarse (its default buckets are 1, 2, 3 … 10, 20 … ms wide). Counts are exact; inside each
 * bucket the values are spread evenly between Start and End, as fortio's own percentile
 * interpolation assumes, so percentiles match fortio's within a bucket's width and min/max are
 * exact (the first Start is Min, the last End is Max). fortio measures from the actual send, so
 * the corrected and uncorrected histograms are the same and the schedule lag is unknown (0).
 */
import { z } from 'zod';
import { createHistogram } from '../../../load/histogram.js';
import type { LoadTrial } from '../../../load/types.js';
import {
  numeric,
  parseInput,
  parseJsonText,
  readImportedText,
  spreadOver,
  trialFromHistogram,
} from '../common.js';

const Bucket = z.object({
  Start: z.number().min(0),
  End: z.number().min(0),
  Count: numeric.pipe(z.number().int().min(0)),
});

export const FortioResultSchema = z.object({
  StartTime: z.string().optional(),
  RequestedQPS: z.union([z.number(), z.string()]).optional(),
  ActualQPS: z.number().min(0),
  ActualDuration: z.number().min(0), // ns
  NumThreads: numeric.optional(),
  DurationHistogram: z.object({
    Count: numeric.pipe(z.number().int().min(0)),
    Min: z.number().optional(),
    Max: z.number().optional(),
    Data: z.array(Bucket).nullable().optional(),
  }),
  RetCodes: z.record(z.string(), numeric).optional(),
  ErrorsDurationHistogram: z.object({ Count: numeric }).optional(),
});

export type FortioResult = z.infer<typeof FortioResultSchema>;

const FORTIO_POINTS_PER_BUCKET = 4096;

function requestedRps(value: number | string | undefined): number {
  if (value === undefined || value === 'max') return 0;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

export function importFortio(raw: unknown, file: string): LoadTrial {
  const result = parseInput(FortioResultSchema, raw, file, 'fortio JSON');
  const histogram = createHistogram();
  const buckets = result.DurationHistogram.Data ?? [];
  // 4,096 points per bucket, not 64: with tens of thousands of requests in a 2 ms bucket, 64 points
  // put every trial's p50 on the same one of them (CV 0.0%, an interval of zero width, issue #34),
  // while fortio's own interpolation moves with the counts. At 4,096 the step is below the
  // histogram's own precision (3 digits); a file's ~30 buckets cost ~120k records (~15 ms).
  buckets.forEach((bucket) =>
    spreadOver(histogram, bucket.Start * 1e6, bucket.End * 1e6, bucket.Count, FORTIO_POINTS_PER_BUCKET),
  );
  const statusCodes: Record<string, number> = {};
  const errorsByKind: Record<string, number> = {};
  for (const [code, count] of Object.entries(result.RetCodes ?? {})) {
    if (count === 0) continue;
    statusCodes[code] = count;
    const status = Number(code);
    // fortio reports socket-level failures as code -1.
    if (status < 0) errorsByKind.other = (errorsByKind.other ?? 0) + count;
    else if (status < 200 || status >= 300) errorsByKind[`status_${status}`] = count;
  }
  const durationS = result.ActualDuration / 1e9;
  return trialFromHistogram({
    histogram,
    startTime: result.StartTime ?? '',
    durationS,
    requestedRps: requestedRps(result.RequestedQPS),
    actualRps: Math.round(result.ActualQPS * 10) / 10,
    errorsByKind,
    statusCodes,
    requests: result.DurationHistogram.Count,
    generators: 1,
  });
}

export function importFortioFile(path: string): LoadTrial {
  return importFortio(parseJsonText(readImportedText(path), path), path);
}
