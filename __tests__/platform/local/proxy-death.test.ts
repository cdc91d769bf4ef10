/**
 * A proxy killed in the middle of a trial: the trial records the failed requests, the run ends
 * with a SetupError (exit code 3) naming the proxy, and no process is left behind.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { measure } from '../../../src/pipeline.js';
import { runningProcesses } from '../../../src/system/processes.js';
import { processTree } from '../../../src/platform/local/resources.js';
import { memoryLogger } from '../../../src/util/log.js';
import { alive } from './proxies/helpers.js';
import { localProfile } from './helpers.js';

let server: Server;
let appUrl: string;
let answered = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    answered++;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('ends the run with exit code 3 naming the proxy, after the trial recorded the errors', async () => {
  const profile = localProfile(appUrl, {
    mesh: [{ name: 'nginx', concurrency: 2 }],
    load: { rps: 300, connections: 4, threads: 1, duration: '2s', warmup: 0, timeout: '1s' },
  });
  const run = measure(profile, { log: memoryLogger(), signal: new AbortController().signal });
  const outcome = run.then(
    () => undefined,
    (error: unknown) => error as Error & { exitCode?: number; trial?: { errors: number; requests: number; errorsByKind: Record<string, number> } },
  );

  // Kill the proxy once load flows through it.
  const deadline = Date.now() + 30_000;
  while (answered < 150 && Date.now() < deadline) await sleep(20);
  const master = runningProcesses().find((proc) => proc.name.startsWith('nginx sidecar proxy'));
  expect(master).toBeDefined();
  const proxyPids = processTree(master!.pid);
  expect(proxyPids.length).toBe(3); // master + 2 workers
  process.kill(master!.pid, 'SIGKILL'); // the master only: its orphaned workers must go too

  const error = await outcome;
  expect(error).toBeDefined();
  expect(error!.exitCode).toBe(3);
  expect(error!.message).toMatch(/^nginx data plane of head\/nginx failed during a trial/);
  expect(error!.message).toMatch(/nginx sidecar proxy \(nginx\), pid \d+, exited unexpectedly \(SIGKILL\)/);
  const trial = error!.trial!;
  expect(trial.requests).toBeGreaterThan(200);
  expect(trial.errors).toBeGreaterThan(50);
  expect(Object.keys(trial.errorsByKind).join()).toMatch(/connect_refused|reset/);

  expect(runningProcesses()).toHaveLength(0);
  for (const pid of proxyPids) expect(alive(pid)).toBe(false);
});
