// requires: nginx
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseResults } from '../../src/results/io.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshgate-grpc-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('meshgate run with a gRPC profile', () => {
  test('against the sample server: grpc-status codes in the results, SMP export says GRPC', async () => {
    await writeFile(join(dir, 'hello.bin'), Buffer.from('0a0568656c6c6f', 'hex'));
    const profile = join(dir, 'grpc.yaml');
    await writeFile(
      profile,
      `name: grpc-echo
workload:
  builds:
    base: { sample: echo, delay: 1ms }
    head: { sample: echo, delay: 1ms }
load:
  protocol: grpc
  rps: 100
  connections: 2
  duration: 600ms
  warmup: 100ms
  grpc: { method: /meshgate.sample.Echo/Echo, message_file: hello.bin }
trials: 1
max_trials: 1
`,
    );
    const out = join(dir, 'results.json');
    const run = await runCli(['run', profile, '--out', out, '-q']);
    expect(run.code).toBe(0);
    const results = parseResults(await readFile(out, 'utf8'), out);
    for (const variant of results.variants) {
      expect(variant.trials[0].statusCodes).toEqual({ '0': 60 });
      expect(variant.trials[0].errors).toBe(0);
    }
    const smpFile = join(dir, 'smp.json');
    expect((await runCli(['export', out, '--smp', smpFile])).code).toBe(0);
    expect(JSON.parse(await readFile(smpFile, 'utf8')).performance_test_config.clients[0].protocol).toBe(4);

    // The same profile against a method the server lacks: UNIMPLEMENTED counted per request.
    await writeFile(profile, (await readFile(profile, 'utf8')).replace('Echo/Echo', 'Echo/Missing'));
    const missing = await runCli(['run', profile, '--out', out, '-q']);
    expect(missing.code).toBe(0);
    const failed = parseResults(await readFile(out, 'utf8'), out);
    expect(failed.variants[0].trials[0].statusCodes).toEqual({ '12': 60 });
    expect(failed.variants[0].trials[0].errorsByKind).toEqual({ status_12: 60 });
  }, 120_000);

  test('a gRPC profile with a local proxy mesh is refused with the reason', async () => {
    const profile = join(dir, 'proxied.yaml');
    await writeFile(
      profile,
      'name: g\nmesh: [none, nginx]\nload: { protocol: grpc, duration: 200ms, grpc: { method: /a.B/C } }\ntrials: 1\n',
    );
    const run = await runCli(['run', profile, '--out', join(dir, 'x.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/load\.protocol grpc: the local data planes do not pass gRPC/);
  }, 60_000);
});
