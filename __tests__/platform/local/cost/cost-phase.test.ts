/**
 * The cost phase on the real nginx and HAProxy under the real Valgrind (Callgrind). Each batch's
 * dump must count exactly that batch's requests: a function the proxy calls once per request
 * (nginx ngx_http_upstream_create, HAProxy http_process_request) is called exactly `requests`
 * times in every batch's dump and never in the idle window's — so a window that took in the
 * warm-up, or closed before the last answer, fails here. Faults: a proxy killed mid-phase, a batch
 * whose requests fail, Valgrind missing from PATH.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshgateError } from '../../../../src/errors.js';
import { variantsOf } from '../../../../src/platform/data-plane-variants.js';
import { readCallgrind } from '../../../../src/platform/local/cost/callgrind-file.js';
import { partialCostOf, runCostPhase, type CostVariant } from '../../../../src/platform/local/cost/phase.js';
import { probePerf } from '../../../../src/platform/local/cost/perf.js';
import { loadProfile } from '../../../../src/profile/load.js';
import type { CostSpec } from '../../../../src/profile/types.js';
import { batchValues } from '../../../../src/verdict/cost.js';
import { runningProcesses } from '../../../../src/system/processes.js';
import { memoryLogger, type Logger } from '../../../../src/util/log.js';

let server: Server;
let appUrl: string;
let dir: string;
const request = { method: 'GET', path: '/api/users/42', headers: {}, body: '' };
const spec = (over: Partial<CostSpec> = {}): CostSpec => ({
  method: 'callgrind',
  requests: 150,
  batches: 2,
  warmupRequests: 100,
  connections: 2,
  workload: false,
  ...over,
});

beforeAll(async () => {
  server = createServer((req, res) => {
    // /fail answers 500: a batch through the proxy cannot complete (readiness probes / and passes).
    res.statusCode = req.url?.startsWith('/fail') ? 500 : 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  dir = await mkdtemp(join(tmpdir(), 'meshgate-cost-'));
  await writeFile(
    join(dir, 'headers.conf'),
    'map $uri $route_class { ~^/api/ api; ~^/static/ static; ~^/admin/ admin; ~\\.html$ web; default other; }\nadd_header X-Route-Class $route_class always;\nadd_header X-Served-By meshgate always;\n',
  );
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function variants(meshYaml: string, url = appUrl): Promise<CostVariant[]> {
  const file = join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, `name: cost-test\nworkload: { url: "${url}" }\nmesh:\n  - ${meshYaml}\n`);
  const profile = await loadProfile(file);
  // A mesh with builds gives base/<id> and head/<id> in front of the one application build.
  return variantsOf('head', profile.mesh).map(([side, mesh]) => ({
    variantId: `${side}/${mesh.id}`,
    mesh,
    appUrl: url,
  }));
}

/** Calls of `fn` in each dump of the phase's work dir, per counted process, in dump order. */
function callsPerDump(workDir: string, fn: string): Promise<number[][]> {
  const dirs = readdirSync(workDir).filter((name) => name.startsWith('cost-'));
  return Promise.all(
    dirs.map(async (sub) => {
      const dumps = readdirSync(join(workDir, sub))
        .map((name) => /^callgrind\.out\.\d+\.(\d+)$/.exec(name))
        .filter((m) => m !== null)
        .sort((a, b) => Number(a[1]) - Number(b[1]));
      return Promise.all(
        dumps.map(async (m) => (await readCallgrind(join(workDir, sub, m[0]))).callsByFunction.get(fn) ?? 0),
      );
    }),
  );
}

