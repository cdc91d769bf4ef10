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
  const completed = results.variants.reduce((sum, v) => sum + v.trials.length, 0);
  if (completed === 0) return;
  const reason = errorMessage(error).split('\n')[0].slice(0, 400);
  partial.set(error, { ...results, incomplete: { reason, completedTrials: completed } });
}

/** The completed trials carried by an error, marked incomplete, if any. */
export function completedTrialsOf(error: unknown): Results | undefined {
  return typeof error === 'object' && error !== null ? partial.get(error) : undefined;
}
