/**
 * Processes that left their group. Every process meshgate starts carries MESHGATE_PROCESS_TAG in
 * its environment, and its descendants inherit it — also one that `setsid`s or double-forks out of
 * the process group that stop() signals. After a group is stopped, every process still carrying
 * its tag is found in /proc and killed. Linux only (elsewhere nothing is found); a descendant that
 * clears its environment (`env -i`) is not found.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export const TAG_VARIABLE = 'MESHGATE_PROCESS_TAG';
/** This meshgate process's tags start with it. */
const RUN_TOKEN = `${process.pid}-${randomBytes(6).toString('hex')}`;
let counter = 0;

/** A tag for the next process started. */
export function newProcessTag(): string {
  return `${RUN_TOKEN}-${++counter}`;
}

const tagOf = (pid: string): string | undefined => {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'latin1')
      .split('\0')
      .find((item) => item.startsWith(`${TAG_VARIABLE}=`));
    return entry?.slice(TAG_VARIABLE.length + 1);
  } catch {
    return undefined; // gone, or not ours
  }
};

/** Processes carrying `tag` (or, with no tag, any of this run's tags). */
export function taggedPids(tag?: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((pid) => {
      const found = tagOf(pid);
      return found !== undefined && (tag ? found === tag : found.startsWith(`${RUN_TOKEN}-`));
    })
    .map(Number);
}

/** SIGKILL every process carrying `tag` (no tag: this run's); returns how many were found. */
export function killTagged(tag?: string): number {
  if (counter === 0) return 0; // nothing was started: no /proc scan on every exit
  const pids = taggedPids(tag);
  for (const pid of pids)
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  return pids.length;
}
