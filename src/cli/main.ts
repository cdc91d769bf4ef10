/**
 * meshgate — the command-line door into the same pipeline the GitHub Action runs.
 * Exit codes: 0 pass (or measured), 1 a gate failed, 2 bad input, 3 setup or measurement failed.
 */
import { MeshgateError, errorMessage } from '../errors.js';
import { flushPendingWritesSync } from '../system/output-file.js';
import { killAllNow, stopAll } from '../system/processes.js';
import { stderrLogger } from '../util/log.js';
import { MESHGATE_VERSION } from '../version.js';
import type { Command } from './command.js';
import { commands } from './commands/index.js';
import { didYouMean } from '../util/suggest.js';
import { redactText } from '../util/secrets.js';

const usage = () => `meshgate ${MESHGATE_VERSION} — gate pull requests on service-mesh performance

Usage: meshgate COMMAND [options]     (meshgate COMMAND --help for details)

Commands:
${commands.map((c: Command) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Exit codes: 0 pass, 1 a gate failed (regression), 2 bad input, 3 the system under test
could not be set up or measured.`;

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * An error message as the terminal gets it: at most 20 lines of at most 1,000 characters (long
 * enough for a message naming a field, two paths and the package to install), with
 * control characters (escape sequences from a hostile file) shown as `\uXXXX`.
 */
export function boundedMessage(message: string): string {
  const lines = message.split('\n');
  const shown = lines.slice(0, 20).map((line) => {
    // eslint-disable-next-line no-control-regex
    const clean = line.replace(
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    return clean.length > 1000 ? `${clean.slice(0, 997)}...` : clean;
  });
  if (lines.length > 20) shown.push(`(${lines.length - 20} more lines)`);
  return shown.join('\n');
}

/** `signalsInstalled`: called once main's own signal handlers are in place (cli/early-signals.ts). */
export async function main(argv: string[], hooks: { signalsInstalled?: () => void } = {}): Promise<number> {
  ignoreClosedOutput();
  const [first, ...given] = argv;
  // `meshgate help run` is `meshgate run --help`; a bare `meshgate help` prints the overview.
  const helpFor = first === 'help' && given.length > 0;
  const name = helpFor ? given[0] : first;
  const rest = helpFor ? ['--help'] : given;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write(`${MESHGATE_VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const hint = didYouMean(
      name,
      commands.map((c) => c.name),
    );
    process.stderr.write(`meshgate: unknown command "${name}"${hint}\n\n${usage()}\n`);
    return 2;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) exitNow();
    process.stderr.write(`\nmeshgate: ${signal} received, stopping and cleaning up…\n`);
    controller.abort(new MeshgateError(`interrupted by ${signal}`, 3));
  };
  // SIGHUP: the terminal closed or the CI step was killed; handled like SIGTERM (stop, clean up).
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  hooks.signalsInstalled?.();
  process.on('exit', killAllNow);
  const quiet = rest.includes('--quiet') || rest.includes('-q');
  const verbose = rest.includes('--verbose') || rest.includes('-v');
  try {
    const code = await command.run(rest, {
      out: (text) => process.stdout.write(`${text}\n`),
      log: stderrLogger({ quiet, verbose }),
      signal: controller.signal,
    });
    // Interrupted when nothing was left to abort (a Ctrl-C during the last cleanup): what the
    // command wrote is whole, but it was asked to stop, and says so.
    if (controller.signal.aborted) {
      process.stderr.write(
        `meshgate: ${errorMessage(controller.signal.reason)}; everything started was stopped\n`,
      );
      return 130;
    }
    return code;
  } catch (error) {
    await stopAll();
    if (controller.signal.aborted) {
      process.stderr.write(
        `meshgate: ${errorMessage(controller.signal.reason)}; everything started was stopped\n`,
      );
      return 130;
    }
    if (error instanceof MeshgateError) {
      process.stderr.write(`${prefixed(boundedMessage(redactText(error.message)))}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `meshgate: unexpected error: ${redactText(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
    return 3;
  } finally {
    // A signal after the command returned (while the process drains) must not fall back to the
    // default action, which would end the process by the signal instead of exit 130.
    for (const signal of STOP_SIGNALS) {
      process.off(signal, onSignal);
      process.off(signal, lateSignal);
      process.once(signal, lateSignal);
    }
  }
}

/**
 * "meshgate: …" before an error, unless the message already names its command ("meshgate run:
 * expected 1 argument(s)"), which would read "meshgate: meshgate run: …".
 */
export function prefixed(message: string): string {
  return /^meshgate [a-z]+: /.test(message) ? message : `meshgate: ${message}`;
}

/**
 * `meshgate … | head`: the reader goes away and the next write fails with EPIPE, an 'error' event
 * that, unhandled, ends the process with a stack trace. Output nobody reads is dropped instead;
 * the command goes on (a run still writes its results file and stops what it started).
 */
let outputGuarded = false;
function ignoreClosedOutput(): void {
  if (outputGuarded) return;
  outputGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') {
        // Later writes to a destroyed stream are dropped without another event.
        stream.destroy();
        return;
      }
      throw error;
    });
  }
}

function lateSignal(): void {
  exitNow();
}

/**
 * A second signal: end at once with 130, without the cleanup the first one started — but not
 * before a results file being written lands (trials are written as they end, so the finished
 * ones are on disk already or in that write).
 */
function exitNow(): never {
  flushPendingWritesSync();
  killAllNow();
  process.exit(130);
}
