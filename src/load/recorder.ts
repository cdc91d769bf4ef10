/**
 * What one worker records during the measured part: corrected latency (from the intended send
 * time), uncorrected latency (from the actual send), schedule lag, counts by outcome, and
 * optional per-interval histograms. Its result crosses the thread boundary as plain JSON.
 */
import { createHistogram, encodeHistogram, recordUs, type Histogram } from './histogram.js';
import { statusErrorKind } from './classify.js';
import type { ErrorKind } from './types.js';

export interface WorkerResult {
  requests: number;
  errorsByKind: Record<string, number>;
  statusCodes: Record<string, number>;
  histogram: string;
  uncorrectedHistogram: string;
  /** Schedule lag in µs (empty in closed loop). */
  lagHistogram: string;
  intervals: { index: number; histogram: string }[];
  /** Send time of the last measured request, ms after the measured part began (−1 when none). */
  lastSendOffsetMs: number;
}

export class Recorder {
  requests = 0;
  readonly errorsByKind: Record<string, number> = {};
  readonly statusCodes: Record<string, number> = {};
  readonly corrected: Histogram = createHistogram();
  readonly uncorrected: Histogram = createHistogram();
  readonly lag: Histogram = createHistogram();
  private readonly intervals = new Map<number, Histogram>();
  private lastSendMs = -Infinity;

  /** `windowStartMs`: performance.now() at which the measured part begins. */
  constructor(
    private readonly windowStartMs: number,
    private readonly intervalMs: number,
  ) {}

  /** A measured request was sent (open loop: `lagMs` behind its due time). */
  sent(sentMs: number, lagMs: number | undefined): void {
    if (sentMs > this.lastSendMs) this.lastSendMs = sentMs;
    if (lagMs !== undefined) recordUs(this.lag, lagMs * 1000);
  }

  /** A measured request ended with an HTTP answer. */
  answered(status: number, dueMs: number, sentMs: number, endMs: number): void {
    this.requests++;
    this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
    const kind = statusErrorKind(status);
    if (kind) this.errorsByKind[kind] = (this.errorsByKind[kind] ?? 0) + 1;
    const correctedUs = (endMs - dueMs) * 1000;
    recordUs(this.corrected, correctedUs);
    recordUs(this.uncorrected, (endMs - sentMs) * 1000);
    if (this.intervalMs > 0) {
      const index = Math.max(0, Math.floor((dueMs - this.windowStartMs) / this.intervalMs));
      let histogram = this.intervals.get(index);
      if (!histogram) this.intervals.set(index, (histogram = createHistogram()));
      recordUs(histogram, correctedUs);
    }
  }

  /** A measured request ended without an answer. */
  failed(kind: ErrorKind): void {
    this.requests++;
    this.errorsByKind[kind] = (this.errorsByKind[kind] ?? 0) + 1;
  }

  result(): WorkerResult {
    return {
      requests: this.requests,
      errorsByKind: this.errorsByKind,
      statusCodes: this.statusCodes,
      histogram: encodeHistogram(this.corrected),
      uncorrectedHistogram: encodeHistogram(this.uncorrected),
      lagHistogram: encodeHistogram(this.lag),
      intervals: [...this.intervals]
        .sort(([a], [b]) => a - b)
        .map(([index, histogram]) => ({ index, histogram: encodeHistogram(histogram) })),
      lastSendOffsetMs: this.lastSendMs === -Infinity ? -1 : this.lastSendMs - this.windowStartMs,
    };
  }
}
