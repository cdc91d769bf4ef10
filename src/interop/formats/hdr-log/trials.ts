/**
 * An HdrHistogram interval log → trials per tag.
 *
 * A log may hold several tags (meshgate's own `export --hlog` writes one per variant, jHiccup
 * none). Inside a tag, consecutive intervals that touch (the next starts where the previous
 * ended) belong to one trial; a gap starts the next one. Why: the log format has no notion of a
 * trial, but a trial's interval histograms are written back to back, while between two trials of
 * one variant there is always a warm-up, a setup or another variant's trial. The tolerance is a
 * few ms because the log rounds start and length to ms each. Each interval is kept as the
 * trial's interval histogram, so a meshgate → hlog → meshgate round trip keeps every count.
 */
import { UserError } from '../../../errors.js';
import { createHistogram, encodeHistogram } from '../../../load/histogram.js';
import {
  addScaled,
  decodeInterval,
  inferUnit,
  parseLines,
  US_PER_UNIT,
  type HdrLogUnit,
  type Interval,
} from './reader.js';
import { trialFromHistogram } from '../common.js';
import type { LoadTrial } from '../../../load/types.js';
import { maxOf } from '../../../util/extent.js';

/** Two intervals further apart than this (seconds) are in different trials. */
const CONTIGUOUS_TOLERANCE_S = 0.005;

function splitContiguous(intervals: Interval[]): Interval[][] {
  const sorted = [...intervals].sort((a, b) => a.startS - b.startS);
  const runs: Interval[][] = [];
  let endS = -Infinity;
  for (const interval of sorted) {
    if (runs.length === 0 || interval.startS > endS + CONTIGUOUS_TOLERANCE_S) runs.push([]);
    runs[runs.length - 1].push(interval);
    endS = Math.max(endS, interval.startS + interval.lengthS);
  }
  return runs;
}

function trialOf(run: Interval[], usPerUnit: number, startTimeS: number | undefined): LoadTrial {
  const total = createHistogram();
  const firstS = run[0].startS;
  const lastEndS = maxOf(run.map((i) => i.startS + i.lengthS));
  const intervals = run.map((interval) => {
    const histogram = createHistogram();
    addScaled(histogram, decodeInterval(interval), usPerUnit);
    total.add(histogram);
    return {
      startOffsetMs: Math.round((interval.startS - firstS) * 1000),
      histogram: encodeHistogram(histogram),
    };
  });
  // Timestamps are relative to StartTime unless they already look like epoch seconds.
  const startEpochS = firstS > 1e8 ? firstS : (startTimeS ?? 0) + firstS;
  return trialFromHistogram({
    histogram: total,
    startTime: new Date(startEpochS * 1000).toISOString(),
    durationS: Math.round((lastEndS - firstS) * 1000) / 1000,
    requestedRps: 0,
    errorsByKind: {},
    statusCodes: {},
    generators: 1,
    intervals,
  });
}

/** Trials per tag ('' for untagged lines), tags in the order they first appear. */
export function importHdrLogTrials(
  text: string,
  file: string,
  unit: HdrLogUnit = 'auto',
): Map<string, LoadTrial[]> {
  const { startTimeS, intervals } = parseLines(text, file);
  if (intervals.length === 0)
    throw new UserError(`${file}: no interval lines (is this an HdrHistogram log?)`);
  const usPerUnit = US_PER_UNIT[unit === 'auto' ? inferUnit(intervals, file) : unit];
  const byTag = new Map<string, Interval[]>();
  for (const interval of intervals) {
    const list = byTag.get(interval.tag) ?? [];
    list.push(interval);
    byTag.set(interval.tag, list);
  }
  const trials = new Map<string, LoadTrial[]>();
  for (const [tag, list] of byTag)
    trials.set(
      tag,
      splitContiguous(list).map((run) => trialOf(run, usPerUnit, startTimeS)),
    );
  return trials;
}
