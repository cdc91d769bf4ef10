/**
 * Cancellation: the runner sends SIGINT, then SIGTERM, when a job is cancelled or times out;
 * SIGHUP (a runner losing its session) is handled the same way.
 * The first signal aborts the pipeline (which cleans up); a second kills what is left at once.
 * Every process still registered is killed when this process exits.
 */
import { MeshgateError } from '../errors.js';
import { flushPendingWritesSync } from '../system/output-file.js';
import { killAllNow } from '../system/processes.js';

export function abortOnSignals(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // A results file being written lands first (trials are written as they end).
      flushPendingWritesSync();
      killAllNow();
      process.exit(130);
    }
    controller.abort(new MeshgateError(`interrupted by ${signal}`, 3));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  process.on('exit', killAllNow);
  return controller.signal;
}
