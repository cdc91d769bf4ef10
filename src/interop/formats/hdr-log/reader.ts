/**
 * HdrHistogram interval logs (the V2 text format of the Java/C/JS libraries, as written by
 * jHiccup, wrk2 --u_latency logs, Gatling …) → LoadTrial.
 *
 * Precision: full. Each interval is an HdrHistogram; they are added exactly, and the values are
 * converted to µs. The log does not say its unit, so `unit: 'auto'` infers it from the first
 * interval's Interval_Max column (written as max / outputValueUnitRatio, in ms by convention):
 * histogram max / column max ≈ 1e6 → ns, 1e3 → µs, 1 → ms. Conversion to µs keeps 3 significant
 * digits for values ≥ 1 ms when the source was ns. The log holds latencies only: corrected and
 * uncorrected are the same, and counts of errors are unknown (0).
 */
import * as hdr from 'hdr-histogram-js';
import { UserError } from '../../../errors.js';
import { createHistogram, encodeHistogram, type Histogram } from '../../../load/histogram.js';
import type { LoadTrial } from '../../../load/types.js';
import { checkEncodedHistogram } from '../../../load/histogram-guard.js';
import { readImportedText, trialFromHistogram } from '../common.js';

export type HdrLogUnit = 'auto' | 'ns' | 'us' | 'ms';
export const US_PER_UNIT = { ns: 1e-3, us: 1, ms: 1e3 } as const;

export interface Interval {
  /** The line's `Tag=` value; '' for untagged lines. */
  tag: string;
  startS: number;
  lengthS: number;
  maxColumn: number;
  /** The decoded histogram's largest value (in the log's unit), for inferUnit; -1 when not decoded yet. */
  maxValue: number;
  /** `file: line N`, for a histogram that fails to decode when added. */
  where: string;
  /**
   * The line's histogram, still encoded: a decoded one holds its whole counts array (~140 KB for
   * a 1 µs–60 s range), so intervals are decoded one at a time when added, and memory stays
   * proportional to the log's size (decodeInterval).
   */
  encoded: string;
}

function decodeLine(encoded: string): hdr.Histogram {
  // Checked first (histogram-guard.ts): a log line is as untrusted as a results file.
  checkEncodedHistogram(encoded);
  return hdr.decodeFromCompressedBase64(encoded, 64, false);
}

/** The interval's histogram, decoded (checked when the log was parsed). */
export function decodeInterval(interval: Interval): hdr.Histogram {
  try {
    return decodeLine(interval.encoded);
  } catch (error) {
    throw notAHistogram(interval.where, error);
  }
}

const notAHistogram = (where: string, error: unknown) =>
  new UserError(
    `${where}: Interval_Compressed_Histogram is not a V2 compressed histogram (${(error as Error).message.split('\n')[0].slice(0, 160)})`,
  );

export function parseLines(text: string, file: string): { startTimeS?: number; intervals: Interval[] } {
  let startTimeS: number | undefined;
  let baseTimeS: number | undefined;
  const intervals: Interval[] = [];
  let needSample = true;
  text.split(/\r?\n/).forEach((line, index) => {
    const where = `${file}: line ${index + 1}`;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const start = /^#\[StartTime: ([\d.]+)/.exec(line);
      if (start) startTimeS = Number(start[1]);
      const base = /^#\[BaseTime: ([\d.]+)/.exec(line);
      if (base) baseTimeS = Number(base[1]);
      return;
    }
    if (/^"?StartTimestamp"?/.test(line)) return;
    const fields = line.split(',');
    const tag = fields[0].startsWith('Tag=') ? fields.shift()!.slice('Tag='.length) : '';
    if (fields.length !== 4)
      throw new UserError(
        `${where}: expected StartTimestamp,Interval_Length,Interval_Max,Interval_Compressed_Histogram, got ${fields.length} fields`,
      );
    const [startS, lengthS, maxColumn] = fields.slice(0, 3).map(Number);
    if (![startS, lengthS, maxColumn].every(Number.isFinite))
      throw new UserError(`${where}: timestamps and max must be numbers`);
    const encoded = fields[3].trim();
    let maxValue = -1;
    try {
      // Checked (histogram-guard.ts) without decoding; decoded here only until inferUnit has its
      // sample (the first with a max), then once more when added (decodeInterval).
      if (needSample && maxColumn > 0) {
        maxValue = decodeLine(encoded).maxValue;
        needSample = maxValue <= 0;
      } else checkEncodedHistogram(encoded);
    } catch (error) {
      throw notAHistogram(where, error);
    }
    intervals.push({ tag, startS: startS + (baseTimeS ?? 0), lengthS, maxColumn, maxValue, encoded, where });
  });
  return { startTimeS, intervals };
}

export function inferUnit(intervals: Interval[], file: string): keyof typeof US_PER_UNIT {
  const sample = intervals.find((i) => i.maxColumn > 0 && i.maxValue > 0);
  if (!sample) return 'us';
  const ratio = sample.maxValue / sample.maxColumn;
  const log = Math.log10(ratio);
  if (Math.abs(log - 6) < 0.5) return 'ns';
  if (Math.abs(log - 3) < 0.5) return 'us';
  if (Math.abs(log) < 0.5) return 'ms';
  throw new UserError(
    `${file}: cannot infer the value unit (histogram max / Interval_Max = ${ratio.toPrecision(3)}); pass the unit explicitly`,
  );
}

/** Add `source` (values in some unit) into `target` (µs), clamping to the 1 µs..60 s range. */
export function addScaled(target: Histogram, source: hdr.Histogram, usPerUnit: number): void {
  const js = source as hdr.JsHistogram;
  const iterator = js.recordedValuesIterator;
  iterator.reset();
  while (iterator.hasNext()) {
    const step = iterator.next();
    const valueUs = Math.round(js.highestEquivalentValue(step.valueIteratedTo) * usPerUnit);
    target.recordValueWithCount(Math.min(60_000_000, Math.max(1, valueUs)), step.countAtValueIteratedTo);
  }
}

export function importHdrLog(text: string, file: string, unit: HdrLogUnit = 'auto'): LoadTrial {
  const { startTimeS, intervals } = parseLines(text, file);
  if (intervals.length === 0)
    throw new UserError(`${file}: no interval lines (is this an HdrHistogram log?)`);
  const usPerUnit = US_PER_UNIT[unit === 'auto' ? inferUnit(intervals, file) : unit];
  const total = createHistogram();
  const firstS = intervals[0].startS;
  const lastEndS = Math.max(...intervals.map((i) => i.startS + i.lengthS));
  const perInterval = intervals.map((interval) => {
    const histogram = createHistogram();
    addScaled(histogram, decodeInterval(interval), usPerUnit);
    total.add(histogram);
    return {
      startOffsetMs: Math.round((interval.startS - firstS) * 1000),
      histogram: encodeHistogram(histogram),
    };
  });
  const durationS = Math.round((lastEndS - firstS) * 1000) / 1000;
  return trialFromHistogram({
    histogram: total,
    // Timestamps are relative to StartTime unless they already look like epoch seconds.
    startTime: new Date((firstS > 1e8 ? firstS : (startTimeS ?? 0) + firstS) * 1000).toISOString(),
    durationS,
    requestedRps: 0,
    errorsByKind: {},
    statusCodes: {},
    generators: 1,
    intervals: perInterval,
  });
}

export function importHdrLogFile(path: string, unit: HdrLogUnit = 'auto'): LoadTrial {
  return importHdrLog(readImportedText(path), path, unit);
}
