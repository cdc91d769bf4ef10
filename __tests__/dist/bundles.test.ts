/**
 * The committed bundles run on their own: copied to a folder with no node_modules, the CLI
 * answers, the sample server serves, and the standalone load generator measures it. The three
 * bundles pods receive fit in one ConfigMap.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readBundleFiles } from '../../src/platform/cluster/bundles.js';
import { bundleConfigMap } from '../../src/platform/cluster/workload/objects.js';
import { validateObjects } from '../../src/platform/cluster/workload/validate.js';

const dist = resolve('dist');
let copy: string;

beforeAll(() => {
  if (!existsSync(join(dist, 'cli', 'index.js'))) throw new Error('dist/ is missing: run npm run package');
  copy = mkdtempSync(join(tmpdir(), 'meshgate-dist-'));
  cpSync(dist, copy, { recursive: true });
  cpSync('profiles', join(copy, 'profiles'), { recursive: true });
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const node = (args: string[]) =>
  spawnSync(process.execPath, args, { cwd: copy, encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30_000 });

describe('bundles without node_modules', () => {
  test('cli --help and validate', () => {
    const help = node(['cli/index.js', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/validate +check a profile/);
    const validate = node(['cli/index.js', 'validate', 'profiles/smoke.yaml']);
    // smoke.yaml draws no error (and, with 3 trials, no warning about its settings either).
    expect(validate.stderr.split('\n').filter(Boolean).every((line) => line.startsWith('warning: '))).toBe(true);
    expect(validate.status).toBe(0);
  });

  test('the sample server answers and the standalone generator measures it', async () => {
    const server = spawn(process.execPath, ['sample-server/index.js', '--port', '0', '--delay-ms', '1'], {
      cwd: copy,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        server.stdout.on('data', (d) => {
          out += d;
          const match = /listening (\S+)/.exec(out);
          if (match) resolveUrl(match[1]);
        });
        server.on('exit', (code) => reject(new Error(`sample server exited with ${code}`)));
      });
      const job = {
        url,
        rps: 200,
        connections: 2,
        durationS: 1,
        warmupS: 0.2,
        threads: 2,
        protocol: 'http1',
        request: { method: 'GET', path: '/', headers: {}, body: '' },
        timeoutMs: 2000,
      };
      const run = node(['loadgen/index.js', '--job', JSON.stringify(job)]);
      expect(run.status).toBe(0);
      const trial = JSON.parse(run.stdout.trim());
      expect(trial.requests).toBeGreaterThan(150);
      expect(trial.errors).toBe(0);
      expect(trial.latencyMs.p50).toBeGreaterThanOrEqual(1);
    } finally {
      server.kill('SIGTERM');
    }
  });

  test('the pod bundles fit in one ConfigMap', () => {
    const files = readBundleFiles(dist);
    expect(validateObjects([bundleConfigMap('meshgate-test', files)])).toEqual([]);
  });
});
