/** Messages between the engine (main thread) and its load workers. */
import type { WorkerResult } from './recorder.js';
import type { ShareSpec } from './runner.js';

export interface WorkerInput {
  /** The worker was created with a fine timer slack (util/timer-slack.ts). */
  fineTimerSlack: boolean;
}

/** Main → worker: connect this share of a job and report ready. A worker runs one job at a time. */
export interface JobMessage {
  type: 'job';
  spec: ShareSpec;
}

/** Main → worker: begin at this wall-clock time (ms since the epoch, fractional). */
export interface StartMessage {
  type: 'start';
  t0EpochMs: number;
}

export type WorkerMessage =
  { type: 'ready' } | { type: 'result'; result: WorkerResult } | { type: 'error'; message: string };

/** Wall-clock ms with sub-ms precision, comparable across threads. */
export const epochNowMs = (): number => performance.timeOrigin + performance.now();

/** Convert a wall-clock time to this thread's performance.now() scale. */
export const epochToLocalMs = (epochMs: number): number => epochMs - performance.timeOrigin;
