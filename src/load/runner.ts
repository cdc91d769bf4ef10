/**
 * One worker's share of a load job: its connections, its part of the open-loop schedule
 * (global requests w, w + W, w + 2W …) or, at rps 0, a closed loop on each connection.
 *
 * Timing: the next due request is awaited by sleeping (PreciseWake: a helper thread in
 * Atomics.wait) until 0.1–0.25 ms before it, then by polling with setImmediate for that last
 * stretch. Timers alone fire 0.1–1 ms late, which would show up as latency; polling all the time
 * would hold a core and, on a shared machine, get the thread descheduled for tens of ms. When every slot is busy, due requests wait (the backlog is just the index of the next
 * unsent request) and are sent as slots free up, still measured from their due time; a request
 * that could not be sent within timeoutMs of its due time counts as a timeout. Every phase is
 * bounded: the run ends at most ~2 × timeoutMs after the schedule.
 *
 * The receiving side has the same split. The loop knows when it should next run (the wake it
 * asked for). A callback that comes HICCUP_MIN_MS or more after both that moment and the end of
 * the previous callback (time spent in our own callbacks, such as a flood of answers after a
 * server stall, is not a pause) ends a pause of this thread. Answers read in the same turn of the
 * loop (before its check phase) arrived at an unseen moment between the pause's start and now:
 * the recorder charges them a response time inside those bounds (censored.ts), neither the
 * generator's sleep nor less than the server can take. Their connections count as free from the
 * pause's start.
 *
 * Idle slots are used oldest-idle first, so a request due while every slot was busy takes the
 * slot that came free first: the moment it came free is when the request could have been sent,
 * which separates the server's backpressure from the generator's own lateness (recorder.ts).
 * A slot whose request the generator sent late counts as free that much earlier: after a pause,
 * the backlog queued behind connections that are busy only with the catch-up burst is the
 * generator's lateness too, not the server's backpressure.
 */
import { PreciseWake } from './precise-wake.js';
import { HICCUP_MIN_MS, Recorder, type WorkerResult } from './recorder.js';
import { connectionsOf, dueOffsetMs, globalIndexOf, localRequestCount, scheduleCounts } from './schedule.js';
import { SLOT_FACTORIES } from './slot-factories.js';
import type { RequestSlot, SlotOptions } from './slot.js';
import type { ErrorKind, LoadJob } from './types.js';

export interface ShareSpec {
  job: LoadJob;
  workerIndex: number;
  workerCount: number;
}

const CONNECT_TIMEOUT_MS = 5000;

/**
 * This thread's PreciseWake, kept from one run to the next like the load worker itself. Started
 * at every run's t0, its helper's boot (0.1–0.25 s of CPU here) ran under the load, and the run's
 * first wakes waited for it.
 */
let threadWake: PreciseWake | undefined;
const wakeOfThread = (): PreciseWake => (threadWake ??= new PreciseWake());

const now = () => performance.now();

export class ShareRunner {
  private readonly slots: RequestSlot[] = [];
  /** Closers of what slots share (an HTTP/2 connection's session), run after the slots close. */
  private readonly sharedClosers: (() => void)[] = [];
  private idle: RequestSlot[] = [];
  private busyCount = 0;

  private readonly openLoop: boolean;
  private readonly localTotal: number;
  private readonly warmupRequests: number;
  private nextLocal = 0;

  private t0Ms = 0;
  private windowStartMs = 0;
  private windowEndMs = 0;
  private hardDeadlineMs = 0;
  private started = false;
  private finished = false;
  private recorder: Recorder | undefined;

  /** When the loop should next run a callback of ours (Infinity: nothing asked for, not armed). */
  private awakeByMs = Infinity;
  /** When the last of our callbacks returned. */
  private lastRanMs = -Infinity;
  /** The pause whose burst of callbacks is being processed (pauseEndMs −Infinity: none). */
  private pauseStartMs = -Infinity;
  private pauseEndMs = -Infinity;
  private wakeUp: PreciseWake | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private resolveRun: ((result: WorkerResult) => void) | undefined;

