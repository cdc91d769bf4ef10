/**
 * Results → a standard HdrHistogram interval log (format 1.3, as written by the Java, C and JS
 * libraries' HistogramLogWriter and read by HistogramLogProcessor, HistogramLogAnalyzer and
 * hdr-histogram-js's HistogramLogReader): one line per trial-second, tagged with the variant.
 *
 * Timestamps are seconds relative to the run's first trial (the #[BaseTime] line makes them
 * absolute); values are µs, and the Interval_Max column is in ms (max ÷ 1000), the convention
 * the readers use to infer the unit. The interval histograms are copied as stored (already V2
 * compressed); trials without intervals get one line for the whole trial.
 */
import * as hdr from 'hdr-histogram-js';
import { UserError } from '../errors.js';
import type { Results, Trial } from '../results/schema.js';
import { intervalLengthMs } from './html/timeline-data.js';

const LOG_FORMAT_VERSION = '1.3';
const US_PER_MS = 1000;

interface Line {
  startMs: number;
  lengthMs: number;
  tag: string;
  histogram: string;
}

/** Tags may not hold the log's separators (comma, whitespace). */
export const hlogTag = (variantId: string): string => variantId.replace(/[\s,]/g, '_');

function trialLines(trial: Trial, tag: string): Line[] {
  const startMs = Date.parse(trial.startTime);
  const trialLengthMs = trial.durationS * 1000;
  if (!trial.intervals || trial.intervals.length === 0)
    return [{ startMs, lengthMs: trialLengthMs, tag, histogram: trial.histogram }];
  const stepMs = intervalLengthMs(trial);
  return [...trial.intervals]
    .sort((a, b) => a.startOffsetMs - b.startOffsetMs)
    .map((interval) => {
      const remainingMs = trialLengthMs - interval.startOffsetMs;
      const lengthMs = remainingMs > 0 ? Math.min(stepMs, remainingMs) : stepMs;
      return { startMs: startMs + interval.startOffsetMs, lengthMs, tag, histogram: interval.histogram };
    });
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The log text; `variantId` keeps one variant. Throws a UserError for an unknown variant. */
export function renderHlog(results: Results, options: { variantId?: string; file?: string } = {}): string {
  const variants =
    options.variantId === undefined
      ? results.variants
      : results.variants.filter((v) => v.id === options.variantId);
  if (variants.length === 0)
    throw new UserError(
      `--variant: no variant ${JSON.stringify(options.variantId)} in ${options.file ?? 'the results'}; variants: ${results.variants.map((v) => v.id).join(', ')}`,
    );
  const lines = variants
    .flatMap((variant) => variant.trials.flatMap((trial) => trialLines(trial, hlogTag(variant.id))))
    .sort((a, b) => a.startMs - b.startMs);
  const baseMs = lines.length > 0 ? lines[0].startMs : Date.parse(results.createdAt);
  const header = [
    `#[Histogram log format version ${LOG_FORMAT_VERSION}]`,
    `#[meshgate: profile ${results.profile.name}, variants ${variants.map((v) => hlogTag(v.id)).join(' ')}; values in microseconds, Interval_Max in milliseconds]`,
    `#[StartTime: ${seconds(baseMs)} (seconds since epoch), ${new Date(baseMs).toISOString()}]`,
    `#[BaseTime: ${seconds(baseMs)} (seconds since epoch)]`,
    '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
  ];
  const body = lines.map((line) => {
    const histogram = hdr.decodeFromCompressedBase64(line.histogram, 64, false);
    const maxMs = histogram.totalCount > 0 ? histogram.maxValue / US_PER_MS : 0;
    return `Tag=${line.tag},${seconds(line.startMs - baseMs)},${seconds(line.lengthMs)},${maxMs.toFixed(3)},${line.histogram}`;
  });
  return `${[...header, ...body].join('\n')}\n`;
}
