/**
 * Child processes of a benchmark: every one is registered, and all are killed when the bench
 * ends, fails, or is interrupted (Ctrl-C, SIGTERM). Each runs in its own process group (an
 * nginx's workers go with their master) handed to meshgate's watchdog, so a bench killed with
 * SIGKILL, or crashed past its handlers, leaves no server behind to load the next run.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { signalGroup } from '../../src/system/processes.js';
import { forgetGroup, watchGroup } from '../../src/system/watchdog.js';

const children = new Set<ChildProcess>();

/** Signal the child's process group (the child alone if it leads none). */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid) signalGroup(child.pid, name);
}

function killAll(): void {
  for (const child of children) signal(child, 'SIGKILL');
  children.clear();
}

let installed = false;
function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
}

export function startProcess(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  installHandlers();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
  children.add(child);
  const pid = child.pid;
  if (pid) watchGroup(pid);
  child.on('exit', () => {
    children.delete(child);
    if (!pid) return;
    // What is left of the group (an nginx's workers) goes with its leader.
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is gone
    }
    forgetGroup(pid);
  });
  return child;
}

/** Stop a child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signal(child, 'SIGTERM');
  const timer = setTimeout(() => signal(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set (VmHWM) seen while it ran, MiB. */
  peakRssMib: number;
}

/** Run to completion, collecting output and the peak RSS (polled from /proc). */
export function runToEnd(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<Finished> {
  const child = startProcess(command, args, options);
  let stdout = '';
  let stderr = '';
  let peakKib = 0;
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const poll = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peakKib = Math.max(peakKib, Number(match[1]));
    } catch {
      // exited between polls
    }
  }, 250);
  const killer = setTimeout(() => signal(child, 'SIGKILL'), options.timeoutMs ?? 600_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(killer);
      resolve({ code, stdout, stderr, peakRssMib: peakKib / 1024 });
    });
  });
}

/** Resolve with the first stdout line matching `pattern` (rejects if the process exits first). */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      buffered += chunk;
      const match = pattern.exec(buffered);
      if (match) {
        done();
        resolve(match);
      }
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`exited with ${code} before printing ${pattern}`));
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}
