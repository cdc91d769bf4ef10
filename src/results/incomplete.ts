/**
 * A run that ends early (a build or proxy died, Ctrl-C, a failed trial) keeps what it measured:
 * the experiment attaches the completed trials to the error, and each door writes them to
 * results.json with `incomplete` set, so nothing measured is thrown away. A results file marked
 * incomplete reads like any other; the gate notes it and does not save it as a baseline.
 */
import { errorMessage } from '../errors.js';
import type { Results } from './schema.js';

const partial = new WeakMap<object, Results>();

/** Attach the trials completed before `error` ended the run (none: nothing is attached). */
export function attachCompletedTrials(error: unknown, results: Results | undefined): void {
  if (!results || typeof error !== 'object' || error === null) return;
  if (results.variants.every((v) => v.trials.length === 0)) return;
  partial.set(error, markIncomplete(results, errorMessage(error).split('\n')[0].slice(0, 400)));
}

/** `results` marked incomplete for `reason` (the trials it holds are the completed ones). */
export function markIncomplete(results: Results, reason: string): Results {
  const completedTrials = results.variants.reduce((sum, v) => sum + v.trials.length, 0);
  return { ...results, incomplete: { reason, completedTrials } };
}

/** The completed trials carried by an error, marked incomplete, if any. */
export function completedTrialsOf(error: unknown): Results | undefined {
  return typeof error === 'object' && error !== null ? partial.get(error) : undefined;
}