it('nginx base and head: every batch counts exactly its requests, the idle window none; head costs more', async () => {
  const workDir = await mkdtemp(join(dir, 'nginx-'));
  const costs = await runCostPhase(
    await variants('{ name: nginx, builds: { base: {}, head: { include: ./headers.conf } } }'),
    {
      spec: spec(),
      request,
      log: memoryLogger(),
      workDir,
      signal: new AbortController().signal,
    },
  );
  expect([...costs.keys()]).toEqual(['base/nginx', 'head/nginx']);
  // Per process: dump 1 is the idle window, dumps 2 and 3 the batches.
  for (const calls of await callsPerDump(workDir, 'ngx_http_upstream_create'))
    expect(calls).toEqual([0, 150, 150]);
  const base = costs.get('base/nginx')!;
  const head = costs.get('head/nginx')!;
  expect(base).toMatchObject({ method: 'callgrind', components: ['nginx sidecar'] });
  expect(base.tool).toMatch(/^valgrind-\d/);
  expect(base.batches.map((b) => b.requests)).toEqual([150, 150]);
  // Interleaved: base, head, then head, base.
  expect(
    [...base.batches, ...head.batches].sort((a, b) => a.sequence - b.sequence).map((b) => b.sequence),
  ).toEqual([0, 1, 2, 3]);
  expect(head.batches[0].sequence).toBe(1);
  expect(head.batches[1].sequence).toBe(2);
  const [b, h] = [batchValues(base), batchValues(head)];
  // Counting is exact up to the proxy's own variation (hash seeds, buffer reuse): within 1%.
  expect(Math.abs(b[0] / b[1] - 1)).toBeLessThan(0.01);
  expect(Math.min(...h)).toBeGreaterThan(Math.max(...b) * 1.02);
  // The idle window counts the counting tool's wake-ups only: far below one request's work per batch.
  expect(base.idle.instructions[0]).toBeLessThan(b[0]);
  expect(base.functions!.some((fn) => fn.name === 'ngx_http_upstream_create')).toBe(true);
  expect(head.functions!.some((fn) => /pcre2?_match|ngx_regex_exec/.test(fn.name))).toBe(true);
  expect(runningProcesses()).toHaveLength(0);
}, 120_000);

it('HAProxy: every batch counts exactly its requests', async () => {
  const workDir = await mkdtemp(join(dir, 'haproxy-'));
  const costs = await runCostPhase(await variants('{ name: haproxy }'), {
    spec: spec({ requests: 300 }),
    request,
    log: memoryLogger(),
    workDir,
    signal: new AbortController().signal,
  });
  for (const calls of await callsPerDump(workDir, 'http_process_request'))
    expect(calls).toEqual([0, 300, 300]);
  const cost = costs.get('head/haproxy')!;
  expect(cost.components).toEqual(['haproxy sidecar']);
  const values = batchValues(cost);
  // HAProxy's own periodic tasks run inside the counted process: a looser 3% for 300 requests.
  expect(Math.abs(values[0] / values[1] - 1)).toBeLessThan(0.03);
  expect(runningProcesses()).toHaveLength(0);
}, 120_000);

it('a proxy that dies under Valgrind is exit 3 naming it, and the batches counted before are kept', async () => {
  const workDir = await mkdtemp(join(dir, 'death-'));
  let killed = false;
  const base = memoryLogger();
  const log: Logger = {
    ...base,
    debug: (message) => {
      base.debug(message);
      // After the first round, kill one counted proxy (a process this test's phase started).
      if (!killed && message.includes('head/nginx batch 1')) {
        killed = true;
        const pid = readdirSync('/proc')
          .filter((name) => /^\d+$/.test(name))
          .find((name) => {
            try {
              return readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(workDir);
            } catch {
              return false;
            }
          });
        if (pid) process.kill(Number(pid), 'SIGKILL');
      }
    },
  };
  const error = await runCostPhase(
    await variants('{ name: nginx, builds: { base: {}, head: { include: ./headers.conf } } }'),
    {
      spec: spec({ requests: 60, batches: 3, warmupRequests: 30 }),
      request,
      log,
      workDir,
      signal: new AbortController().signal,
    },
  ).catch((e: unknown) => e);
  expect(killed).toBe(true);
  expect(error).toBeInstanceOf(MeshgateError);
  expect((error as MeshgateError).exitCode).toBe(3);
  expect((error as Error).message).toMatch(
    /nginx sidecar proxy \(nginx\).*exited unexpectedly.*while counting.*callgrind/s,
  );
  const kept = partialCostOf(error)!;
  expect(kept.get('base/nginx')!.batches.length).toBeGreaterThanOrEqual(1);
  expect(kept.get('head/nginx')!.batches.length).toBeGreaterThanOrEqual(1);
  expect(runningProcesses()).toHaveLength(0);
}, 120_000);

it('a batch whose requests fail through the proxy is exit 3 naming the variant and its component', async () => {
  const error = await runCostPhase(await variants('{ name: nginx }'), {
    spec: spec({ warmupRequests: 5 }),
    request: { ...request, path: '/fail' },
    log: memoryLogger(),
    workDir: await mkdtemp(join(dir, 'fail-')),
    signal: new AbortController().signal,
  }).catch((e: unknown) => e);
  expect((error as MeshgateError).exitCode).toBe(3);
  expect((error as Error).message).toMatch(
    /cost: warm-up of head\/nginx \(nginx sidecar\) did not complete: answer 500/,
  );
  expect(runningProcesses()).toHaveLength(0);
}, 60_000);

