/**
 * Answers read in the burst after a pause of the generator thread are interval-censored: the
 * answer arrived somewhere between the pause's start (or its send, if later) and the moment it
 * was read, and nothing in the process was awake to see when. Charging the lower end — what the
 * engine once did — records latencies no server produced (0.01 ms for a 1 ms server when a pause
 * began just after the send); charging the upper end gives the server the generator's sleep.
 *
 * What can be known: the response time lies in [lowMs, highMs], and the server's response times
 * are what the same worker saw for the answers it read while awake (pauses of the generator thread
 * are independent of which request is in flight). So each censored answer takes a value of that
 * distribution conditioned on [lowMs, highMs]: the k-th censored answer takes the conditional
 * quantile at the k-th point of a golden-ratio sequence, which spreads them over the conditional
 * distribution as random draws would, but reproducibly. Every value so charged is one the server
 * produced in the same run, or the time the answer was read (it arrived no later, so it took no
 * longer), or a bound above some answer the server produced: never below what a request can take.
 *
 * The awake answers are kept as a bounded uniform sample (reservoir, fixed seed): 200,000 values
 * at most per worker, one array write per answer on the hot path.
 */

const RESERVOIR_SIZE = 200_000;
const GOLDEN = 0.618_033_988_749_895;

export interface CensoredAnswer {
  /** Earliest the answer can have arrived, as response time from its send (ms). */
  lowMs: number;
  /** When it was read, as response time from its send (ms): the answer arrived no later. */
  highMs: number;
}

export class ResponseTimeSample {
  private readonly values: number[] = [];
  private seen = 0;
  private state = 0x9e3779b9;

  /** An answer read while the generator thread was awake: its response time (ms). */
  add(responseMs: number): void {
    if (this.seen < RESERVOIR_SIZE) this.values.push(responseMs);
    else {
      const slot = Math.floor(this.random() * (this.seen + 1));
      if (slot < RESERVOIR_SIZE) this.values[slot] = responseMs;
    }
    this.seen++;
  }

  /**
   * The response times to charge the censored answers, in their order: each inside its own bounds,
   * taken from the awake answers' distribution where it reaches into them.
   */
  impute(censored: readonly CensoredAnswer[]): number[] {
    if (censored.length === 0) return [];
    const sorted = Float64Array.from(this.values).sort();
    return censored.map(({ lowMs, highMs }, k) => {
      if (sorted.length === 0) return highMs; // nothing seen awake: the bound the server surely met
      const from = lowerBound(sorted, lowMs);
      const to = upperBound(sorted, highMs);
      if (to > from) {
        const u = (0.5 + (k + 1) * GOLDEN) % 1;
        return sorted[from + Math.min(to - from - 1, Math.floor(u * (to - from)))];
      }
      // No awake answer inside the bounds: slower than all of them (lowMs is then above every one),
      // faster than all of them (highMs, the time it was read, is an upper bound), or in a gap.
      if (from >= sorted.length) return lowMs;
      if (to === 0) return highMs;
      return (lowMs + highMs) / 2;
    });
  }

  /** xorshift32: a fixed sequence, so a run's sample does not depend on Math.random. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
}

/** First index whose value is ≥ x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > x. */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
