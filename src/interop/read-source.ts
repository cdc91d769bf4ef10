/**
 * One input of `meshgate import`: recognise the format from the content (never from the file
 * name), import it, and state the precision that format keeps. Anything else is a UserError
 * naming the file (and, through the importers' zod schemas, the field).
 */
import { UserError } from '../errors.js';
import { importFortio, importNighthawk, type HdrLogUnit } from '../load/importers/index.js';
import { parseJsonText, readImportedText } from '../load/importers/common.js';
import type { LoadTrial } from '../load/types.js';
import { importHdrLogTrials } from './hlog-trials.js';

export type SourceFormat = 'fortio' | 'nighthawk' | 'hdrhistogram-log';

export interface ImportedSource {
  file: string;
  format: SourceFormat;
  /** What the format keeps of the latency distribution, in words. */
  precision: string;
  /** Trials per tag ('' when the file has no tags: one group). */
  groups: { tag: string; trials: LoadTrial[] }[];
}

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fortioPrecision(raw: Obj): string {
  const data = (raw.DurationHistogram as Obj | undefined)?.Data;
  const buckets = Array.isArray(data) ? (data as { Start?: unknown; End?: unknown }[]) : [];
  const widthsMs = buckets
    .map((b) => (Number(b.End) - Number(b.Start)) * 1000)
    .filter((w) => Number.isFinite(w) && w >= 0);
  const widestMs = widthsMs.length > 0 ? Math.max(...widthsMs) : 0;
  return (
    `coarse: ${buckets.length} fortio histogram bucket(s), the widest ${widestMs.toPrecision(3)} ms; ` +
    'counts, min and max exact, percentiles interpolated inside a bucket (off by up to its width); ' +
    'latency from the actual send (no coordinated-omission correction)'
  );
}

const NIGHTHAWK_PRECISION =
  "percentile ladder: counts exact, each of Nighthawk's ladder percentiles kept to 3 significant digits, " +
  'values between two steps placed at the upper one; latency from the actual send';

function hlogPrecision(): string {
  return (
    'full: HdrHistogram intervals (3 significant digits); latencies only, the log carries no status codes ' +
    'or error counts (reported as 0)'
  );
}

export function readSource(file: string, unit: HdrLogUnit = 'auto'): ImportedSource {
  const text = readImportedText(file);
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) {
    const raw = parseJsonText(text, file);
    if (isObject(raw) && 'DurationHistogram' in raw)
      return {
        file,
        format: 'fortio',
        precision: fortioPrecision(raw),
        groups: [{ tag: '', trials: [importFortio(raw, file)] }],
      };
    if (isObject(raw) && 'results' in raw)
      return {
        file,
        format: 'nighthawk',
        precision: NIGHTHAWK_PRECISION,
        groups: [{ tag: '', trials: [importNighthawk(raw, file)] }],
      };
    if (isObject(raw) && raw.schema === 'meshgate/results@1')
      throw new UserError(`${file}: already a meshgate results file; use it with meshgate check directly`);
    const keys = isObject(raw)
      ? Object.keys(raw).slice(0, 5).join(', ') || 'none'
      : Array.isArray(raw)
        ? 'an array'
        : typeof raw;
    throw new UserError(
      `${file}: JSON, but neither fortio's (no "DurationHistogram" field) nor Nighthawk's (no "results" field); top-level fields: ${keys}`,
    );
  }
  if (/^(#\[|"?StartTimestamp"?|(Tag=[^,]*,)?[\d.]+,[\d.]+,[\d.]+,HIST)/m.test(start)) {
    const trials = importHdrLogTrials(text, file, unit);
    return {
      file,
      format: 'hdrhistogram-log',
      precision: hlogPrecision(),
      groups: [...trials].map(([tag, list]) => ({ tag, trials: list })),
    };
  }
  const firstLine = start.split(/\r?\n/, 1)[0] ?? '';
  throw new UserError(
    `${file}: not a fortio JSON result, a Nighthawk JSON output or an HdrHistogram interval log (first line: ${JSON.stringify(firstLine.slice(0, 60))})`,
  );
}