it('Valgrind missing from PATH is exit 2 naming the field and what to install; nothing is started', async () => {
  const path = process.env.PATH;
  process.env.PATH = join(dir, 'empty-bin');
  try {
    const error = await runCostPhase(await variants('{ name: nginx }'), {
      spec: spec(),
      request,
      log: memoryLogger(),
      workDir: await mkdtemp(join(dir, 'missing-')),
      signal: new AbortController().signal,
    }).catch((e: unknown) => e);
    expect((error as MeshgateError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(
      /^cost\.method callgrind: .*Valgrind, which is not on PATH; install Valgrind \(Debian\/Ubuntu: apt-get install valgrind\)/,
    );
  } finally {
    process.env.PATH = path;
  }
  expect(runningProcesses()).toHaveLength(0);
});

it('the perf probe refuses where instructions:u does not count (no cpu PMU here), and method perf is exit 3', async () => {
  if (
    existsSync('/sys/bus/event_source/devices/cpu') ||
    existsSync('/sys/bus/event_source/devices/armv8_pmuv3_0')
  )
    return;
  const probe = await probePerf();
  expect(probe.available).toBe(false);
  expect(probe.detail).toMatch(/not supported|not installed|no hardware instruction counter/);
  const error = await runCostPhase(await variants('{ name: nginx }'), {
    spec: spec({ method: 'perf' }),
    request,
    log: memoryLogger(),
    workDir: await mkdtemp(join(dir, 'perf-')),
    signal: new AbortController().signal,
  }).catch((e: unknown) => e);
  expect((error as MeshgateError).exitCode).toBe(3);
  expect((error as Error).message).toMatch(
    /^cost\.method perf: instructions:u cannot be counted here .*use cost\.method callgrind/,
  );
});

it('method perf counts each batch with `perf stat -p` from zero to SIGINT (a stand-in perf: only a vPMU runner has the real counter)', async () => {
  // The stand-in keeps what the path relies on: CSV (-x,) on stderr, the count printed when
  // SIGINT ends `perf stat -p`, `instructions:u` as the event name, and a count for `-- true`.
  const bin = await mkdtemp(join(dir, 'perf-bin-'));
  await writeFile(
    join(bin, 'perf'),
    [
      '#!/bin/sh',
      'case "$1" in --version) echo "perf version 6.1.0-standin"; exit 0;; esac',
      'for a in "$@"; do [ "$a" = "-p" ] && attached=1; done',
      'if [ -z "$attached" ]; then echo "1234,,instructions:u,1000,100.00,," >&2; exit 0; fi',
      // Record what it was attached to: the pid after -p, and that process's command line.
      'pid=$(echo "$@" | sed "s/.*-p \\([0-9]*\\).*/\\1/"); tr "\\0" " " < /proc/$pid/cmdline >> "$(dirname "$0")/attached"; echo >> "$(dirname "$0")/attached"',
      'trap \'echo "4242000,,instructions:u,1000,100.00,," >&2; exit 0\' INT',
      'while :; do sleep 0.05; done',
    ].join('\n'),
    { mode: 0o755 },
  );
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    const costs = await runCostPhase(await variants('{ name: nginx }'), {
      spec: spec({ method: 'perf', requests: 100 }),
      request,
      log: memoryLogger(),
      workDir: await mkdtemp(join(dir, 'perf-run-')),
      signal: new AbortController().signal,
    });
    const cost = costs.get('head/nginx')!;
    expect(cost).toMatchObject({
      method: 'perf',
      tool: 'perf version 6.1.0-standin',
      components: ['nginx sidecar'],
    });
    expect(cost.batches.map((b) => b.instructions)).toEqual([[4242000], [4242000]]);
    expect(cost.functions).toBeUndefined();
    // Each session attached to the one nginx process that serves (no forked worker out of reach).
    const attached = readFileSync(join(bin, 'attached'), 'utf8').trim().split('\n');
    expect(attached).toHaveLength(3); // the idle window and two batches
    for (const line of attached) expect(line).toMatch(/nginx .*master_process off;/);
  } finally {
    process.env.PATH = path;
  }
  expect(runningProcesses()).toHaveLength(0);
}, 60_000);
