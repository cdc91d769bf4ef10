// Faults during real runs of the CLI (bundled once with esbuild, see helpers/cli-bundle.ts, with
// the load worker and sample server beside it; real processes and proxies on loopback):
// signals in each phase, meshgate killed outright, the application and a proxy killed. Each
// asserts the exit code, the time from the fault to the exit (< 2 s), that no process meshgate
// started is left and no work directory remains, and that completed trials reach results.json.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseResults } from '../../src/results/io.js';
import { bundleCli, type BundledCli } from '../helpers/cli-bundle.js';
import { descendants, isAlive } from '../helpers/procfs.js';

let dir: string;
let cli: BundledCli;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-faults-'));
  cli = await bundleCli(['load-worker', 'sample-server']);
}, 60_000);
afterAll(async () => {
  await cli?.dispose();
  await rm(dir, { recursive: true, force: true });
});

// A short request timeout: when a proxy dies, the trial finishes (recording the failed requests)
// and requests in flight on its orphaned connections end at the timeout.
const sampleProfile = (mesh = 'none') => `name: faults
workload: { sample: echo }
mesh: [${mesh}]
load: { rps: 100, connections: 2, duration: 1s, warmup: 0s, timeout: 300ms }
trials: 4
max_trials: 4
`;
const slowBuildProfile = `name: faults-prepare
workload: { command: ["sleep", "37.5"], ready_path: / }
load: { rps: 10, connections: 1, duration: 1s, warmup: 0s }
trials: 1
`;

interface Run {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
  out: string;
  tmp: string;
}

let counter = 0;
async function start(profileText: string): Promise<Run> {
  const caseDir = join(dir, String(counter++));
  const tmp = join(caseDir, 'tmp');
  await mkdir(tmp, { recursive: true });
  const profile = join(caseDir, 'profile.yaml');
  await writeFile(profile, profileText);
  const out = join(caseDir, 'results.json');
  const child = spawn(process.execPath, [cli.script, 'run', profile, '--out', out], {
    // The work directory goes under TMPDIR: a test-owned one, to see whether it is removed.
    env: { ...process.env, NODE_OPTIONS: '', TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, atMs: Date.now() })),
  );
  return { child, stderr: () => stderr, exited, out, tmp };
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const commandLine = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};
const workDirs = (tmp: string) => (existsSync(tmp) ? readdirSync(tmp).filter((name) => name.startsWith('meshgate-')) : []);

/** Nothing meshgate started is alive, and its work directory is gone (allowing the watchdog 1 s). */
async function expectNothingLeft(started: number[], tmp: string): Promise<void> {
  const deadline = Date.now() + 1000;
  while ((started.some(isAlive) || workDirs(tmp).length > 0) && Date.now() < deadline) await sleep(50);
  expect(started.filter(isAlive).map((pid) => `${pid} ${commandLine(pid)}`)).toEqual([]);
  expect(workDirs(tmp)).toEqual([]);
}

async function completedTrials(out: string): Promise<{ trials: number; incomplete: boolean }> {
  const results = parseResults(await readFile(out, 'utf8'), out);
  return { trials: results.variants.reduce((sum, v) => sum + v.trials.length, 0), incomplete: results.incomplete !== undefined };
}

