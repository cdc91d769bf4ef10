/**
 * What the schema cannot say about a results file: counts that add up, ids that name one variant
 * each, an embedded gate the statistics can use, and histograms that decode within bounds. Run on
 * every read (parseResults), so `check`, `report`, `export` and the action's comment mode refuse a
 * forged or damaged file with one line naming the field, before any of it is used.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { checkEncodedHistogram, HistogramFormatError } from '../load/histogram-guard.js';
import { fieldPath } from '../util/issues.js';
import type { Results } from './schema.js';

/** Inflated histogram bytes one file may make us decode (the standard shape inflates to ~150 KB). */
export const MAX_DECODED_HISTOGRAM_BYTES_PER_FILE = 256 * 1024 * 1024;
/** Histograms one file may hold (trials × (2 + intervals)). */
export const MAX_HISTOGRAMS_PER_FILE = 200_000;

// Loose objects: only what the statistics read is checked, so a newer field does not break reading.
const threshold = z.looseObject({ maxIncrease: z.number().min(0), minDeltaMs: z.number().min(0).optional() });
const thresholds = z.looseObject({
  p50: threshold.optional(),
  p90: threshold.optional(),
  p99: threshold.optional(),
  p999: threshold.optional(),
});
const ceiling = z.looseObject({ max: z.number().positive() });
const resourceThreshold = z.looseObject({ maxIncrease: z.number().min(0), minDelta: z.number().min(0) });
/** The normalised gate (profile/types.ts GateSpec) as the profile schema produces it. */
const EmbeddedGateSchema = z.looseObject({
  latency: thresholds.optional(),
  overhead: thresholds.optional(),
  overheadResources: z.looseObject({ cpu: ceiling.optional(), memory: ceiling.optional() }).optional(),
  dataPlane: z
    .looseObject({ cpu: resourceThreshold.optional(), memory: resourceThreshold.optional() })
    .optional(),
  throughput: z.looseObject({ maxDecrease: z.number().min(0).max(1) }).optional(),
  capacity: z.looseObject({ maxDecrease: z.number().min(0).lt(1) }).optional(),
  overheadCapacity: z.looseObject({ maxDecrease: z.number().min(0).lt(1) }).optional(),
  errorRate: z.looseObject({ max: z.number().min(0).max(1) }).optional(),
  confidence: z
    .number()
    .gt(0.5, { error: 'expected a confidence level between 0.5 and 1' })
    .lt(1, { error: 'expected a confidence level between 0.5 and 1' })
    .optional(),
});

const fail = (file: string, path: PropertyKey[], problem: string): never => {
  throw new UserError(`${file}: ${fieldPath(path)}: ${problem}`);
};

function checkGate(results: Results, file: string): void {
  const gate = (results.profile as { gate?: unknown }).gate;
  if (gate === undefined) return;
  const parsed = EmbeddedGateSchema.safeParse(gate);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  fail(file, ['profile', 'gate', ...issue.path], issue.message);
}

function* histograms(results: Results): Generator<[PropertyKey[], string]> {
  for (const [v, variant] of results.variants.entries())
    for (const [t, trial] of variant.trials.entries()) {
      const at = ['variants', v, 'trials', t];
      yield [[...at, 'histogram'], trial.histogram];
      yield [[...at, 'uncorrectedHistogram'], trial.uncorrectedHistogram];
      for (const [i, interval] of (trial.intervals ?? []).entries())
        yield [[...at, 'intervals', i, 'histogram'], interval.histogram];
    }
}

function checkHistograms(results: Results, file: string): void {
  let count = 0;
  let decodedBytes = 0;
  for (const [path, encoded] of histograms(results)) {
    count += 1;
    if (count > MAX_HISTOGRAMS_PER_FILE)
      fail(file, path, `more than ${MAX_HISTOGRAMS_PER_FILE} histograms in one file`);
    try {
      decodedBytes += checkEncodedHistogram(encoded).inflatedBytes;
    } catch (error) {
      if (error instanceof HistogramFormatError) fail(file, path, `not a valid histogram: ${error.message}`);
      throw error;
    }
    if (decodedBytes > MAX_DECODED_HISTOGRAM_BYTES_PER_FILE)
      fail(file, path, `the histograms inflate to more than ${MAX_DECODED_HISTOGRAM_BYTES_PER_FILE} bytes`);
  }
}

/** Nesting a results file may have: its own shape is 8 deep; a profile a few more. */
export const MAX_RESULTS_NESTING = 64;

/**
 * Refuse a document nested deeper than MAX_RESULTS_NESTING before anything walks it (JSON.parse
 * takes 100,000 levels; the report's JSON.stringify of the embedded profile would overflow the
 * stack). Iterative, so the check itself cannot overflow.
 */
export function verifyNesting(json: unknown, file: string): void {
  const stack: Array<[unknown, PropertyKey[]]> = [[json, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_RESULTS_NESTING)
      fail(
        file,
        path.slice(0, 3),
        `nested more than ${MAX_RESULTS_NESTING} levels deep; a results file is not`,
      );
    for (const [key, child] of Object.entries(value))
      if (child !== null && typeof child === 'object')
        stack.push([child, [...path, Array.isArray(value) ? Number(key) : key]]);
  }
}

/** Throws a UserError naming the file and the first field that does not make sense. */
export function verifyResults(results: Results, file: string): void {
  if (results.variants.every((variant) => variant.trials.length === 0))
    fail(
      file,
      ['variants'],
      'no variant has a trial: nothing was measured, so there is nothing to check, report or export',
    );
  const seen = new Map<string, number>();
  for (const [v, variant] of results.variants.entries()) {
    const earlier = seen.get(variant.id);
    if (earlier !== undefined)
      fail(
        file,
        ['variants', v, 'id'],
        `"${variant.id}" is also variants[${earlier}]; variant ids must be unique`,
      );
    seen.set(variant.id, v);
    for (const [s, step] of (variant.capacity?.steps ?? []).entries())
      for (const [i, index] of step.trials.entries())
        if (index >= variant.trials.length)
          fail(
            file,
            ['variants', v, 'capacity', 'steps', s, 'trials', i],
            `trial ${index} does not exist (${variant.trials.length} trials)`,
          );
    for (const [t, trial] of variant.trials.entries()) {
      if (trial.errors > trial.requests)
        fail(
          file,
          ['variants', v, 'trials', t, 'errors'],
          `${trial.errors} errors in ${trial.requests} requests`,
        );
      for (const [name, value] of Object.entries(trial.latencyMs))
        if (!(value >= 0))
          fail(file, ['variants', v, 'trials', t, 'latencyMs', name], `negative latency ${value}`);
    }
  }
  checkGate(results, file);
  checkHistograms(results, file);
}