  constructor(private readonly spec: ShareSpec) {
    const { job, workerIndex, workerCount } = spec;
    this.openLoop = job.rps > 0;
    const counts = scheduleCounts(job.rps, job.warmupS, job.durationS);
    this.warmupRequests = counts.warmupRequests;
    this.localTotal = this.openLoop ? localRequestCount(counts.totalRequests, workerIndex, workerCount) : 0;
    const options: SlotOptions = {
      url: new URL(job.url),
      method: job.request.method,
      path: job.request.path,
      headers: job.request.headers,
      body: job.request.body,
      insecureTls: job.insecureTls ?? false,
      onDone: (slot, status, error) => this.onDone(slot, status, error),
    };
    const connections = connectionsOf(job.connections, workerIndex, workerCount);
    const open = SLOT_FACTORIES[job.protocol];
    for (let c = 0; c < connections; c++) {
      const opened = open(options, job);
      this.slots.push(...opened.slots);
      if (opened.close) this.sharedClosers.push(opened.close);
    }
  }

  /** Open every connection and start the wake-up helper before the run, so that neither is measured. */
  async connect(): Promise<void> {
    const timeoutMs = Math.min(CONNECT_TIMEOUT_MS, this.spec.job.timeoutMs);
    await Promise.all([...this.slots.map((slot) => slot.connect(timeoutMs)), wakeOfThread().ready]);
  }

  /** Run from t0 (a performance.now() time of this thread) to the end of the schedule. */
  run(t0Ms: number): Promise<WorkerResult> {
    const { job } = this.spec;
    this.t0Ms = t0Ms;
    this.windowStartMs = t0Ms + job.warmupS * 1000;
    this.windowEndMs = this.windowStartMs + job.durationS * 1000;
    this.hardDeadlineMs = this.windowEndMs + 2 * job.timeoutMs + 1000;
    this.recorder = new Recorder(this.windowStartMs, job.intervalMs ?? 0, job.timeoutMs);
    this.idle = [...this.slots];
    const sweepMs = Math.max(5, Math.min(100, job.timeoutMs / 4));
    this.sweeper = setInterval(() => this.sweep(), sweepMs);
    this.wakeUp = wakeOfThread();
    this.wakeUp.handle(this.wake);
    return new Promise((resolve) => {
      this.resolveRun = resolve;
      this.pump();
    });
  }

  /** End now (abort): in-flight requests are dropped unreported. */
  stop(): void {
    this.finish();
  }

  private pump(): void {
    if (this.finished) return;
    let t = now();
    if (!this.started) {
      if (t < this.t0Ms) return this.arm(this.t0Ms);
      this.started = true;
      if (!this.openLoop) {
        for (const slot of this.idle) this.dispatch(slot, now(), undefined);
        this.idle = [];
        return;
      }
    }
    if (!this.openLoop) return this.maybeFinish();
    const { rps, timeoutMs } = this.spec.job;
    const { workerIndex, workerCount } = this.spec;
    while (this.nextLocal < this.localTotal) {
      const globalIndex = globalIndexOf(this.nextLocal, workerIndex, workerCount);
      const dueMs = this.t0Ms + dueOffsetMs(globalIndex, rps);
      if (dueMs > t) break;
      if (dueMs < t - timeoutMs) {
        // Never sent in time: its latency exceeds the timeout.
        if (globalIndex >= this.warmupRequests) this.recorder!.failed('timeout', dueMs);
        this.nextLocal++;
        continue;
      }
      const slot = this.idle.shift();
      if (!slot) break; // all busy: the backlog is sent as slots free up
      this.nextLocal++;
      this.dispatch(slot, dueMs, globalIndex >= this.warmupRequests);
      t = now();
    }
    if (this.nextLocal < this.localTotal) {
      if (this.idle.length > 0) {
        const nextGlobal = globalIndexOf(this.nextLocal, workerIndex, workerCount);
        this.arm(this.t0Ms + dueOffsetMs(nextGlobal, rps));
      }
    } else this.maybeFinish();
  }

