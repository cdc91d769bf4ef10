/**
 * A server with a fixed number of service slots, in virtual time: a request read at `readMs`
 * starts when the earliest slot is free (or at once) and holds that slot for its service time.
 * Finish times are computed, not measured, so the server's own CPU time does not add to the
 * service time: with one slot and 2 ms per request the capacity is exactly 500 per second, and a
 * rate above it makes the queue (and the latency) grow without bound, as a real saturated server's.
 */
export class ServiceSlots {
  /** When each slot is next free, in performance.now() ms. */
  private readonly freeAtMs: number[];

  constructor(slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`service slots: expected a whole number ≥ 1, got ${slots}`);
    this.freeAtMs = new Array<number>(slots).fill(-Infinity);
  }

  /** When a request read at `readMs` and needing `serviceMs` is answered; it takes the earliest free slot. */
  finishMs(readMs: number, serviceMs: number): number {
    let earliest = 0;
    for (let i = 1; i < this.freeAtMs.length; i++) if (this.freeAtMs[i] < this.freeAtMs[earliest]) earliest = i;
    const startMs = Math.max(readMs, this.freeAtMs[earliest]);
    const finishMs = startMs + serviceMs;
    this.freeAtMs[earliest] = finishMs;
    return finishMs;
  }
}
