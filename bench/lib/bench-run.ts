/**
 * What each benchmark's main shares: progress lines on stderr, a pipeline logger that keeps only
 * warnings, the wall clock, and Ctrl-C. The first SIGINT or SIGTERM aborts the decision under way
 * (the pipeline cleans up) and the benchmark prints what it has; a second exits at once. Every
 * process the pipeline started is killed when the benchmark exits, however it exits.
 */
import { killAllNow } from '../../src/system/processes.js';
import type { Logger } from '../../src/util/log.js';

/** One progress line on stderr (stdout holds the report). */
export const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Pipeline logs are silent; warnings still reach stderr. */
export const quietLogger: Logger = {
  info: () => undefined,
  debug: () => undefined,
  warn: (message) => log(`warning: ${message}`),
  group: (_name, fn) => fn(),
};

/** Seconds as h:mm:ss. */
export const clock = (seconds: number): string =>
  `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/** "[done/total h:mm:ss]", the prefix of a progress line. */
export const progressPrefix = (done: number, total: number, elapsedS: number): string => `[${done}/${total} ${clock(elapsedS)}]`;

export interface BenchRun {
  /** Aborts at the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** True once a signal was received. */
  readonly interrupted: boolean;
  /** Seconds since the run started. */
  elapsedS(): number;
}

/** Start the clock and take over SIGINT, SIGTERM and exit for this benchmark. */
export function startBenchRun(): BenchRun {
  const startedMs = performance.now();
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: stopping after clean-up (again to stop at once)`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', killAllNow);
  return {
    signal: controller.signal,
    get interrupted() {
      return interrupted;
    },
    elapsedS: () => (performance.now() - startedMs) / 1000,
  };
}