describe('faults during a run', () => {
  test('SIGINT while a build starts (prepare): exit 130 within 2 s', async () => {
    const run = await start(slowBuildProfile);
    await until('the build to start', () => descendants(run.child.pid!).some((pid) => commandLine(pid).includes('37.5')));
    await sleep(300);
    const started = descendants(run.child.pid!);
    const at = Date.now();
    run.child.kill('SIGINT');
    const { code, atMs } = await run.exited;
    expect({ code, stderr: run.stderr().slice(-500) }).toMatchObject({ code: 130 });
    expect(atMs - at).toBeLessThan(2000);
    await expectNothingLeft(started, run.tmp);
    expect(existsSync(run.out)).toBe(false); // nothing was measured
  }, 60_000);

  test.each<[NodeJS.Signals, number]>([
    ['SIGINT', 130],
    ['SIGHUP', 130],
    ['SIGTERM', 130],
  ])('%s mid-trial: exit %i within 2 s, completed trials kept', async (signal, expected) => {
    const run = await start(sampleProfile());
    await until('trial 2', () => run.stderr().includes('trial 2/'));
    await sleep(300);
    const started = descendants(run.child.pid!);
    const at = Date.now();
    run.child.kill(signal);
    const { code, atMs } = await run.exited;
    expect({ code, stderr: run.stderr().slice(-500) }).toMatchObject({ code: expected });
    expect(atMs - at).toBeLessThan(2000);
    await expectNothingLeft(started, run.tmp);
    expect(await completedTrials(run.out)).toEqual({ trials: 1, incomplete: true });
  }, 60_000);

  test('a second SIGINT during cleanup: exit 130 at once, nothing left', async () => {
    const run = await start(sampleProfile('nginx'));
    await until('trial 1', () => run.stderr().includes('trial 1/'));
    await sleep(300);
    const started = descendants(run.child.pid!);
    const at = Date.now();
    run.child.kill('SIGINT');
    await until('cleanup', () => run.stderr().includes('SIGINT received'), 2000);
    run.child.kill('SIGINT');
    const { code, atMs } = await run.exited;
    expect(code).toBe(130);
    expect(atMs - at).toBeLessThan(2000);
    await expectNothingLeft(started, run.tmp);
  }, 60_000);

  test('SIGKILL of meshgate mid-trial: its children and work directory go with it', async () => {
    const run = await start(sampleProfile('nginx'));
    await until('trial 1', () => run.stderr().includes('trial 1/'));
    await sleep(300);
    const started = descendants(run.child.pid!);
    expect(started.length).toBeGreaterThanOrEqual(3); // sample server, nginx master and worker(s), watchdog
    expect(workDirs(run.tmp)).toHaveLength(1);
    run.child.kill('SIGKILL');
    await run.exited;
    await expectNothingLeft(started, run.tmp);
  }, 60_000);

  test('kill -9 of the application mid-trial: exit 3 within 2 s naming it, completed trials kept', async () => {
    const run = await start(sampleProfile());
    await until('trial 2', () => run.stderr().includes('trial 2/'));
    await sleep(300);
    const started = descendants(run.child.pid!);
    const app = started.find((pid) => commandLine(pid).includes('sample-server'));
    expect(app).toBeDefined();
    const at = Date.now();
    process.kill(app!, 'SIGKILL');
    const { code, atMs } = await run.exited;
    expect({ code, stderr: run.stderr().slice(-800) }).toMatchObject({ code: 3 });
    expect(atMs - at).toBeLessThan(2000);
    expect(run.stderr()).toMatch(/sample server \(head\) exited during the run \(SIGKILL\)/);
    await expectNothingLeft(started, run.tmp);
    expect(await completedTrials(run.out)).toEqual({ trials: 1, incomplete: true });
  }, 60_000);

  test('kill -9 of a proxy mid-trial: exit 3 within 2 s of the trial, naming it, completed trials kept', async () => {
    const run = await start(sampleProfile('nginx'));
    await until('trial 2', () => run.stderr().includes('trial 2/'));
    await sleep(200);
    const started = descendants(run.child.pid!);
    const master = started.find((pid) => commandLine(pid).includes('nginx: master'));
    expect(master).toBeDefined();
    const at = Date.now();
    process.kill(master!, 'SIGKILL');
    const { code, atMs } = await run.exited;
    expect({ code, stderr: run.stderr().slice(-800) }).toMatchObject({ code: 3 });
    // Unlike the application's death, a proxy's lets the trial finish (1 s here), so that the
    // failed requests are recorded in it (platform/local/proxy-death.test.ts); then 2 s at most.
    expect(atMs - at).toBeLessThan(1000 + 2000);
    expect(run.stderr()).toMatch(/nginx data plane of head\/nginx failed/);
    await expectNothingLeft(started, run.tmp);
    expect(await completedTrials(run.out)).toEqual({ trials: 1, incomplete: true });
  }, 60_000);
});
