/**
 * Nighthawk's native JSON output → LoadTrial.
 *
 * Precision: Nighthawk prints, per statistic, a percentile ladder of its HdrHistogram (each step:
 * the fraction, the cumulative count, and the value there). The rebuilt histogram records each
 * step's new count at that step's value, so counts are exact and every percentile on the ladder
 * is reproduced (within the 3-digit precision); between steps values sit at the upper step, which
 * is conservative. Nighthawk's ladder gets finer towards the tail. Latency is measured from the
 * actual send, so corrected = uncorrected. Status classes come from its counters (`2xx` …).
 * Nighthawk's fortio-format output is read by the fortio importer.
 */
import { z } from 'zod';
import { UserError } from '../../../errors.js';
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

/** Nighthawk writes durations as strings of seconds: "0.000180007s". */
const seconds = z
  .string()
  .regex(/^-?\d+(\.\d+)?s$/, 'must be a duration such as "0.0012s"')
  .transform((text) => Number(text.slice(0, -1)));

const Statistic = z.object({
  id: z.string(),
  count: numeric,
  percentiles: z
    .array(
      z.object({
        percentile: z.number().min(0).max(1).optional(),
        count: numeric.optional(),
        duration: seconds.optional(),
      }),
    )
    .default([]),
  min: seconds.optional(),
  max: seconds.optional(),
});

const Result = z.object({
  name: z.string(),
  statistics: z.array(Statistic).default([]),
  counters: z.array(z.object({ name: z.string(), value: numeric })).default([]),
  execution_duration: seconds.optional(),
  execution_start: z.string().optional(),
});

export const NighthawkOutputSchema = z.object({
  options: z
    .object({ requests_per_second: numeric.optional(), duration: seconds.optional() })
    .loose()
    .default({}),
  results: z.array(Result).min(1),
  timestamp: z.string().optional(),
});

/** Nighthawk's id of the request → response latency. */
export const NIGHTHAWK_LATENCY_ID = 'benchmark_http_client.request_to_response';

function counterErrors(counters: { name: string; value: number }[]) {
  const statusCodes: Record<string, number> = {};
  const errorsByKind: Record<string, number> = {};
  const add = (record: Record<string, number>, key: string, n: number) =>
    (record[key] = (record[key] ?? 0) + n);
  for (const { name, value } of counters) {
    const status = /(?:^|\.)http_([1-5]xx)$/.exec(name);
    if (status) {
      add(statusCodes, status[1], value);
      if (status[1] !== '2xx') add(errorsByKind, `status_${status[1]}`, value);
    } else if (/connect_fail|connection_failure/.test(name)) add(errorsByKind, 'connect_refused', value);
    else if (/timeout/.test(name)) add(errorsByKind, 'timeout', value);
    else if (/reset/.test(name)) add(errorsByKind, 'reset', value);
  }
  return { statusCodes, errorsByKind };
}

/**
 * `statisticId`: the statistic to import; default Nighthawk's request → response latency, or the
 * only statistic with durations when that one is absent.
 */
export function importNighthawk(raw: unknown, file: string, statisticId?: string): LoadTrial {
  const output = parseInput(NighthawkOutputSchema, raw, file, 'Nighthawk JSON');
  const workers = output.results.filter((r) => r.name !== 'global');
  const result =
    output.results.find((r) => r.name === 'global') ?? (workers.length === 1 ? workers[0] : undefined);
  if (!result)
    throw new UserError(
      `${file}: results: no "global" result to import (found ${output.results.map((r) => r.name).join(', ')})`,
    );
  const withDurations = result.statistics.filter((s) => s.percentiles.some((p) => p.duration !== undefined));
  const statistic = statisticId
    ? result.statistics.find((s) => s.id === statisticId)
    : (result.statistics.find((s) => s.id === NIGHTHAWK_LATENCY_ID) ??
      (withDurations.length === 1 ? withDurations[0] : undefined));
  if (!statistic) {
    const ids = withDurations.map((s) => `"${s.id}"`).join(', ') || 'none';
    throw new UserError(
      `${file}: results[global].statistics: no statistic "${statisticId ?? NIGHTHAWK_LATENCY_ID}" (statistics with durations: ${ids})`,
    );
  }
  const histogram = createHistogram();
  let previousCount = 0;
  for (const [index, step] of statistic.percentiles.entries()) {
    if (step.duration === undefined || step.count === undefined) continue;
    if (step.count < previousCount)
      throw new UserError(`${file}: ${statistic.id}.percentiles[${index}].count: counts must not decrease`);
    spreadOver(histogram, step.duration * 1e6, step.duration * 1e6, step.count - previousCount);
    previousCount = step.count;
  }
  // A statistic without a ladder (e.g. few samples): keep its count at min..max.
  if (
    previousCount === 0 &&
    statistic.count > 0 &&
    statistic.min !== undefined &&
    statistic.max !== undefined
  )
    spreadOver(histogram, statistic.min * 1e6, statistic.max * 1e6, statistic.count);
  const { statusCodes, errorsByKind } = counterErrors(result.counters);
  const durationS = result.execution_duration ?? output.options.duration ?? 0;
  // Nighthawk's --rps is per worker.
  const requestedRps = (output.options.requests_per_second ?? 0) * Math.max(1, workers.length);
  return trialFromHistogram({
    histogram,
    startTime: result.execution_start ?? output.timestamp ?? '',
    durationS,
    requestedRps,
    errorsByKind,
    statusCodes,
    requests: Math.max(statistic.count, histogram.totalCount),
    generators: Math.max(1, workers.length),
  });
}

export function importNighthawkFile(path: string, statisticId?: string): LoadTrial {
  return importNighthawk(parseJsonText(readImportedText(path), path), path, statisticId);
}
