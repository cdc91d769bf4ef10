import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, test } from '@jest/globals';
import { PreciseWake } from '../../src/load/precise-wake.js';
import { createWithFineSlack } from '../../src/util/timer-slack.js';

// Linux only: /proc/self/timerslack_ns is the main thread's slack, /proc/<tid>/timerslack_ns any thread's.
const linux = existsSync('/proc/self/timerslack_ns');
const maybe = linux ? test : test.skip;

const slackOf = (tid: string) => readFileSync(`/proc/${tid}/timerslack_ns`, 'latin1').trim();
const threadIds = () => new Set(readdirSync('/proc/self/task'));
const IDLE = 'setInterval(() => {}, 1000)';

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

/** Creates a thread through `create` and returns the slack of the thread(s) it added. */
function slackOfNewThreads(create: () => Worker): string[] {
  const before = threadIds();
  workers.push(create());
  return [...threadIds()].filter((tid) => !before.has(tid)).map(slackOf);
}

describe('fine timer slack for new threads', () => {
  maybe('the new thread gets a 1 µs slack and the main thread keeps its own', () => {
    const mainBefore = slackOf('self');
    let told: boolean | undefined;
    const slacks = slackOfNewThreads(() =>
      createWithFineSlack((fine) => {
        told = fine;
        return new Worker(IDLE, { eval: true });
      }),
    );
    expect(told).toBe(true);
    expect(slacks.length).toBeGreaterThan(0);
    expect(slacks).toContain('1000');
    expect(slackOf('self')).toBe(mainBefore);
  });

  maybe('a thread created the plain way keeps the default slack', () => {
    const slacks = slackOfNewThreads(() => new Worker(IDLE, { eval: true }));
    expect(slacks.length).toBeGreaterThan(0);
    expect(slacks).not.toContain('1000');
  });

  maybe('PreciseWake on a fine slack polls only the last 0.1 ms', () => {
    const wake = new PreciseWake(() => {});
    try {
      expect(wake.pollWindowMs).toBe(0.1);
    } finally {
      wake.close();
    }
  });
});
