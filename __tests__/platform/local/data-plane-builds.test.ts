// requires: nginx
/**
 * Data-plane builds end to end on the real nginx: a profile file whose head data plane gzips every
 * response and whose base runs the stock config, both in front of the same app, measured through
 * the pipeline and judged by the gate (latency, proxy CPU per request, memory); and a head config
 * nginx rejects, which is exit 2 naming the field before any trial, with nothing left running.
 */
import { renderComment } from '../../../src/report/comment/comment.js';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judge } from '../../../src/gate.js';
import { measure } from '../../../src/pipeline.js';
import { loadProfile } from '../../../src/profile/load.js';
import { runningProcesses } from '../../../src/system/processes.js';
import { memoryLogger } from '../../../src/util/log.js';

let server: Server;
let appUrl: string;
let dir: string;
const body = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item-${i}`, tags: ['a', 'b', 'c'] })) });

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  dir = await mkdtemp(join(tmpdir(), 'meshgate-dp-'));
  await writeFile(join(dir, 'gzip.conf'), 'gzip on;\ngzip_comp_level 6;\ngzip_min_length 0;\ngzip_proxied any;\ngzip_types *;\n');
  await writeFile(join(dir, 'broken.conf'), 'gzip maybe;\n');
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function profileWith(head: string) {
  const file = join(dir, `profile-${head}.yaml`);
  await writeFile(
    file,
    [
      'name: dp-e2e',
      'platform: local',
      `workload: { url: "${appUrl}" }`,
      'mesh:',
      '  - none',
      `  - { name: nginx, concurrency: 1, builds: { base: {}, head: { include: ./${head} } } }`,
      'load: { rps: 400, connections: 4, threads: 1, duration: 1500ms, warmup: 300ms, request: { headers: { accept-encoding: gzip } } }',
      'trials: 2',
      'gate:',
      '  p99: { max_increase: 50%, min_delta: 5ms }',
      '  dataplane: { cpu: { max_increase: 20%, min_delta: 1ms }, memory: { max_increase: 50%, min_delta: 16MiB } }',
      '  overhead: { cpu: { max: 1000ms }, memory: { max: 512MiB } }',
    ].join('\n'),
  );
  return loadProfile(file);
}

it('measures base and head data planes in one job and gates head on latency, CPU per request and memory', async () => {
  const profile = await profileWith('gzip.conf');
  const results = await measure(profile, { log: memoryLogger(), signal: new AbortController().signal });
  expect(results.variants.map((v) => v.id)).toEqual(['head/none', 'base/nginx', 'head/nginx']);
  for (const variant of results.variants) expect(variant.trials.every((t) => t.errors === 0)).toBe(true);
  const cpu = (id: string) => results.variants.find((v) => v.id === id)!.trials.map((t) => t.resources!.cpuMsPer1kRequests);
  // gzip of every 10 KB answer is real work: head's proxy spends more CPU per request than base's.
  expect(Math.min(...cpu('head/nginx'))).toBeGreaterThan(Math.max(...cpu('base/nginx')));

  const { verdict } = judge(results);
  const markdown = renderComment(results, verdict);
  const ids = verdict.checks.map((c) => c.id);
  for (const metric of ['p99', 'proxyCpuMsPer1kRequests', 'proxyMemoryMib']) expect(ids).toContain(`build:head/nginx:${metric}`);
  expect(ids).toContain('overhead:head/nginx:proxyCpuMsPer1kRequests:ceiling');
  const cpuRow = verdict.checks.find((c) => c.id === 'build:head/nginx:proxyCpuMsPer1kRequests')!;
  expect(cpuRow).toMatchObject({ gating: true, comparedWith: 'base/nginx' });
  expect(cpuRow.change!).toBeGreaterThan(0.2);
  expect(verdict.notes.join('\n')).toContain('Data-plane builds of nginx: base/nginx runs the stock config, head/nginx runs include gzip.conf');
  expect(verdict.notes.join('\n')).toMatch(/head\/nginx against base\/nginx: head costs .* \+\d+\.\d% CPU per request/);
  expect(markdown).toContain('head/nginx');
  expect(markdown).toContain('base/nginx');
}, 90_000);

it('a head config nginx rejects is exit 2 naming the field, before any process starts', async () => {
  const profile = await profileWith('broken.conf');
  const before = runningProcesses().length;
  const error = await measure(profile, { log: memoryLogger(), signal: new AbortController().signal }).then(
    () => undefined,
    (e: unknown) => e as Error & { exitCode?: number },
  );
  expect(error?.exitCode).toBe(2);
  expect(error?.message).toContain(`mesh[1].builds.head.include (${join(dir, 'broken.conf')}): nginx rejected the data plane's config`);
  expect(error?.message).toMatch(/invalid value "maybe"/);
  expect(runningProcesses().length).toBe(before);
}, 30_000);
