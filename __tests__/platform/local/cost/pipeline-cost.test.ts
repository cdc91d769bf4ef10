/**
 * `run` then `check` with a cost profile, through the pipeline both doors use, on the real nginx
 * under the real Valgrind: the results carry each variant's batches (and pass the results
 * schema), the verdict its counted rows and where the change went, the comment both. A cost phase
 * that fails keeps the trials measured before it (results marked incomplete).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshgateError } from '../../../../src/errors.js';
import { judge } from '../../../../src/gate.js';
import { measure } from '../../../../src/pipeline.js';
import { loadProfile } from '../../../../src/profile/load.js';
import { renderComment } from '../../../../src/report/comment/comment.js';
import { completedTrialsOf } from '../../../../src/results/incomplete.js';
import { ResultsSchema } from '../../../../src/results/schema.js';
import { runningProcesses } from '../../../../src/system/processes.js';
import { memoryLogger } from '../../../../src/util/log.js';

let server: Server;
let dir: string;
let appUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.statusCode = req.url?.startsWith('/fail') ? 500 : 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  dir = await mkdtemp(join(tmpdir(), 'meshgate-cost-run-'));
  // The shipped profile's filter: a regex map and two add_header lines (about +11% per request).
  await writeFile(join(dir, 'headers.conf'), await readFile('profiles/dataplane/nginx-headers.conf', 'utf8'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function profile(path: string) {
  const file = join(dir, `p${path.replace(/\W/g, '')}.yaml`);
  await writeFile(
    file,
    [
      'name: cost-run',
      `workload: { url: "${appUrl}" }`,
      'mesh: [{ name: nginx, concurrency: 1, builds: { base: {}, head: { include: ./headers.conf } } }]',
      `load: { rps: 200, connections: 4, threads: 1, duration: 500ms, warmup: 200ms, request: { path: ${path} } }`,
      'trials: 2',
      'cost: { requests: 100, batches: 4, warmup_requests: 50 }',
      'gate: { p99: { max_increase: 100%, min_delta: 50ms }, cost: { max_increase: 2% } }',
    ].join('\n'),
  );
  return loadProfile(file);
}

it('run then check: counted rows, where the change went, in the verdict and the comment', async () => {
  const results = await measure(await profile('/'), {
    log: memoryLogger(),
    signal: new AbortController().signal,
  });
  expect(ResultsSchema.safeParse(JSON.parse(JSON.stringify(results))).success).toBe(true);
  for (const id of ['base/nginx', 'head/nginx'])
    expect(results.variants.find((v) => v.id === id)!.cost!.batches).toHaveLength(4);
  const { verdict } = judge(results);
  const row = verdict.checks.find((c) => c.id === 'build:head/nginx:instructionsPerRequest')!;
  expect(row).toMatchObject({ gating: true, verdict: 'regression', unit: 'instructions/request' });
  expect(verdict.costChanges?.[0].functions.length).toBeGreaterThan(0);
  const comment = renderComment(results, verdict);
  expect(comment).toMatch(/\| ❌ regression \| instr\/req \(counted\) \| [\d,]+ → [\d,]+ instr \|/);
  expect(comment).toContain('Where the instructions went (per request, counted)');
  expect(runningProcesses()).toHaveLength(0);
}, 180_000);

it('a cost phase that fails is exit 3 and keeps the trials measured before it', async () => {
  const error = await measure(await profile('/fail'), {
    log: memoryLogger(),
    signal: new AbortController().signal,
  }).catch((e: unknown) => e);
  expect((error as MeshgateError).exitCode).toBe(3);
  expect((error as Error).message).toMatch(
    /^cost: warm-up of base\/nginx \(nginx sidecar\) did not complete: answer 500/,
  );
  const kept = completedTrialsOf(error)!;
  expect(kept.incomplete?.completedTrials).toBe(4);
  expect(kept.variants.every((v) => v.trials.length === 2)).toBe(true);
  expect(runningProcesses()).toHaveLength(0);
}, 180_000);

it('cost.workload counts a native command build too: alone behind none, after the proxy behind nginx', async () => {
  // HAProxy as the application: a native server that answers by itself ("${PORT}" from meshgate).
  await writeFile(
    join(dir, 'app.cfg'),
    'global\n  nbthread 1\ndefaults\n  mode http\n  timeout client 30s\n  timeout connect 5s\n  timeout server 30s\nfrontend app\n  bind 127.0.0.1:"${PORT}"\n  http-request return status 200 content-type text/plain string ok\n',
  );
  const file = join(dir, 'workload.yaml');
  await writeFile(
    file,
    [
      'name: cost-workload',
      `workload: { command: [haproxy, -db, -f, "${join(dir, 'app.cfg')}"] }`,
      'mesh: [none, { name: nginx, concurrency: 1 }]',
      'load: { rps: 200, connections: 4, threads: 1, duration: 500ms, warmup: 200ms }',
      'trials: 2',
      'cost: { requests: 100, batches: 2, warmup_requests: 50, workload: true }',
    ].join('\n'),
  );
  const results = await measure(await loadProfile(file), {
    log: memoryLogger(),
    signal: new AbortController().signal,
  });
  const none = results.variants.find((v) => v.id === 'head/none')!.cost!;
  const nginx = results.variants.find((v) => v.id === 'head/nginx')!.cost!;
  expect(none.components).toEqual(['workload (head build)']);
  expect(nginx.components).toEqual(['nginx sidecar', 'workload (head build)']);
  // The same application behind each: its count per request agrees within 6%. Not exactly: behind
  // nginx it parses nginx's upstream requests (other headers), and HAProxy's own periodic tasks
  // fall into a 100-request batch unevenly (3.4% was seen in CI, under 3% in most runs).
  const appPerRequest = (cost: typeof none, i: number) =>
    cost.batches[0].instructions[i] / cost.batches[0].requests;
  expect(Math.abs(appPerRequest(nginx, 1) / appPerRequest(none, 0) - 1)).toBeLessThan(0.06);
  expect(appPerRequest(nginx, 0)).toBeGreaterThan(5000);
  expect(runningProcesses()).toHaveLength(0);
}, 180_000);

it('Ctrl-C during the cost phase stops every process at once and keeps the trials', async () => {
  const controller = new AbortController();
  const base = memoryLogger();
  // Abort as soon as the first variant is ready under Callgrind (a proxy under the tool is running).
  const log = {
    ...base,
    info: (message: string) => {
      base.info(message);
      if (message.includes('ready under callgrind')) controller.abort(new Error('interrupted by SIGINT'));
    },
  };
  const started = performance.now();
  const error = await measure(await profile('/'), { log, signal: controller.signal }).catch(
    (e: unknown) => e,
  );
  expect((error as Error).message).toMatch(/interrupted by SIGINT/);
  expect(completedTrialsOf(error)?.variants.every((v) => v.trials.length === 2)).toBe(true);
  expect(runningProcesses()).toHaveLength(0);
  // Generous on a loaded 2-core machine: the whole run, trials included, well under a minute.
  expect(performance.now() - started).toBeLessThan(60_000);
}, 120_000);
