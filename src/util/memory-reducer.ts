/**
 * V8's memory reducer runs a full mark-compact about 8 s after an isolate starts (and again when
 * it turns idle), to give memory back. In a load worker — a fresh isolate for every trial — that
 * GC landed at the same offset in every trial: a 10–35 ms stall of the generator 8–9 s after the
 * trial began, whatever its warm-up and duration (seen with `node --trace-gc` as
 * "Mark-Compact (reduce)" in the worker's isolate). meshgate's threads and processes that keep
 * time (load workers, the sample server) run without it; ordinary GC still bounds their heaps.
 */
import { setFlagsFromString } from 'node:v8';

/** Node flag for processes that keep time (the sample server). */
export const NO_MEMORY_REDUCER = '--no-memory-reducer';

let applied = false;

/** Isolates created after this call (worker threads) start without the memory reducer. */
export function disableMemoryReducerForNewIsolates(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(NO_MEMORY_REDUCER);
}
