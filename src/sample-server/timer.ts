/**
 * Runs callbacks at precise performance.now() deadlines. setTimeout alone fires 0.1–1 ms late,
 * so the queue sleeps (PreciseWake: a helper thread in Atomics.wait) until 0.1–0.25 ms before
 * the earliest deadline and then polls with setImmediate. Deadlines are kept sorted (they arrive
 * nearly in order, so inserting from the back is cheap).
 */
import { PreciseWake } from '../load/precise-wake.js';

export interface DeadlineQueueOptions {
  /** Among equal deadlines, run the one added last first (default: first added, first run). */
  newestFirst?: boolean;
  /**
   * Run due callbacks for at most this long, then let the event loop read sockets and run other
   * queues before going on (default: run every due callback at once).
   */
  batchMs?: number;
}

interface Entry {
  deadlineMs: number;
  run: () => void;
}

export class DeadlineQueue {
  private readonly entries: Entry[] = [];
  private head = 0;
  private wakeUp: PreciseWake | undefined;
  private immediate: NodeJS.Immediate | undefined;

  constructor(private readonly options: DeadlineQueueOptions = {}) {}

  get size(): number {
    return this.entries.length - this.head;
  }

  at(deadlineMs: number, run: () => void): void {
    let i = this.entries.length;
    if (this.options.newestFirst) while (i > this.head && this.entries[i - 1].deadlineMs >= deadlineMs) i--;
    else while (i > this.head && this.entries[i - 1].deadlineMs > deadlineMs) i--;
    this.entries.splice(i, 0, { deadlineMs, run });
    this.schedule();
  }

  /**
   * Start the helper thread now (settles once it runs). Started at the first deadline instead, its
   * boot would make the first answers late.
   */
  start(): Promise<void> {
    return (this.wakeUp ??= new PreciseWake(this.tick)).ready;
  }

  /** Drop every pending callback and stop the helper thread. */
  close(): void {
    this.entries.length = 0;
    this.head = 0;
    this.disarm();
    this.wakeUp?.close();
    this.wakeUp = undefined;
  }

  private disarm(): void {
    this.wakeUp?.cancel();
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
  }

  private schedule(): void {
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    if (this.size === 0) return this.wakeUp?.cancel();
    const deadlineMs = this.entries[this.head].deadlineMs;
    this.wakeUp ??= new PreciseWake(this.tick);
    if (deadlineMs - performance.now() > this.wakeUp.pollWindowMs)
      this.wakeUp.at(deadlineMs - this.wakeUp.pollWindowMs);
    else {
      this.wakeUp.cancel();
      this.immediate = setImmediate(this.tick);
    }
  }

  private readonly tick = (): void => {
    this.immediate = undefined;
    const start = performance.now();
    const untilMs = start + (this.options.batchMs ?? Infinity);
    let now = start;
    while (this.head < this.entries.length && this.entries[this.head].deadlineMs <= now) {
      const entry = this.entries[this.head++];
      entry.run();
      now = performance.now();
      if (now >= untilMs) break;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
    this.schedule();
  };
}
