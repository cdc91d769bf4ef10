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
import { epochNowMs, type StartMessage, type WorkerInput, type WorkerMessage } from './messages.js';
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
    for (let workerIndex = 0; workerIndex < threads; workerIndex++) {
      // Created with a fine timer slack, which the worker and its PreciseWake helper inherit.
      const spec = { job, workerIndex, workerCount: threads };
      workers.push(
        createWithFineSlack((fineTimerSlack) =>
          startWorker('load-worker', { workerData: { spec, fineTimerSlack } satisfies WorkerInput }),
        ),
      );
    }
    const failure = watchWorkers(workers, signal, cleanups);
    await Promise.race([failure, waitAll(workers, 'ready', READY_TIMEOUT_MS, cleanups)]);
    const t0EpochMs = Math.max(job.startAtEpochMs ?? 0, epochNowMs() + START_MARGIN_MS);
    const results = waitAll(workers, 'result', undefined, cleanups);
    for (const worker of workers) worker.postMessage({ type: 'start', t0EpochMs } satisfies StartMessage);
    if (onProgress) cleanups.push(reportProgress(t0EpochMs, job, onProgress));
    const collected = (await Promise.race([failure, results])) as WorkerResult[];
    return assembleTrial(job, t0EpochMs + job.warmupS * 1000, collected);
  } finally {
    for (const cleanup of cleanups) cleanup();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
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
      // A worker exits by itself once it has posted its result; only an exit before that is a failure.
      let delivered = false;
      const onExit = (code: number) => {
        if (!delivered) reject(new SetupError(`load worker ${index} exited early with code ${code}`));
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'result') delivered = true;
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
