/**
 * Children die with meshgate, even when meshgate itself is killed with SIGKILL (no handler runs
 * then). A small watchdog process holds the read end of a pipe from meshgate; meshgate writes
 * to it the process group of every child it starts and the work directories it creates. When the
 * pipe closes — meshgate exited, however it exited — the watchdog kills the groups still listed
 * and removes the directories, then exits. Node has no PR_SET_PDEATHSIG and native addons are
 * not wanted; a pipe's end is the one thing the kernel always delivers.
 *
 * The watchdog runs in its own process group and ignores SIGINT, SIGTERM and SIGHUP, so a
 * Ctrl-C in the terminal (sent to the whole foreground group) leaves it to do its work. It is
 * `node -e` with the script below: nothing to ship beside the bundles, no shell.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The watchdog's program: lines "+<pgid>", "-<pgid>", "+dir <path>", "-dir <path>" on stdin. */
const SCRIPT = `
const { rmSync } = require('node:fs');
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
const groups = new Set();
const dirs = new Set();
let partial = '';
process.stdin.on('data', (chunk) => {
  const lines = (partial + chunk.toString('utf8')).split('\\n');
  partial = lines.pop();
  for (const line of lines) {
    const m = /^([+-])(dir )?(.+)$/.exec(line);
    if (!m) continue;
    const set = m[2] ? dirs : groups;
    const value = m[2] ? m[3] : Number(m[3]);
    if (!m[2] && !(value > 1)) continue;
    if (m[1] === '+') set.add(value); else set.delete(value);
  }
});
const finish = () => {
  for (const pgid of groups) { try { process.kill(-pgid, 'SIGKILL'); } catch {} }
  for (const dir of dirs) { if (/\\/meshgate-[^/]+$/.test(dir)) { try { rmSync(dir, { recursive: true, force: true }); } catch {} } }
  process.exit(0);
};
process.stdin.on('end', finish);
process.stdin.on('error', finish);
process.stdin.on('close', finish);
`;

let watchdog: ChildProcess | undefined;
let broken = false;

function send(line: string): void {
  if (broken) return;
  if (!watchdog) {
    try {
      watchdog = spawn(process.execPath, ['-e', SCRIPT], {
        stdio: ['pipe', 'ignore', 'ignore'],
        detached: true,
        // The bundles' NODE_OPTIONS (a loader, say) have no business in the watchdog.
        env: { PATH: process.env.PATH ?? '' },
      });
    } catch {
      broken = true;
      return;
    }
    watchdog.on('error', () => (broken = true));
    watchdog.stdin?.on('error', () => (broken = true));
    // Neither the process nor its pipe may keep meshgate's event loop alive.
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }
  watchdog.stdin?.write(`${line}\n`);
}

/** Kill this process group if meshgate dies before `forgetGroup`. */
export function watchGroup(pgid: number): void {
  if (pgid > 1) send(`+${pgid}`);
}

export function forgetGroup(pgid: number): void {
  if (pgid > 1 && watchdog) send(`-${pgid}`);
}

/** Remove this directory (a meshgate-* temporary directory) if meshgate dies before `forgetDirectory`. */
export function watchDirectory(path: string): void {
  if (!path.includes('\n')) send(`+dir ${path}`);
}

export function forgetDirectory(path: string): void {
  if (watchdog && !path.includes('\n')) send(`-dir ${path}`);
}

/** The watchdog's pid (tests), once one runs. */
export function watchdogPid(): number | undefined {
  return watchdog?.pid;
}
