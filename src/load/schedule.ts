/**
 * Open-loop schedule arithmetic. Request j of a run (warm-up included) is due at
 * t0 + j · 1000 / rps ms. With W workers, worker w sends j = w, w + W, w + 2W …, so the
 * workers' schedules interleave into exactly the single-generator schedule.
 */

export interface ScheduleCounts {
  /** Requests due during the warm-up (j < warmupRequests are not recorded). */
  warmupRequests: number;
  /** All requests of the run, warm-up included. */
  totalRequests: number;
}

export function scheduleCounts(rps: number, warmupS: number, durationS: number): ScheduleCounts {
  const warmupRequests = Math.round(rps * warmupS);
  return { warmupRequests, totalRequests: warmupRequests + Math.round(rps * durationS) };
}

/** Offset from t0 (ms) at which global request j is due. */
export function dueOffsetMs(globalIndex: number, rps: number): number {
  return (globalIndex * 1000) / rps;
}

/** Global index of worker w's k-th request. */
export function globalIndexOf(localIndex: number, workerIndex: number, workerCount: number): number {
  return localIndex * workerCount + workerIndex;
}

/** How many of the run's `total` requests worker w sends. */
export function localRequestCount(total: number, workerIndex: number, workerCount: number): number {
  return total > workerIndex ? Math.ceil((total - workerIndex) / workerCount) : 0;
}

/** Worker w's share of the connections (the first `connections % W` workers get one more). */
export function connectionsOf(connections: number, workerIndex: number, workerCount: number): number {
  return Math.floor(connections / workerCount) + (workerIndex < connections % workerCount ? 1 : 0);
}

/** Worker threads actually used: never more than connections (a worker without one idles). */
export function effectiveThreads(threads: number, connections: number): number {
  return Math.max(1, Math.min(threads, connections));
}
