/**
 * Lifecycle of every process meshgate starts. Each child is registered until it exits; `stopAll`
 * (called by platforms' cleanup and by the signal handlers of the CLI and the action) sends
 * SIGTERM, waits briefly, then SIGKILL. Children run in their own process group so that a
 * proxy's worker processes go with their master.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { SetupError } from '../errors.js';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Last lines of stderr and stdout, for error messages. */
  outputTail(): string;
  /** Resolves when the process has exited (code or signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ManagedProcess>();
const TAIL_BYTES = 4000;

/** Start a process from an argv array (never a shell string). */
export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions & { onStdoutLine?: (line: string) => void } = {},
): ManagedProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    keep(chunk);
    if (!options.onStdoutLine) return;
    partial += chunk.toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onStdoutLine(line);
  });
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      keep(Buffer.from(`${error.message}\n`));
      resolve({ code: -1, signal: null });
    });
  });
  const managed: ManagedProcess = {
    name,
    child,
    pid: child.pid ?? -1,
    outputTail: () => tail.trim(),
    exited,
    stop: async (graceMs = 3000) => {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        signalGroup(child.pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
        signalGroup(child.pid, 'SIGKILL'); // leftovers of the group, if any
      }
      running.delete(managed);
    },
  };
  running.add(managed);
  void exited.then(() => running.delete(managed));
  return managed;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Stop every process still registered. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** Synchronous last resort (process 'exit' handler): SIGKILL every registered group. */
export function killAllNow(): void {
  for (const p of running) if (p.pid > 0) signalGroup(p.pid, 'SIGKILL');
}

export function runningProcesses(): readonly ManagedProcess[] {
  return [...running];
}

/** Fail with the process's output when it exits before `ready` settles. */
export async function untilReadyOrExit<T>(proc: ManagedProcess, ready: Promise<T>, what: string): Promise<T> {
  const died = proc.exited.then(({ code, signal }) => {
    throw new SetupError(
      `${what} exited before it was ready (${signal ?? `exit code ${code}`})${proc.outputTail() ? `; its last output:\n${proc.outputTail()}` : ''}`,
    );
  });
  return Promise.race([ready, died]);
}
