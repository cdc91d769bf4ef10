// requires: grpcio
/**
 * gRPC load against a server meshgate did not write: grpcio's generic echo (h2c only: an HTTP/1.1
 * request gets a parse error). Readiness must ask it in its own protocol, a unary call must count
 * as grpc-status 0, and a method it lacks as status_12 (UNIMPLEMENTED) errors.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseResults } from '../../src/results/io.js';
import { waitForHttp } from '../../src/system/readiness.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
let server: ChildProcess;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-grpcio-'));
  server = spawn('/usr/bin/python3', [resolve('__tests__/__fixtures__/grpc/echo_server.py'), '240'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Read its port without closing its stdout (ending a for-await loop would destroy the pipe).
  url = await new Promise<string>((resolve) => {
    let text = '';
    server.stdout!.on('data', (chunk) => {
      text += String(chunk);
      const match = /listening (\d+)/.exec(text);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    server.once('exit', () => resolve(''));
  });
  if (!url) throw new Error('the grpcio server did not start');
}, 30_000);

afterAll(async () => {
  server?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('a gRPC server meshgate did not write (grpcio)', () => {
  test('an HTTP/1.1 probe cannot tell it is up; the gRPC probe can', async () => {
    await expect(waitForHttp(url, 'grpcio', 600)).rejects.toThrow(/did not become ready/);
    await expect(waitForHttp(url, 'grpcio', 5000, undefined, 'grpc')).resolves.toBeUndefined();
  });

  test('meshgate run: OK counted as status 0, an unknown method as status_12 errors', async () => {
    await writeFile(join(dir, 'hello.bin'), Buffer.from('0a0568656c6c6f', 'hex'));
    const profile = join(dir, 'grpc.yaml');
    const yaml = (method: string) => `name: grpcio-echo
workload:
  builds:
    base: { url: ${url} }
    head: { url: ${url} }
load:
  protocol: grpc
  rps: 100
  connections: 2
  duration: 600ms
  warmup: 100ms
  grpc: { method: ${method}, message_file: hello.bin }
trials: 1
max_trials: 1
`;
    await writeFile(profile, yaml('/test.Echo/Echo'));
    const out = join(dir, 'results.json');
    const run = await runCli(['run', profile, '--out', out, '-q']);
    expect(run.stderr).not.toMatch(/did not become ready/);
    expect(run.code).toBe(0);
    const results = parseResults(await readFile(out, 'utf8'), out);
    for (const variant of results.variants) {
      expect(variant.trials[0].statusCodes).toEqual({ '0': 60 });
      expect(variant.trials[0].errors).toBe(0);
    }

    await writeFile(profile, yaml('/test.Echo/Missing'));
    const missing = await runCli(['run', profile, '--out', out, '-q']);
    expect(missing.code).toBe(0);
    const failed = parseResults(await readFile(out, 'utf8'), out);
    expect(failed.variants[0].trials[0].statusCodes).toEqual({ '12': 60 });
    expect(failed.variants[0].trials[0].errorsByKind).toEqual({ status_12: 60 });
  }, 120_000);
});
