/**
 * perf stat's `-x,` output: this machine's real perf (no hardware counter: `<not supported>`),
 * the formats perf-stat(1) documents, and a counting session ended by SIGINT — against real perf
 * where it runs (it must say it cannot count here), and against the stand-in perf, whose rules
 * (exit codes, the CSV line) are checked against real perf's first.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsePerfStatCsv, startPerfStat } from '../../../../src/platform/cluster/cost/perf-stat.js';
import { runningProcesses } from '../../../../src/system/processes.js';

const realPerf = spawnSync('perf', ['--version']).status === 0;
const hasPmu =
  existsSync('/sys/bus/event_source/devices/cpu') ||
  existsSync('/sys/bus/event_source/devices/armv8_pmuv3_0');
let bin: string;
let children: ChildProcess[] = [];
const standIn = () => ({ ...process.env, PATH: `${bin}:${process.env.PATH}`, STANDIN_PERF_VPMU: '1' });
const child = (code: string) => {
  const c = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  children.push(c);
  return c;
};

beforeAll(async () => {
  bin = await mkdtemp(join(tmpdir(), 'meshgate-perf-'));
  await symlink(resolve('__tests__/__stand-ins__/perf.mjs'), join(bin, 'perf'));
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  children = [];
  await rm(bin, { recursive: true, force: true });
});

describe('parsePerfStatCsv', () => {
  it("this machine's perf 6.1: <not supported> is no count", () => {
    // `perf stat -e instructions:u -x, true` here, verbatim.
    expect(parsePerfStatCsv('<not supported>,,instructions:u,0,100.00,,\n')).toEqual({
      problem: 'perf reports <not supported> for instructions:u',
    });
  });

  it('the documented fields: value, unit, event, run time, percent, [metric value, unit]', () => {
    expect(parsePerfStatCsv('1234567,,instructions:u,1002003004,100.00,,\n')).toEqual({ count: 1234567 });
    expect(parsePerfStatCsv('88,,instructions:u,1000,100.00,0.85,insn per cycle\n')).toEqual({ count: 88 });
    expect(parsePerfStatCsv('<not counted>,,instructions:u,0,0.00,,')).toEqual({
      problem: 'perf reports <not counted> for instructions:u',
    });
    // Multiplexed: perf scaled a partial count; an estimate is not a count.
    expect(parsePerfStatCsv('2000,,instructions:u,500,50.00,,')).toMatchObject({
      problem: expect.stringMatching(/ran 50.00% of the window/),
    });
    expect(parsePerfStatCsv('1.20,msec,task-clock:u,1204272,100.00,0.697,CPUs utilized\n')).toMatchObject({
      problem: expect.stringMatching(/no instructions:u line \(1.20,msec/),
    });
    expect(parsePerfStatCsv('Problems finding threads of monitor\n\n Usage: perf stat')).toMatchObject({
      problem: expect.stringMatching(/Problems finding threads of monitor/),
    });
  });
});

describe('the stand-in perf holds real perf’s rules', () => {
  const both = (args: string[]) => {
    const real = spawnSync('perf', args, { encoding: 'utf8', timeout: 20_000 });
    const stood = spawnSync('perf', args, {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      timeout: 20_000,
    });
    return { real, stood };
  };

  it('unknown option 129, a missing PID 234, and the <not supported> line where no counter exists', () => {
    if (!realPerf || hasPmu) return;
    for (const args of [
      ['stat', '--bogus'],
      ['stat', '-e', 'instructions:u', '-x', ',', '-p', `${process.pid},999999999`],
    ]) {
      const { real, stood } = both(args);
      expect(stood.status).toBe(real.status);
      expect(stood.stderr.split('\n')[0]).toBe(real.stderr.split('\n')[0]);
    }
    const { real, stood } = both(['stat', '-e', 'instructions:u', '-x,', 'true']);
    expect(stood.stderr).toBe(real.stderr);
    const attach = both(['stat', '-e', 'instructions:u', '-x', ',', '-p', '1', '--', 'sleep', '0.1']);
    expect(attach.stood.stderr).toBe(attach.real.stderr);
    expect(attach.stood.status).toBe(attach.real.status);
  });

  it("an unprivileged user may not attach to another user's process: a failure with the same error", () => {
    if (!realPerf || process.getuid?.() !== 0 || spawnSync('setpriv', ['--version']).status !== 0) return;
    // task-clock:u: a software event, so real perf gets as far as the permission check here.
    const as = (perf: string) =>
      spawnSync(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          perf,
          'stat',
          '-e',
          'task-clock:u',
          '-x',
          ',',
          '-p',
          '1',
          '--',
          'sleep',
          '0.1',
        ],
        { encoding: 'utf8', timeout: 20_000 },
      );
    const real = as(spawnSync('sh', ['-c', 'command -v perf'], { encoding: 'utf8' }).stdout.trim());
    const stood = as(resolve('__tests__/__stand-ins__/perf.mjs')); // readable by nobody, unlike the temp dir
    // Real perf's status here is 255 from a shell and 1 under jest: only "failed" is the rule.
    expect(real.status).not.toBe(0);
    expect(stood.status).not.toBe(0);
    expect(stood.stderr.split('\n').slice(0, 2)).toEqual(real.stderr.split('\n').slice(0, 2));
  });
});

describe('startPerfStat', () => {
  it('real perf here: the session ends with SIGINT and reports that nothing counts', async () => {
    if (!realPerf || hasPmu) return;
    const target = child('setInterval(() => undefined, 1000)');
    const session = startPerfStat([target.pid!]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await session.stop()).toEqual({ problem: 'perf reports <not supported> for instructions:u' });
  }, 30_000);

  it('stand-in: counts the PIDs from start to SIGINT, a busy process far more than an idle one', async () => {
    const busy = child('for (;;) {}');
    const idle = child('setInterval(() => undefined, 1000)');
    // Node's own start-up (~0.1 s of CPU, longer at load 8) stays out of the windows.
    await new Promise((r) => setTimeout(r, 1500));
    const a = startPerfStat([busy.pid!, process.pid], { env: standIn() });
    const b = startPerfStat([idle.pid!], { env: standIn() });
    // Registered with meshgate's processes (stopped on a signal, by the watchdog if it dies).
    expect(runningProcesses().map((p) => p.name)).toEqual(['perf stat', 'perf stat']);
    // 1 s on a loaded 2-core machine: the busy loop gets ≥ 100 ms of CPU, the idle one ~none.
    await new Promise((r) => setTimeout(r, 1000));
    const [ra, rb] = [await a.stop(), await b.stop()];
    expect(ra).toEqual({ count: expect.any(Number) });
    expect(rb).toEqual({ count: expect.any(Number) });
    expect((ra as { count: number }).count).toBeGreaterThan(3 * (rb as { count: number }).count + 1e6);
    expect(runningProcesses()).toHaveLength(0);
  }, 30_000);

  it('a PID that does not exist, or a process that exits mid-window, is no count', async () => {
    const gone = startPerfStat([999_999_999], { env: standIn() });
    await new Promise((r) => setTimeout(r, 300));
    expect(await gone.stop()).toMatchObject({
      problem: expect.stringMatching(/Problems finding threads of monitor/),
    });
    const short = child('setTimeout(() => undefined, 200)');
    const session = startPerfStat([short.pid!], { env: standIn() });
    await new Promise((r) => setTimeout(r, 2000));
    // Gone after perf attached ("ended before the window did"), or, on a loaded machine, before
    // the stand-in (a node process) had started ("ended early"): no count either way.
    expect(await session.stop()).toMatchObject({
      problem: expect.stringMatching(/ended before the window did|ended early/),
    });
    expect(() => startPerfStat([])).toThrow(/needs PIDs/);
  }, 30_000);
});
