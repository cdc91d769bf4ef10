/**
 * Sub-millisecond wake-ups without spinning. Node's timers have 1 ms granularity and fire
 * 0.1–1 ms late; polling with setImmediate is precise but keeps a core busy, and on a shared
 * machine a spinning thread is descheduled for tens of ms at a time (worse than late timers).
 *
 * Instead a tiny helper thread sleeps in the kernel (Atomics.wait, µs resolution) until the
 * requested time and then posts a message, which wakes this thread's event loop at once (libuv
 * wakes epoll through an eventfd). Both threads sleep while they wait.
 *
 * The helper is an eval'd, dependency-free script, so it needs no file of its own in bundles.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { createWithFineSlack } from '../util/timer-slack.js';

/**
 * How long before a deadline to ask for the wake-up, then poll the rest. The helper's wake plus
 * the hop to this thread took p50 33 / p99 119 µs with a fine timer slack and p50 83 / p99 127 µs
 * with the default one (timer-slack.ts); a shorter window means less polling, and polling
 * threads are what delays other threads' wake-ups on a 2-core machine.
 */
const POLL_WINDOW_FINE_MS = 0.1;
const POLL_WINDOW_DEFAULT_MS = 0.25;

// Shared state: i32[0] generation (bumped on every change), i32[1] stop flag; f64[1] target
// time in epoch ms (0 = none).
const TICKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const control = new Int32Array(workerData.buffer, 0, 2);
const target = new Float64Array(workerData.buffer, 8, 1);
const port = workerData.port;
const now = () => performance.timeOrigin + performance.now();
port.postMessage(-1); // started: generations count from 0
let fired = -1;
while (Atomics.load(control, 1) === 0) {
  const generation = Atomics.load(control, 0);
  const at = target[0];
  if (at === 0 || fired === generation) { Atomics.wait(control, 0, generation); continue; }
  const remainingMs = at - now();
  if (remainingMs > 0) { Atomics.wait(control, 0, generation, remainingMs); continue; }
  fired = generation;
  port.postMessage(generation);
}
port.close();
`;

const epochNowMs = () => performance.timeOrigin + performance.now();

export class PreciseWake {
  private readonly buffer = new SharedArrayBuffer(16);
  private readonly control = new Int32Array(this.buffer, 0, 2);
  private readonly target = new Float64Array(this.buffer, 8, 1);
  private readonly port: MessagePort;
  private readonly ticker: Worker;
  private closed = false;
  private onWake: (() => void) | undefined;
  /** Ask for wake-ups this long before a deadline and poll for the rest (see above). */
  readonly pollWindowMs: number;
  /**
   * Settles once the helper thread runs (or has failed to start). Starting it takes an isolate's
   * boot, 0.1–0.25 s of CPU on a 2-core runner: a wake asked for before then comes that late.
   */
  readonly ready: Promise<void>;

  /** `onWake` runs on this thread's event loop at (or µs after) each requested time. */
  constructor(onWake?: () => void) {
    this.onWake = onWake;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    let started: () => void = () => undefined;
    this.ready = new Promise<void>((resolve) => (started = resolve));
    this.port.on('message', (generation: number) => {
      if (generation === -1) {
        started();
        if (this.target[0] === 0) this.port.unref();
        return;
      }
      // A wake for a request that was replaced or cancelled meanwhile is ignored.
      if (generation === Atomics.load(this.control, 0) && this.target[0] !== 0) {
        this.target[0] = 0;
        this.onWake?.();
      }
    });
    // Referenced until the helper reports in, so that awaiting `ready` keeps the loop alive.
    this.port.ref();
    let fine = false;
    this.ticker = createWithFineSlack((fineSlack) => {
      fine = fineSlack;
      return new Worker(TICKER_SOURCE, {
        eval: true,
        workerData: { buffer: this.buffer, port: port2 },
        transferList: [port2],
      });
    });
    this.ticker.unref();
    this.ticker.once('error', started).once('exit', started);
    this.pollWindowMs = fine ? POLL_WINDOW_FINE_MS : POLL_WINDOW_DEFAULT_MS;
  }

  /** Where wakes go from now on (undefined: nowhere). One helper can serve one run after another. */
  handle(onWake: (() => void) | undefined): void {
    this.onWake = onWake;
  }

  /** Wake once at this performance.now() time of the calling thread (replaces any earlier request). */
  at(localMs: number): void {
    if (this.closed) return;
    this.target[0] = Math.max(1, localMs + performance.timeOrigin);
    this.bump();
    this.port.ref(); // a pending wake keeps the event loop alive
  }

  cancel(): void {
    this.target[0] = 0;
    this.bump();
    this.port.unref();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.target[0] = 0;
    Atomics.store(this.control, 1, 1);
    this.bump();
    this.port.close();
  }

  private bump(): void {
    Atomics.add(this.control, 0, 1);
    Atomics.notify(this.control, 0);
  }
}

export { epochNowMs };