  /** Send on a slot; `measured` undefined = closed loop (measured when sent inside the window). */
  private dispatch(slot: RequestSlot, dueMs: number, measured: boolean | undefined): void {
    const sentMs = now();
    slot.busy = true;
    slot.dueMs = measured === undefined ? sentMs : dueMs;
    slot.availableMs = measured === undefined ? sentMs : Math.max(dueMs, slot.idleSinceMs);
    slot.sentMs = sentMs;
    slot.measured = measured ?? (sentMs >= this.windowStartMs && sentMs < this.windowEndMs);
    if (slot.measured && measured !== undefined) this.recorder!.sent(sentMs, dueMs, slot.availableMs);
    else if (slot.measured) this.recorder!.sent(sentMs);
    this.busyCount++;
    slot.send();
  }

  private onDone(slot: RequestSlot, status: number, error: ErrorKind | undefined): void {
    if (!slot.busy || this.finished) return;
    const endMs = now();
    this.notePause(endMs);
    // Read after a pause: charged (and the connection free) only from the pause's start.
    const readMs = slot.sentMs < this.pauseEndMs ? Math.max(slot.sentMs, this.pauseStartMs) : endMs;
    slot.busy = false;
    // The connection is free from when it would have been, had this request left when it could:
    // a request the generator sent late (a pause, its backlog) holds the connection that much
    // longer, and the next request's wait for it is the generator's, not backpressure. Its
    // service time (sent → read) is kept; only the generator's delay is moved.
    slot.idleSinceMs = readMs - Math.max(0, slot.sentMs - slot.availableMs);
    this.busyCount--;
    if (slot.measured) {
      if (error) this.recorder!.failed(error, slot.dueMs);
      else this.recorder!.answered(status, slot.dueMs, slot.availableMs, slot.sentMs, endMs, endMs - readMs);
    }
    if (this.openLoop) {
      this.idle.push(slot);
      this.pump();
      this.lastRanMs = now();
    } else if (endMs < this.windowEndMs) {
      this.dispatch(slot, endMs, undefined);
    } else {
      this.idle.push(slot);
      this.maybeFinish();
    }
  }

  private maybeFinish(): void {
    if (this.busyCount > 0) return;
    if (this.openLoop ? this.nextLocal >= this.localTotal : now() >= this.windowEndMs) this.finish();
  }

  private sweep(): void {
    const t = now();
    const { timeoutMs } = this.spec.job;
    for (const slot of this.slots) if (slot.busy && t - slot.sentMs > timeoutMs) slot.cancel('timeout');
    if (t > this.hardDeadlineMs) this.finish();
    else if (this.started && !this.openLoop) this.maybeFinish();
  }

  private arm(targetMs: number): void {
    if (this.awakeByMs !== Infinity) return;
    const t = now();
    if (this.wakeUp && targetMs - t > this.wakeUp.pollWindowMs) {
      this.awakeByMs = targetMs - this.wakeUp.pollWindowMs;
      this.wakeUp.at(this.awakeByMs);
    } else {
      this.awakeByMs = t;
      this.immediate = setImmediate(this.wake);
    }
  }

  private readonly wake = (): void => {
    const polled = this.immediate !== undefined;
    this.notePause(now());
    // Woken by the poll (setImmediate): this is the check phase, and this turn's answers were read.
    if (polled) this.pauseEndMs = -Infinity;
    this.awakeByMs = Infinity;
    this.immediate = undefined;
    this.pump();
    this.lastRanMs = now();
  };

  /**
   * A callback ran at `t`: if that is a pause after the loop should have run, the callbacks of this
   * turn of the loop are its burst, until the check phase (setImmediate) ends the turn.
   */
  private notePause(t: number): void {
    const startMs = Math.max(this.awakeByMs, this.lastRanMs);
    if (this.pauseEndMs !== -Infinity || t - startMs < HICCUP_MIN_MS) return;
    this.pauseStartMs = startMs;
    this.pauseEndMs = t;
    setImmediate(this.endBurst);
  }

  private readonly endBurst = (): void => {
    this.pauseEndMs = -Infinity;
  };

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    // Kept for the next run: only this run's wake is withdrawn.
    this.wakeUp?.cancel();
    this.wakeUp?.handle(undefined);
    if (this.immediate) clearImmediate(this.immediate);
    clearInterval(this.sweeper);
    for (const slot of this.slots) slot.close();
    for (const close of this.sharedClosers) close();
    const result = this.recorder?.result();
    if (result && this.resolveRun) this.resolveRun(result);
  }
}
