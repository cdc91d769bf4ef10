/**
 * Runs an external tool (kind, kubectl, istioctl, linkerd, docker) with an argv array — never a
 * shell string, so nothing from a profile can be interpreted by a shell — and captures its output.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { SetupError } from '../errors.js';
import { signalGroup } from './processes.js';

/**
 * The abort signal of the work a command belongs to (a platform's prepare(): kind create,
 * istioctl install, kubectl apply …), so that cancelling reaches every tool it started without
 * threading a signal through each call. See withCommandSignal.
 */
const scope = new AsyncLocalStorage<AbortSignal>();

/** Run `work` so that every command it starts is stopped when `signal` aborts, and no new one starts. */
export function withCommandSignal<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  return signal ? scope.run(signal, work) : work();
}

/** A command that ran, as a diagnostics bundle lists it (argv only: stdin is never kept). */
export interface CommandRecord {
  argv: string[];
  startedAt: string;
  durationMs: number;
  exitCode: number | null;
  timedOut: boolean;
  /** The last lines of its stderr (or stdout) when it failed. */
  tail?: string;
}
const RECENT_COMMANDS = 40;
const recent: CommandRecord[] = [];
/** The last commands run, oldest first (for a diagnostics bundle). */
export function recentCommands(): readonly CommandRecord[] {
  return [...recent];
}
function remember(record: CommandRecord): void {
  recent.push(record);
  if (recent.length > RECENT_COMMANDS) recent.shift();
}

/** After SIGTERM, how long a tool has to exit before its process group gets SIGKILL. */
const KILL_GRACE_MS = 10_000;
const abortError = (signal: AbortSignal) =>
  signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));

export interface RunOptions {
  /** Written to the tool's standard input, then closed. */
  stdin?: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Kill the tool when this signal aborts. */
  signal?: AbortSignal;
}

export interface RunResult {
  command: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** The last `lines` non-empty lines of a tool's stderr (or stdout when stderr is empty). */
export function outputTail(result: Pick<RunResult, 'stdout' | 'stderr'>, lines = 12): string {
  const text = result.stderr.trim() || result.stdout.trim();
  return text.split('\n').slice(-lines).join('\n');
}

/** How a command is shown in messages: argv joined, long arguments shortened. */
export function describeCommand(program: string, args: readonly string[]): string {
  const short = args.map((arg) => (arg.length > 60 ? `${arg.slice(0, 57)}...` : arg));
  return [program.split('/').pop() ?? program, ...short].join(' ');
}

/**
 * Where commands go instead of being run (a dry run): the sink records each command and answers
 * with what a plan needs to go on. Only the dry-run driver sets one.
 */
export type CommandSink = (program: string, args: readonly string[], options: RunOptions) => RunResult;
let sink: CommandSink | undefined;

/** Divert every later command to `next` (undefined: run them again); returns the previous sink. */
export function setCommandSink(next: CommandSink | undefined): CommandSink | undefined {
  const previous = sink;
  sink = next;
  return previous;
}

export function commandSinkActive(): boolean {
  return sink !== undefined;
}

/** Run and capture; resolves with the exit code even when it is not 0. */
export function run(program: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const command = describeCommand(program, args);
  if (sink) return Promise.resolve(sink(program, args, options));
  const scoped = scope.getStore();
  // Cancelled work starts nothing more: an install must not begin after its uninstall.
  if (scoped?.aborted) return Promise.reject(abortError(scoped));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // Its own process group, so that stopping it stops what it started too (kind's docker calls).
    const child = spawn(program, [...args], {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let exited = false;
    const kill = (signal: NodeJS.Signals) => {
      if (!exited && child.pid) signalGroup(child.pid, signal);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGKILL');
    }, options.timeoutMs);
    let graceTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      kill('SIGTERM');
      graceTimer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
    };
    const signals = [options.signal, scoped].filter((s): s is AbortSignal => s !== undefined);
    for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      exited = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      for (const signal of signals) signal.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      settle();
      reject(
        new SetupError(`could not start ${command}: ${error.message}; check that ${program} is installed`),
      );
    });
    // 'close': the tool exited and its output is read — only then may cleanup act on what it did.
    child.on('close', (exitCode) => {
      settle();
      const failed = exitCode !== 0 || timedOut;
      remember({
        argv: [program.split('/').pop() ?? program, ...args],
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        exitCode,
        timedOut,
        ...(failed ? { tail: outputTail({ stdout, stderr }, 20) } : {}),
      });
      if (scoped?.aborted) reject(abortError(scoped));
      else resolve({ command, exitCode, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => undefined); // a tool that exits without reading its input
    child.stdin.end(options.stdin ?? '');
  });
}

/** Run and require exit code 0; otherwise a SetupError naming the command, its output tail and `hint`. */
export async function runChecked(
  program: string,
  args: readonly string[],
  options: RunOptions & { hint: string },
): Promise<RunResult> {
  const result = await run(program, args, options);
  if (result.exitCode === 0 && !result.timedOut) return result;
  throw new SetupError(commandFailure(result, options.timeoutMs, options.hint));
}

export function commandFailure(result: RunResult, timeoutMs: number, hint: string): string {
  const how = result.timedOut
    ? `timed out after ${Math.round(timeoutMs / 1000)} s`
    : `failed (exit code ${result.exitCode})`;
  const tail = outputTail(result);
  return `\`${result.command}\` ${how}${tail ? `:\n${tail}\n` : '. '}Check: ${hint}`;
}
