// test-group: unit
import { afterEach, describe, expect, test } from '@jest/globals';
import { DeadlineQueue } from '../../src/sample-server/timer.js';

const queues: DeadlineQueue[] = [];
afterEach(() => queues.splice(0).forEach((q) => q.close()));

function queue(options?: ConstructorParameters<typeof DeadlineQueue>[0]): DeadlineQueue {
  const q = new DeadlineQueue(options);
  queues.push(q);
  return q;
}

/** Resolves when `count` callbacks have been recorded into `order`. */
function collect(q: DeadlineQueue, deadlines: number[], labels: string[]): Promise<string[]> {
  const order: string[] = [];
  return new Promise((resolve) => {
    deadlines.forEach((deadline, i) =>
      q.at(deadline, () => {
        order.push(labels[i]);
        if (order.length === deadlines.length) resolve(order);
      }),
    );
  });
}

describe('DeadlineQueue', () => {
  test('runs callbacks in deadline order, equal deadlines first come first served', async () => {
    const t = performance.now() + 5;
    const order = await collect(queue(), [t + 2, t, t, t + 1], ['c', 'a1', 'a2', 'b']);
    expect(order).toEqual(['a1', 'a2', 'b', 'c']);
  });

  test('newestFirst runs equal deadlines newest first, still in deadline order', async () => {
    const t = performance.now() + 5;
    const order = await collect(
      queue({ newestFirst: true }),
      [t + 2, t, t, t, t + 1],
      ['c', 'a1', 'a2', 'a3', 'b'],
    );
    expect(order).toEqual(['a3', 'a2', 'a1', 'b', 'c']);
  });

  test('never runs a callback before its deadline', async () => {
    const q = queue();
    const lateness: number[] = [];
    const start = performance.now();
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 20; i++) {
        const deadline = start + 1 + i * 0.7;
        q.at(deadline, () => {
          lateness.push(performance.now() - deadline);
          if (lateness.length === 20) resolve();
        });
      }
    });
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
  });

  test('batchMs lets the event loop run between batches of due callbacks', async () => {
    const q = queue({ batchMs: 0.1 });
    const events: string[] = [];
    const due = performance.now() + 3;
    const busyMs = 0.3; // each callback is longer than a batch
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 4; i++)
        q.at(due, () => {
          const until = performance.now() + busyMs;
          while (performance.now() < until);
          events.push(`run${i}`);
          if (i === 0) setImmediate(() => events.push('other'));
          if (i === 3) resolve();
        });
    });
    // Without batching all four would run in one go and 'other' would come last.
    expect(events.indexOf('other')).toBeGreaterThan(0);
    expect(events.indexOf('other')).toBeLessThan(events.length - 1);
  });

  test('without batchMs every due callback runs in one go', async () => {
    const q = queue();
    const events: string[] = [];
    const due = performance.now() + 3;
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 4; i++)
        q.at(due, () => {
          events.push(`run${i}`);
          if (i === 0) setImmediate(() => events.push('other'));
          if (i === 3) setImmediate(resolve);
        });
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['run0', 'run1', 'run2', 'run3', 'other']);
  });

  test('start() brings the helper up before any deadline, and the queue then runs on it', async () => {
    const q = queue();
    await q.start();
    const t = performance.now() + 3;
    const ranAt = await new Promise<number>((resolve) => q.at(t, () => resolve(performance.now())));
    expect(ranAt).toBeGreaterThanOrEqual(t);
  });
});
