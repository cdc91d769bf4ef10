/**
 * Runs callbacks at precise performance.now() deadlines. setTimeout alone fires 0.1–1 ms late,
 * so the queue sleeps with a timer until ~1.5 ms before the earliest deadline and then polls
 * with setImmediate. Deadlines are kept sorted (they arrive nearly in order, so inserting from
 * the back is cheap).
 */
const POLL_WINDOW_MS = 1.5;

interface Entry {
  deadlineMs: number;
  run: () => void;
}

export class DeadlineQueue {
  private readonly entries: Entry[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  get size(): number {
    return this.entries.length - this.head;
  }

  at(deadlineMs: number, run: () => void): void {
    let i = this.entries.length;
    while (i > this.head && this.entries[i - 1].deadlineMs > deadlineMs) i--;
    this.entries.splice(i, 0, { deadlineMs, run });
    this.schedule();
  }

  /** Drop every pending callback. */
  clear(): void {
    this.entries.length = 0;
    this.head = 0;
    this.disarm();
  }

  private disarm(): void {
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private schedule(): void {
    this.disarm();
    if (this.size === 0) return;
    const delayMs = this.entries[this.head].deadlineMs - performance.now();
    if (delayMs > POLL_WINDOW_MS) this.timer = setTimeout(this.tick, Math.floor(delayMs - POLL_WINDOW_MS + 0.5));
    else this.immediate = setImmediate(this.tick);
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    const now = performance.now();
    while (this.head < this.entries.length && this.entries[this.head].deadlineMs <= now) {
      const entry = this.entries[this.head++];
      entry.run();
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
    this.schedule();
  };
}
