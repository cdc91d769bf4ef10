/** runLoad with real worker threads against the sample server (robust properties only). */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { closeLoadWorkers, idleLoadWorkers, runLoad } from '../../src/load/engine.js';
import { decodeHistogram } from '../../src/load/histogram.js';
import { startSampleServer, type SampleServer } from '../../src/sample-server/server.js';
import { job } from './load-helpers.js';

let plain: SampleServer;
let stalling: SampleServer;
beforeAll(async () => {
  plain = await startSampleServer({ delayMs: 1 });
  // Stalls 300 ms of every second: requests due then wait in the generator's queue.
  stalling = await startSampleServer({ delayMs: 1, stallMs: 300, stallEveryMs: 1000 });
});
afterAll(async () => {
  await plain.close();
  await stalling.close();
});

describe('runLoad', () => {
  test('two threads share the schedule; histograms merge to the exact request count', async () => {
    const progress: number[] = [];
    const trial = await runLoad(
      job(plain.url, { rps: 400, connections: 4, threads: 2, durationS: 1, warmupS: 0.2, intervalMs: 250 }),
      {
        onProgress: (fraction) => progress.push(fraction),
      },
    );
    expect(trial.generators).toBe(2);
    expect(trial.requests).toBe(400);
    expect(trial.errors).toBe(0);
    expect(trial.statusCodes).toEqual({ '200': 400 });
    expect(decodeHistogram(trial.histogram).totalCount).toBe(400);
    expect(decodeHistogram(trial.uncorrectedHistogram).totalCount).toBe(400);
    expect(trial.actualRps).toBeGreaterThan(300);
    expect(trial.latencyMs.min).toBeGreaterThanOrEqual(1);
    expect(trial.latencyMs.p50).toBeLessThan(trial.latencyMs.max + 0.001);
    expect(trial.intervals!.map((i) => i.startOffsetMs)).toEqual([0, 250, 500, 750]);
    expect(trial.intervals!.reduce((sum, i) => sum + decodeHistogram(i.histogram).totalCount, 0)).toBe(400);
    expect(progress.length).toBeGreaterThan(0);
    expect(Date.parse(trial.endTime) - Date.parse(trial.startTime)).toBeGreaterThanOrEqual(999);
  });

  test('coordinated omission: a stall shows in the corrected tail, not in the uncorrected one', async () => {
    const trial = await runLoad(
      job(stalling.url, { rps: 200, connections: 4, durationS: 2, timeoutMs: 5000 }),
    );
    expect(trial.requests).toBe(400);
    expect(trial.errors).toBe(0);
    // ~25% of requests were due more than 50 ms before they could be answered.
    expect(trial.latencyMs.p90).toBeGreaterThan(50);
    expect(trial.latencyMs.max).toBeGreaterThan(150);
    // Measured from the actual send, the queued requests look fast: the omission.
    expect(trial.uncorrectedLatencyMs.p90).toBeLessThan(trial.latencyMs.p90 / 2);
    expect(trial.scheduleLagMs.max).toBeGreaterThan(100);
    // Every connection was busy during the stall: the server's backpressure, not the generator's,
    // so the gated latency keeps (nearly) all of the wait.
    expect(trial.latencyMs.p90).toBeGreaterThan(0.8 * trial.intendedLatencyMs!.p90);
  });

  test("workers are kept for the next trial; an aborted trial's workers are not", async () => {
    await closeLoadWorkers();
    await runLoad(job(plain.url, { rps: 200, durationS: 0.2, threads: 2, connections: 4 }));
    expect(idleLoadWorkers()).toBe(2);
    const again = await runLoad(job(plain.url, { rps: 200, durationS: 0.2, threads: 2, connections: 4 }));
    expect(again.requests).toBe(40);
    expect(idleLoadWorkers()).toBe(2); // reused, not two more
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 300);
    await expect(
      runLoad(job(plain.url, { rps: 100, durationS: 30, threads: 2, connections: 4 }), {
        signal: controller.signal,
      }),
    ).rejects.toThrow('stop');
    expect(idleLoadWorkers()).toBe(0);
    await closeLoadWorkers();
  });

  test('an abort ends the run promptly', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('stop')), 1500);
    await expect(
      runLoad(job(plain.url, { rps: 100, durationS: 60 }), { signal: controller.signal }),
    ).rejects.toThrow('stop');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test('startAtEpochMs delays the start', async () => {
    const startAtEpochMs = Date.now() + 1500;
    const trial = await runLoad(job(plain.url, { rps: 100, durationS: 0.2, startAtEpochMs }));
    expect(Date.parse(trial.startTime)).toBeGreaterThanOrEqual(startAtEpochMs - 1);
    expect(trial.requests).toBe(20);
  });
});
