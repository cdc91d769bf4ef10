/**
 * What one worker records during the measured part. Three clocks per request:
 *  - due: when the open-loop schedule wanted it sent;
 *  - available: when it could have been sent — its due time, or later when every connection was
 *    busy (the server's backpressure) until one came free;
 *  - sent: when the generator actually sent it.
 * The gated latency is the intended one (due → answer) less the generator's own delay
 * (available → sent): the coordinated-omission correction still charges the server for requests
 * it kept from being sent (due → available), but a generator that woke late
 * while a connection was free (a hiccup of the generator thread: GC, a descheduled vCPU) is not
 * the server's doing and is kept out. The same holds on the receiving side: an answer read in the
 * burst after a pause of the generator thread arrived at some unknown moment of the pause
 * (runner.ts; counted in `hiccups.answers`); its response time is taken from what the server
 * showed the awake thread, inside the answer's own bounds (censored.ts), never below them. Latency
 * from the due time ("intended") and from the actual send ("uncorrected") are kept beside it, and
 * the generator's hiccups are counted like jHiccup's: each pause once, with its length.
 * The result crosses the thread boundary as plain JSON.
 */
import { createHistogram, encodeHistogram, recordUs, type Histogram } from './histogram.js';
import { statusErrorKind } from './classify.js';
import { ResponseTimeSample, type CensoredAnswer } from './censored.js';
import type { ErrorKind, GeneratorHiccups } from './types.js';

/** A generator delay of at least this much is a hiccup (shorter ones are wake-up jitter). */
export const HICCUP_MIN_MS = 0.5;

export interface WorkerResult {
  requests: number;
  errorsByKind: Record<string, number>;
  statusCodes: Record<string, number>;
  /** Server-attributable latency (due → answer, less the generator's own delay), µs. */
  histogram: string;
  uncorrectedHistogram: string;
  /** Latency from the intended (due) send time, µs. */
  intendedHistogram: string;
  /** Schedule lag in µs (empty in closed loop). */
  lagHistogram: string;
  hiccups: GeneratorHiccups;
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
  readonly intended: Histogram = createHistogram();
  readonly lag: Histogram = createHistogram();
  readonly hiccups: Required<GeneratorHiccups> = { count: 0, totalMs: 0, maxMs: 0, requests: 0, answers: 0 };
  private readonly intervals = new Map<number, Histogram>();
  /** Response times of answers read while the thread was awake, for the censored ones. */
  private readonly awake = new ResponseTimeSample();
  /** Answers read after a pause: recorded at result(), once the awake answers are all in. */
  private readonly censored: (CensoredAnswer & { dueMs: number; backpressureMs: number })[] = [];
  private lastSendMs = -Infinity;
  /** End of the hiccup being counted: later requests caught in the same pause join it. */
  private hiccupEndMs = -Infinity;

  /** `windowStartMs`: performance.now() at which the measured part begins. */
  constructor(
    private readonly windowStartMs: number,
    private readonly intervalMs: number,
    private readonly timeoutMs = Infinity,
  ) {}

  /**
   * A measured request was sent. Open loop: `dueMs` is its place in the schedule and
   * `availableMs` the moment a connection was free for it (≥ dueMs); closed loop: both undefined.
   */
  sent(sentMs: number, dueMs?: number, availableMs?: number): void {
    if (sentMs > this.lastSendMs) this.lastSendMs = sentMs;
    if (dueMs === undefined || availableMs === undefined) return;
    recordUs(this.lag, (sentMs - dueMs) * 1000);
    const generatorDelayMs = sentMs - availableMs;
    if (generatorDelayMs < HICCUP_MIN_MS) return;
    this.hiccups.requests++;
    if (availableMs < this.hiccupEndMs) {
      // The same pause: it lasted until this send if that is later.
      if (sentMs > this.hiccupEndMs) {
        this.hiccups.totalMs += sentMs - this.hiccupEndMs;
        this.hiccupEndMs = sentMs;
      }
    } else {
      this.hiccups.count++;
      this.hiccups.totalMs += generatorDelayMs;
      this.hiccupEndMs = sentMs;
    }
    this.hiccups.maxMs = Math.max(this.hiccups.maxMs, generatorDelayMs);
  }

