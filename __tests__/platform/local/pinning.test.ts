// requires: nginx haproxy
/** CPU pinning on the local platform: the plan per CPU count, and taskset applied for real. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { LocalPlatform } from '../../../src/platform/local/platform.js';
import { runningProcesses } from '../../../src/system/processes.js';
import { allowedCpus, parseCpuList, pinnedCommand, planPinning } from '../../../src/platform/local/pinning.js';
import { memoryLogger } from '../../../src/util/log.js';
import { startApp, tempWorkDir } from './proxies/helpers.js';
import { localProfile } from './helpers.js';

const cpuListOf = (pid: number | 'self') =>
  /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1];

describe('planPinning', () => {
  it.each([
    [[0], undefined],
    [[0, 1], { generator: '0', proxies: '1', app: '1' }],
    [[0, 1, 2], { generator: '0', proxies: '1', app: '2' }],
    [[2, 3, 4, 5], { generator: '2,3', proxies: '4', app: '5' }],
  ])('%j CPUs', (cpus, plan) => expect(planPinning(cpus)).toEqual(plan));

  it('reads CPU lists and wraps commands in taskset', () => {
    expect(parseCpuList('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(allowedCpus('Name:\tx\nCpus_allowed_list:\t0-1\n')).toEqual([0, 1]);
    expect(pinnedCommand('1', 'nginx', ['-c', 'x'])).toEqual(['taskset', ['-c', '1', 'nginx', '-c', 'x']]);
    expect(pinnedCommand(undefined, 'nginx', ['-c', 'x'])).toEqual(['nginx', ['-c', 'x']]);
  });
});

const plan = planPinning(allowedCpus());
(plan ? it : it.skip)('pins the proxies and the generator, and restores the generator afterwards (needs 2 CPUs)', async () => {
  const [app, work] = await Promise.all([startApp(), tempWorkDir()]);
  const before = cpuListOf('self');
  const platform = new LocalPlatform({ log: memoryLogger(), workDir: work.workDir });
  try {
    const targets = await platform.prepare(localProfile(app.url, { mesh: [{ name: 'haproxy', concurrency: 1 }], cpu_pinning: true }));
    expect(targets).toHaveLength(1);
    expect(parseCpuList(cpuListOf('self'))).toEqual(parseCpuList(plan!.generator));
    const proxyPid = runningProcesses().find((proc) => proc.name.startsWith('haproxy sidecar proxy'))!.pid;
    expect(parseCpuList(cpuListOf(proxyPid))).toEqual(parseCpuList(plan!.proxies));
  } finally {
    await platform.cleanup();
    await app.close();
    await work.remove();
  }
  expect(cpuListOf('self')).toBe(before);
});
