/**
 * The load engine: runs one LoadJob on `threads` worker threads (each with its share of the
 * connections and of the open-loop schedule), starts them together once all are connected,
 * and merges their histograms exactly into one LoadTrial.
 */
import type { Worker } from 'node:worker_threads';
import { SetupError } from '../errors.js';
import { startWorker } from '../util/entry.js';
import { disableMemoryReducerForNewIsolates } from '../util/memory-reducer.js';
import { createWithFineSlack } from '../util/timer-slack.js';
import { parseJob } from './job-schema.js';
import {
  epochNowMs,
  type JobMessage,
  type StartMessage,
  type WorkerInput,
  type WorkerMessage,
} from './messages.js';
import type { WorkerResult } from './recorder.js';
import { effectiveThreads } from './schedule.js';
import { assembleTrial } from './trial.js';
import type { LoadJob, LoadTrial } from './types.js';

export interface RunLoadOptions {
  signal?: AbortSignal;
  /** Called about once a second with the elapsed fraction of warm-up + duration (0..1). */
  onProgress?: (fraction: number) => void;
}

/** Time allowed for workers to start (tsx in source mode is slow on a busy machine) and connect. */
const READY_TIMEOUT_MS = 60_000;
/** Margin between "all ready" and t0, so every worker is waiting when t0 comes. */
const START_MARGIN_MS = 50;

export async function runLoad(job: LoadJob, options: RunLoadOptions = {}): Promise<LoadTrial> {
  job = parseJob(job, 'load job', true);
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const threads = effectiveThreads(job.threads, job.connections);
  disableMemoryReducerForNewIsolates();
  const workers: Worker[] = [];
  const cleanups: (() => void)[] = [];
  try {
    workers.push(...takeWorkers(threads));
    const failure = watchWorkers(workers, signal, cleanups);
    workers.forEach((worker, workerIndex) =>
      worker.postMessage({
        type: 'job',
        spec: { job, workerIndex, workerCount: threads },
      } satisfies JobMessage),
    );
    await Promise.race([failure, waitAll(workers, 'ready', READY_TIMEOUT_MS, cleanups)]);
    const t0EpochMs = Math.max(job.startAtEpochMs ?? 0, epochNowMs() + START_MARGIN_MS);
    const results = waitAll(workers, 'result', undefined, cleanups);
    for (const worker of workers) worker.postMessage({ type: 'start', t0EpochMs } satisfies StartMessage);
    if (onProgress) cleanups.push(reportProgress(t0EpochMs, job, onProgress));
    const collected = (await Promise.race([failure, results])) as WorkerResult[];
    for (const cleanup of cleanups.splice(0)) cleanup();
    releaseWorkers(workers.splice(0));
    return assembleTrial(job, t0EpochMs + job.warmupS * 1000, collected);
  } finally {
    for (const cleanup of cleanups) cleanup();
    // A failed or aborted job's workers may still hold connections or a half-run share: never reused.
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/**
 * Load workers kept between trials. A fresh worker per trial started on a cold isolate (its first
 * requests ran unoptimised code, and V8's memory reducer collected ~8 s in) and cost ~0.35 s to
 * start (much more under tsx on a busy machine). Idle workers are unref'd: they never keep the
 * process alive, and `closeLoadWorkers` ends them.
 */
const idleWorkers: Worker[] = [];

function takeWorkers(count: number): Worker[] {
  const taken = idleWorkers.splice(0, count);
  for (const worker of taken) worker.ref();
  while (taken.length < count)
    // Created with a fine timer slack, which the worker and its PreciseWake helpers inherit.
    taken.push(
      createWithFineSlack((fineTimerSlack) =>
        startWorker('load-worker', { workerData: { fineTimerSlack } satisfies WorkerInput }),
      ),
    );
  return taken;
}

function releaseWorkers(workers: Worker[]): void {
  for (const worker of workers) {
    worker.unref();
    idleWorkers.push(worker);
  }
}

/** Idle load workers waiting for the next job. */
export const idleLoadWorkers = (): number => idleWorkers.length;

/** End the idle load workers (at the end of a run; harmless when there are none). */
export async function closeLoadWorkers(): Promise<void> {
  await Promise.all(idleWorkers.splice(0).map((worker) => worker.terminate()));
}

/** Rejects when a worker fails or exits early, or when the signal aborts. Never resolves. */
function watchWorkers(
  workers: Worker[],
  signal: AbortSignal | undefined,
  cleanups: (() => void)[],
): Promise<never> {
  return new Promise((_, reject) => {
    workers.forEach((worker, index) => {
      const onError = (error: Error) =>
        reject(new SetupError(`load worker ${index} failed: ${error.message}`));
      const onExit = (code: number) =>
        reject(new SetupError(`load worker ${index} exited early with code ${code}`));
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'error')
          reject(new SetupError(`load worker ${index} failed: ${message.message}`));
      };
      worker.on('error', onError).on('exit', onExit).on('message', onMessage);
      cleanups.push(() => worker.off('error', onError).off('exit', onExit).off('message', onMessage));
    });
    if (signal) {
      const onAbort = () => reject(signal.reason ?? new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
  });
}

function waitAll(
  workers: Worker[],
  type: 'ready' | 'result',
  timeoutMs: number | undefined,
  cleanups: (() => void)[],
): Promise<WorkerResult[]> {
  return new Promise((resolve, reject) => {
    const results: WorkerResult[] = new Array(workers.length);
    let pending = workers.length;
    const timer = timeoutMs
      ? setTimeout(() => reject(new SetupError(`load workers not ready after ${timeoutMs} ms`)), timeoutMs)
      : undefined;
    cleanups.push(() => clearTimeout(timer));
    workers.forEach((worker, index) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type !== type) return;
        worker.off('message', onMessage);
        if (message.type === 'result') results[index] = message.result;
        if (--pending === 0) {
          clearTimeout(timer);
          resolve(results);
        }
      };
      worker.on('message', onMessage);
      cleanups.push(() => worker.off('message', onMessage));
    });
  });
}

function reportProgress(t0EpochMs: number, job: LoadJob, onProgress: (fraction: number) => void): () => void {
  const totalMs = (job.warmupS + job.durationS) * 1000;
  const timer = setInterval(() => {
    const fraction = (epochNowMs() - t0EpochMs) / totalMs;
    if (fraction >= 0) onProgress(Math.min(1, fraction));
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