  /**
   * A measured request ended with an HTTP answer, read at `endMs`. `readDelayMs`: how long after
   * the generator thread should have been awake to read it, when it was read in the burst after
   * a pause of that thread (0 otherwise): the answer arrived no earlier than `endMs − readDelayMs`.
   */
  answered(
    status: number,
    dueMs: number,
    availableMs: number,
    sentMs: number,
    endMs: number,
    readDelayMs = 0,
  ): void {
    this.requests++;
    this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
    const kind = statusErrorKind(status);
    if (kind) this.errorsByKind[kind] = (this.errorsByKind[kind] ?? 0) + 1;
    recordUs(this.uncorrected, (endMs - sentMs) * 1000);
    recordUs(this.intended, (endMs - dueMs) * 1000);
    // The server's backpressure (due → available) is charged either way; the generator's late send is not.
    const backpressureMs = availableMs - dueMs;
    if (readDelayMs > 0) {
      this.hiccups.answers++;
      this.censored.push({
        dueMs,
        backpressureMs,
        lowMs: endMs - readDelayMs - sentMs,
        highMs: endMs - sentMs,
      });
      return;
    }
    this.awake.add(endMs - sentMs);
    this.recordServer(dueMs, (backpressureMs + endMs - sentMs) * 1000);
  }

  /**
   * A measured request ended without an answer. A timeout still has a latency — at least the
   * timeout — and is recorded at it, so a hanging server can never show a small p99.
   */
  failed(kind: ErrorKind, dueMs?: number): void {
    this.requests++;
    this.errorsByKind[kind] = (this.errorsByKind[kind] ?? 0) + 1;
    if (kind === 'timeout' && Number.isFinite(this.timeoutMs)) {
      const us = this.timeoutMs * 1000;
      this.recordLatency(dueMs ?? this.windowStartMs, us, us);
      recordUs(this.uncorrected, us);
    }
  }

  private recordLatency(dueMs: number, serverUs: number, intendedUs: number): void {
    recordUs(this.intended, intendedUs);
    this.recordServer(dueMs, serverUs);
  }

  private recordServer(dueMs: number, serverUs: number): void {
    recordUs(this.corrected, serverUs);
    if (this.intervalMs > 0) {
      const index = Math.max(0, Math.floor((dueMs - this.windowStartMs) / this.intervalMs));
      let histogram = this.intervals.get(index);
      if (!histogram) this.intervals.set(index, (histogram = createHistogram()));
      recordUs(histogram, serverUs);
    }
  }

  /** The censored answers, each at the response time censored.ts gives it. */
  private recordCensored(): void {
    const responseMs = this.awake.impute(this.censored);
    this.censored.forEach(({ dueMs, backpressureMs }, i) =>
      this.recordServer(dueMs, (backpressureMs + responseMs[i]) * 1000),
    );
    this.censored.length = 0;
  }

  result(): WorkerResult {
    this.recordCensored();
    const round = (ms: number) => Math.round(ms * 1000) / 1000;
    return {
      requests: this.requests,
      errorsByKind: this.errorsByKind,
      statusCodes: this.statusCodes,
      histogram: encodeHistogram(this.corrected),
      uncorrectedHistogram: encodeHistogram(this.uncorrected),
      intendedHistogram: encodeHistogram(this.intended),
      lagHistogram: encodeHistogram(this.lag),
      hiccups: { ...this.hiccups, totalMs: round(this.hiccups.totalMs), maxMs: round(this.hiccups.maxMs) },
      intervals: [...this.intervals]
        .sort(([a], [b]) => a - b)
        .map(([index, histogram]) => ({ index, histogram: encodeHistogram(histogram) })),
      lastSendOffsetMs: this.lastSendMs === -Infinity ? -1 : this.lastSendMs - this.windowStartMs,
    };
  }
}
