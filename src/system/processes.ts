/**
 * Lifecycle of every process meshgate starts. Each child is registered until it exits; `stopAll`
 * (called by platforms' cleanup and by the signal handlers of the CLI and the action) sends
 * SIGTERM, waits briefly, then SIGKILL. Children run in their own process group so that a
 * proxy's worker processes go with their master. Every group is also handed to the watchdog
 * (watchdog.ts), which kills it should meshgate die without running any handler (SIGKILL).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { SetupError } from '../errors.js';
import { forgetGroup, watchGroup } from './watchdog.js';
import { killTagged, newProcessTag, TAG_VARIABLE } from './stragglers.js';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Last lines of stderr and stdout, for error messages. */
  outputTail(): string;
  /** Resolves when the process has exited (code or signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * SIGTERM to the group, SIGKILL after `graceMs` — or at once when `hurry` aborts (is aborted
   * already, or aborts during the grace): a Ctrl-C must not wait for a process ignoring SIGTERM.
   */
  stop(graceMs?: number, hurry?: AbortSignal): Promise<void>;
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
  // The tag lets stop() find descendants that left the process group (stragglers.ts).
  const tag = newProcessTag();
  const env = { ...(options.env ?? process.env), [TAG_VARIABLE]: tag };
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options, env });
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
    stop: async (graceMs = 3000, hurry?: AbortSignal) => {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        signalGroup(child.pid, 'SIGTERM');
        const kill = () => signalGroup(child.pid!, 'SIGKILL');
        const timer = setTimeout(kill, hurry?.aborted ? 0 : graceMs);
        hurry?.addEventListener('abort', kill, { once: true });
        await exited;
        clearTimeout(timer);
        hurry?.removeEventListener('abort', kill);
      }
      // Leftovers of the group, also when the leader had already exited (orphaned workers).
      if (child.pid && groupAlive(child.pid)) signalGroup(child.pid, 'SIGKILL');
      // Descendants that left the group (setsid, a daemonising double fork).
      killTagged(tag);
      if (child.pid) forgetGroup(child.pid);
      running.delete(managed);
    },
  };
  running.add(managed);
  if (child.pid && options.detached !== false) watchGroup(child.pid);
  void exited.then(() => {
    running.delete(managed);
    // A group that outlives its leader (a proxy's orphaned workers) stays watched.
    if (child.pid && options.detached !== false && !groupAlive(child.pid)) forgetGroup(child.pid);
  });
  return managed;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signal a process's group; the process alone if it leads none. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
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
  killTagged();
}

export function runningProcesses(): readonly ManagedProcess[] {
  return [...running];
}

/** Fail with the process's output when it exits before `ready` settles, or when `signal` aborts. */
export async function untilReadyOrExit<T>(
  proc: ManagedProcess,
  ready: Promise<T>,
  what: string,
  signal?: AbortSignal,
): Promise<T> {
  const died = proc.exited.then(({ code, signal: killedBy }) => {
    throw new SetupError(
      `${what} exited before it was ready (${killedBy ?? `exit code ${code}`})${proc.outputTail() ? `; its last output:\n${proc.outputTail()}` : ''}`,
    );
  });
  return untilAborted(Promise.race([ready, died]), signal);
}

/**
 * `work`, or a rejection with the signal's reason as soon as it aborts: a wait that cannot be
 * cancelled itself (a process starting, a probe loop) must still not delay Ctrl-C.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
