/**
 * Runs an external tool (kind, kubectl, istioctl, linkerd, docker) with an argv array — never a
 * shell string, so nothing from a profile can be interpreted by a shell — and captures its output.
 */
import { spawn } from 'node:child_process';
import { SetupError } from '../errors.js';

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

/** Run and capture; resolves with the exit code even when it is not 0. */
export function run(program: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const command = describeCommand(program, args);
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...args], {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const onAbort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(
        new SetupError(`could not start ${command}: ${error.message}; check that ${program} is installed`),
      );
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ command, exitCode, stdout, stderr, timedOut });
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
