/**
 * One logging interface for the pipeline. The CLI prints to stderr; the action logs through
 * @actions/core (groups, warnings). Progress lines are for long phases (trial 3/8, 62% …).
 */
import { redactText } from './secrets.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** Run `fn` inside a named, collapsible section. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export function stderrLogger(options: { verbose?: boolean; quiet?: boolean } = {}): Logger {
  const write = (line: string) => {
    if (!options.quiet) process.stderr.write(`${redactText(line)}\n`);
  };
  return {
    info: write,
    warn: (message) => write(`warning: ${message}`),
    debug: (message) => {
      if (options.verbose) write(`debug: ${message}`);
    },
    async group(name, fn) {
      write(`── ${name}`);
      return fn();
    },
  };
}

/** A logger that keeps lines in memory (tests). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
    async group(name, fn) {
      lines.push(`── ${name}`);
      return fn();
    },
  };
}
