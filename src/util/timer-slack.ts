/**
 * Linux timer slack. The kernel may fire a sleeping thread's timer up to its "slack" late, to
 * batch wake-ups (50 µs by default), so a thread sleeping in Atomics.wait wakes ~80 µs after
 * its deadline; with a 1 µs slack it wakes ~30 µs after it (measured on a 2-core VM).
 *
 * A thread may change only its own slack without CAP_SYS_NICE, /proc/self/timerslack_ns is the
 * main thread's, and a new thread inherits its creator's slack. So the main thread lowers its
 * slack just while it creates a thread and restores it at once: only the new thread (and the
 * threads it creates) keeps the fine slack. Elsewhere (other systems, no /proc, a worker
 * thread that did not inherit it) threads are created as usual and keep the default slack.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const SLACK_FILE = '/proc/self/timerslack_ns';
const FINE_SLACK_NS = '1000';

/** Whether this thread runs with a fine slack (a worker learns it from its creator). */
let inherited = false;

/** A worker created through `createWithFineSlack` calls this with the `fine` it was given. */
export function inheritFineSlack(fine: boolean): void {
  inherited = fine;
}

/**
 * Run `create` (which must create a thread synchronously, as `new Worker` does) so that the new
 * thread gets a fine timer slack; `create` is told whether it does.
 */
export function createWithFineSlack<T>(create: (fine: boolean) => T): T {
  if (!isMainThread) return create(inherited);
  let previous: string;
  try {
    previous = readFileSync(SLACK_FILE, 'latin1').trim();
    writeFileSync(SLACK_FILE, FINE_SLACK_NS);
  } catch {
    return create(false);
  }
  try {
    return create(true);
  } finally {
    try {
      writeFileSync(SLACK_FILE, previous);
    } catch {
      // The main thread keeps a fine slack: more precise timers, nothing else changes.
    }
  }
}
