import type { Logger } from '../util/log.js';

export interface CommandIO {
  /** Results for the user (stdout). */
  out(text: string): void;
  /** Progress and diagnostics (stderr). */
  log: Logger;
  /** Aborted on SIGINT/SIGTERM; long commands stop and clean up. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code. */
  run(argv: string[], io: CommandIO): Promise<number>;
}
