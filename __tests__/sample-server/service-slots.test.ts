import http from 'node:http';
import { afterEach, describe, expect, test } from '@jest/globals';
import { startSampleServer, type SampleServer } from '../../src/sample-server/server.js';
import { ServiceSlots } from '../../src/sample-server/service-slots.js';

describe('service slots', () => {
  test('one slot serialises: each request starts when the previous one is done', () => {
    const slots = new ServiceSlots(1);
    expect([0, 0, 0, 10].map((readMs) => slots.finishMs(readMs, 2))).toEqual([2, 4, 6, 12]);
  });

  test('n slots serve n at once, the rest in arrival order', () => {
    const slots = new ServiceSlots(2);
    expect([0, 0, 0, 0, 1].map((readMs) => slots.finishMs(readMs, 2))).toEqual([2, 2, 4, 4, 6]);
  });

  test('a slot count below 1 is refused', () => {
    expect(() => new ServiceSlots(0)).toThrow(RangeError);
  });
});

const servers: SampleServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** One GET on a fresh connection; resolves with the ms from `t0` to the end of the answer. */
function finishedAfter(url: string, t0: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(performance.now() - t0));
      })
      .on('error', reject);
  });
}

describe('the sample server with concurrency 1', () => {
  test('answers concurrent requests one at a time, delay apart', async () => {
    const server = await startSampleServer({ delayMs: 20, concurrency: 1 });
    servers.push(server);
    const t0 = performance.now();
    const finished = (await Promise.all(Array.from({ length: 5 }, () => finishedAfter(server.url, t0)))).sort(
      (a, b) => a - b,
    );
    // Five requests of 20 ms through one slot take 100 ms at least; answered in turn, 20 ms apart.
    expect(finished[4]).toBeGreaterThanOrEqual(100);
    for (let i = 1; i < finished.length; i++) expect(finished[i] - finished[i - 1]).toBeGreaterThan(15);
  });
});
