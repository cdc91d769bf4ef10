// requires: nginx haproxy
/**
 * Resource use of real nginx and HAProxy data planes under a short burst of load through the
 * local platform: CPU from /proc ticks over every process of the plane, memory as PSS.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { loadJobFor } from '../../../src/experiment.js';
import { LocalPlatform } from '../../../src/platform/local/platform.js';
import { runningProcesses } from '../../../src/system/processes.js';
import { summariseSamples, type ResourceSample } from '../../../src/platform/local/resources.js';
import { memoryLogger } from '../../../src/util/log.js';
import { startApp, tempWorkDir, type TestApp } from './proxies/helpers.js';
import { localProfile } from './helpers.js';

let app: TestApp;
let work: Awaited<ReturnType<typeof tempWorkDir>>;
beforeAll(async () => ([app, work] = await Promise.all([startApp(), tempWorkDir()])));
afterAll(async () => {
  await app.close();
  await work.remove();
});

it('measures non-zero, plausible CPU and memory of each proxy under load', async () => {
  const profile = localProfile(app.url, {
    mesh: ['none', { name: 'nginx', concurrency: 1 }, { name: 'haproxy', concurrency: 1, hops: 2, tls: true }],
  });
  const log = memoryLogger();
  const platform = new LocalPlatform({ log, workDir: work.workDir });
  const signal = new AbortController().signal;
  try {
    const targets = await platform.prepare(profile);
    expect(targets.map((t) => t.variantId)).toEqual(['head/none', 'head/nginx', 'head/haproxy-2hop-tls']);
    expect(platform.sampleResources(targets[0])).toBeUndefined();
    for (const target of targets.slice(1)) {
      const sampler = platform.sampleResources(target)!;
      const trial = await platform.runTrial(target, loadJobFor(profile, target), signal);
      const resources = (await sampler.stop(trial.requests))!;
      expect(trial.errors).toBe(0);
      expect(trial.requests).toBeGreaterThan(300);
      expect(resources.cpuMillicores).toBeGreaterThan(0);
      expect(resources.cpuMillicores).toBeLessThan(1500); // 400 rps is a light load for either proxy
      expect(resources.cpuMsPer1kRequests).toBeGreaterThan(0);
      expect(resources.cpuMsPer1kRequests).toBeLessThan(1000);
      expect(resources.memoryMibMean).toBeGreaterThan(0.3);
      expect(resources.memoryMibPeak).toBeGreaterThanOrEqual(resources.memoryMibMean);
      expect(resources.memoryMibPeak).toBeLessThan(300);
      expect(resources.source).toMatch(new RegExp(`^${target.mesh.name} `));
    }
    const environment = await platform.describe();
    expect(environment.meshVersions).toEqual({ nginx: expect.stringMatching(/^\d+\.\d+/), haproxy: expect.stringMatching(/^\d+\.\d+/) });
  } finally {
    await platform.cleanup();
  }
  expect(runningProcesses()).toHaveLength(0);
});

it('narrows CPU and memory to the measured window of the trial', () => {
  const sample = (atEpochMs: number, ticks: [number, number][], memoryMib: number): ResourceSample => ({
    atEpochMs,
    ticksByPid: new Map(ticks),
    memoryMib,
  });
  const samples = [
    sample(0, [[1, 0]], 50), // generator start-up and warm-up: busy, but outside the window
    sample(1000, [[1, 100]], 10),
    sample(2000, [[1, 110], [2, 5]], 10), // a worker appears
    sample(3000, [[1, 120], [2, 15]], 12),
  ];
  // 1000..3000 ms: 20 + 10 ticks = 300 ms of CPU in 2 s = 150 millicores; 500 requests per s.
  expect(summariseSamples(samples, 1000, { startEpochMs: 1000, endEpochMs: 3000 })).toEqual({
    cpuMillicores: 150,
    cpuMsPer1kRequests: 300,
    memoryMibMean: 10.67,
    memoryMibPeak: 12,
  });
  // Without a window (or too few samples in it) everything counts.
  expect(summariseSamples(samples, 1000)?.cpuMillicores).toBe(433.33);
  expect(summariseSamples(samples.slice(0, 1), 10)).toBeUndefined();
});

it('reads CPU time finer than a clock tick (schedstat), and it follows real work', async () => {
  const { cpuTicks } = await import('../../../src/platform/local/resources.js');
  // A fresh process spins until it has had 150 ms of CPU in all (start-up included) (not wall time: the machine may be busy),
  // prints its own total, and waits to be read. Not this test's own process: a thread of an earlier
  // test that exits meanwhile would take its run time out of the sum.
  const child = spawn(process.execPath, [
    '-e',
    'while (process.cpuUsage().user + process.cpuUsage().system < 150000); const u = process.cpuUsage(); console.log(u.user + u.system); setTimeout(() => {}, 5000);',
  ]);
  try {
    const reportedUs = Number(await new Promise<string>((done) => child.stdout.once('data', (d: Buffer) => done(String(d)))));
    const spentMs = cpuTicks(child.pid!)! * 10;
    const reportedMs = reportedUs / 1000;
    expect(Math.abs(spentMs - reportedMs)).toBeLessThan(5 + 0.2 * reportedMs);
    expect(Number.isInteger(cpuTicks(child.pid!))).toBe(false);
  } finally {
    child.kill('SIGKILL');
  }
  expect(cpuTicks(2 ** 22 + 7)).toBeUndefined();
});
