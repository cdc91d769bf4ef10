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

describe('the sample server with a concurrency', () => {
  /** When the last of `count` concurrent 20 ms requests is answered, in ms. */
  async function lastOf(count: number, concurrency: number): Promise<number> {
    const server = await startSampleServer({ delayMs: 20, concurrency });
    servers.push(server);
    const t0 = performance.now();
    return Math.max(...(await Promise.all(Array.from({ length: count }, () => finishedAfter(server.url, t0)))));
  }

  // Lower bounds only: an answer never leaves before its slot allows, however busy the machine,
  // while an upper bound would measure the machine (the pure tests above pin the arithmetic).
  test('1 answers concurrent requests one at a time; 5 in rounds of five', async () => {
    expect(await lastOf(5, 1)).toBeGreaterThanOrEqual(100);
    expect(await lastOf(10, 5)).toBeGreaterThanOrEqual(40);
  });
});
