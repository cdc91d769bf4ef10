// requires: nginx
/**
 * A proxy killed in the middle of a trial: the trial in flight is abandoned at once (not run to
 * its end), the run ends with a SetupError (exit code 3) naming the proxy and the abandoned
 * trial, the trials completed before it are kept, and no process is left behind.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { measure } from '../../../src/pipeline.js';
import { completedTrialsOf } from '../../../src/results/incomplete.js';
import { runningProcesses } from '../../../src/system/processes.js';
import { processTree } from '../../../src/platform/local/resources.js';
import { memoryLogger } from '../../../src/util/log.js';
import { alive } from './proxies/helpers.js';
import { localProfile } from './helpers.js';

let server: Server;
let appUrl: string;
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('abandons the trial in flight at once, ends with exit code 3 naming the proxy, keeps the completed trial', async () => {
  const profile = localProfile(appUrl, {
    mesh: [{ name: 'nginx', concurrency: 2 }],
    load: { rps: 300, connections: 4, threads: 1, duration: '3s', warmup: 0, timeout: '1s' },
    trials: 3,
    max_trials: 3,
  });
  const log = memoryLogger();
  const run = measure(profile, { log, signal: new AbortController().signal });
  const outcome = run.then(
    () => undefined,
    (error: unknown) => ({ error: error as Error & { exitCode?: number }, atMs: Date.now() }),
  );

  // Kill the proxy half a second into the second trial.
  const deadline = Date.now() + 60_000;
  while (!log.lines.some((line) => line.startsWith('trial 2/')) && Date.now() < deadline) await sleep(20);
  await sleep(500);
  const master = runningProcesses().find((proc) => proc.name.startsWith('nginx sidecar proxy'));
  expect(master).toBeDefined();
  const proxyPids = processTree(master!.pid);
  expect(proxyPids.length).toBe(3); // master + 2 workers
  const killedAtMs = Date.now();
  process.kill(master!.pid, 'SIGKILL'); // the master only: its orphaned workers must go too

  const failed = await outcome;
  expect(failed).toBeDefined();
  const { error, atMs } = failed!;
  // The trial had 2.5 s to go: finishing it would take that long. Cleanup included, well under 2 s.
  expect(atMs - killedAtMs).toBeLessThan(2000);
  expect(error.exitCode).toBe(3);
  expect(error.message).toMatch(
    /^nginx data plane of head\/nginx failed \(the trial in flight, head\/nginx, was abandoned\): nginx sidecar proxy \(nginx\), pid \d+, exited unexpectedly \(SIGKILL\)/,
  );
  // nginx warns at start-up (an obsolete directive); that warning is not why it died.
  expect(error.message).not.toMatch(/\[warn\]/);
  const completed = completedTrialsOf(error);
  expect(completed?.variants.map((v) => v.trials.length)).toEqual([1]);
  expect(completed?.incomplete).toMatchObject({
    completedTrials: 1,
    reason: expect.stringContaining('was abandoned'),
  });

  expect(runningProcesses()).toHaveLength(0);
  for (const pid of proxyPids) expect(alive(pid)).toBe(false);
}, 90_000);
