/** dist/loadgen's entry run as a real process (source mode through tsx). */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { nodeArgsFor } from '../../src/util/entry.js';
import { startSampleServer, type SampleServer } from '../../src/sample-server/server.js';

function loadgen(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgsFor('loadgen'), ...args], {
      env: { ...process.env, NODE_OPTIONS: '', MESHGATE_JOB: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let server: SampleServer;
beforeAll(async () => {
  server = await startSampleServer();
});
afterAll(() => server.close());

describe('standalone load generator', () => {
  test('--job runs one job and prints exactly one trial line', async () => {
    const job = {
      url: server.url,
      rps: 100,
      connections: 2,
      durationS: 0.3,
      startAtEpochMs: Date.now() + 500,
    };
    const run = await loadgen(['--job', JSON.stringify(job)]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const trial = JSON.parse(lines[0]);
    expect(trial.requests).toBe(30);
    expect(trial.statusCodes).toEqual({ '200': 30 });
    expect(Date.parse(trial.startTime)).toBeGreaterThanOrEqual(job.startAtEpochMs - 1);
  });

  test('MESHGATE_JOB works as well', async () => {
    const run = await loadgen([], {
      MESHGATE_JOB: JSON.stringify({ url: server.url, rps: 0, connections: 1, durationS: 0.2 }),
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).requests).toBeGreaterThan(0);
  });

  test('a bad job exits 2 naming the field, with nothing on stdout', async () => {
    const run = await loadgen([
      '--job',
      JSON.stringify({ url: server.url, rps: -1, connections: 1, durationS: 1 }),
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/--job: rps/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('no job at all exits 2', async () => {
    const run = await loadgen([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no job/);
  });
});
