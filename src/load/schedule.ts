/**
 * Open-loop schedule arithmetic. Request j of a run (warm-up included) is due at
 * t0 + (j + u_j) · 1000 / rps ms, where u_j ∈ [0, 1) is a fixed pseudo-random phase of j: one
 * request somewhere in each period of the schedule. With W workers, worker w sends j = w, w + W,
 * w + 2W …, so the workers' schedules interleave into exactly the single-generator schedule, and
 * due times still increase with j (j + u_j < j + 1 + u_(j+1)).
 *
 * Why not the exact period: a strictly periodic schedule phase-locks with a server whose answer
 * time is a whole number of periods. At 1,000 rps, the answer to a 1 ms request lands exactly
 * when the next request is due, so the generator's send and the server's answer (and the server's
 * read and its timer) collide every time, adding ~0.1–0.3 ms — and a 1.15 ms server collides with
 * nothing. A +15% change of a 1 ms service then read as +1…+6%, and at 400 rps a 10 → 11.5 ms
 * change read +1.3 ms: the lock hit the base and not the head. A random phase in each period
 * spreads those collisions evenly over every server, whatever its delay; the rate stays exact.
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

/** u_j: a uniform [0, 1) phase from j alone (a 32-bit integer hash), the same in every worker. */
export function phaseOf(globalIndex: number): number {
  let x = (globalIndex + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x ^= x >>> 16;
  return (x >>> 0) / 4294967296;
}

/** Offset from t0 (ms) at which global request j is due. */
export function dueOffsetMs(globalIndex: number, rps: number): number {
  return ((globalIndex + phaseOf(globalIndex)) * 1000) / rps;
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
