// `meshgate run` of the shipped kind profiles (Istio sidecars, Istio ambient, Linkerd) through
// stand-ins whose pods run: the sample workload's Deployment is meshgate's sample-server bundle
// from the ConfigMap, each generator Job's pods run dist/loadgen from the same ConfigMap with the
// Job's command and env, and `kubectl logs` / `kubectl wait` answer from those processes. So the
// path from the Job spec to the merged histogram, results.json, verdict.json and the comment runs
// end to end; only the mesh's proxies and the cluster's network are modelled (pods.mjs says how).
// The profiles run as shipped except for their load timing (shorter trials, lower rate, no
// sequential extension) so that
// the suite stays fast; everything else — meshes, mTLS, generators, trials, gates — is theirs.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseResults } from '../../../src/results/io.js';
import { createRunningStandIns, type RunningStandIns } from '../../__stand-ins__/install.js';
import { runCli } from '../../helpers/cli.js';

const PROFILES = ['kind-istio', 'kind-istio-ambient', 'kind-linkerd'] as const;
const LOAD = { rps: 80, duration: '1s', warmup: '300ms' };
const DURATION_S = 1;

let dir: string;
const standIns = new Map<string, RunningStandIns>();
const runs = new Map<string, Awaited<ReturnType<typeof runProfile>>>();

async function runProfile(name: (typeof PROFILES)[number]) {
  const shipped = parse(readFileSync(join('profiles', `${name}.yaml`), 'utf8'));
  const profile = join(dir, `${name}.yaml`);
  // No sequential extension: an inconclusive verdict after the profile's trials stays so here.
  writeFileSync(profile, stringify({ ...shipped, max_trials: shipped.trials, load: { ...shipped.load, ...LOAD } }));
  const stand = createRunningStandIns();
  standIns.set(name, stand);
  const out = join(dir, `${name}-results.json`);
  const run = await runCli(['run', profile, '--out', out, '--generator-lead', '4s', '--verbose'], {
    env: stand.env,
    timeoutMs: 420_000,
  });
  const verdictFile = join(dir, `${name}-verdict.json`);
  const commentFile = join(dir, `${name}-comment.md`);
  const check =
    run.code === 0
      ? await runCli(['check', out, '--json', verdictFile, '--markdown', commentFile], { timeoutMs: 60_000 })
      : undefined;
  return { run, check, out, verdictFile, commentFile, stand, shipped };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meshgate-kind-acceptance-'));
  // The three runs are independent clusters (own stand-in state each): run them side by side.
  const done = await Promise.all(PROFILES.map(runProfile));
  PROFILES.forEach((name, i) => runs.set(name, done[i]));
}, 480_000);

afterAll(() => {
  for (const stand of standIns.values()) stand.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(PROFILES)('meshgate run profiles/%s.yaml with generator pods as processes', (name) => {
  test('measures every variant from the pods’ own output, to a verdict and a comment', () => {
    const { run, check, out, verdictFile, commentFile, shipped } = runs.get(name)!;
    if (run.code !== 0)
      throw new Error(
        `meshgate run exited ${run.code} (${run.signal ?? 'no signal'}):\n${run.stderr.split('\n').filter((line) => !line.includes('debug:')).slice(-40).join('\n')}`,
      );
    expect(check).toBeDefined();
    expect([0, 1]).toContain(check!.code);

    const results = parseResults(readFileSync(out, 'utf8'), out);
    expect(results.variants.map((variant) => variant.id)).toEqual([
      'head/none',
      expect.stringMatching(new RegExp(`^head/${shipped.mesh[1].name}-(ambient-)?mtls$`)),
    ]);
    const expectedRequests = LOAD.rps * DURATION_S;
    for (const variant of results.variants) {
      expect(variant.trials).toHaveLength(shipped.trials);
      for (const trial of variant.trials) {
        // The generator pods' trials (each pod's load workers count as generators), merged: their
        // requests at the profile's rate …
        expect(trial.generators).toBeGreaterThanOrEqual(shipped.load.generators);
        // (a generator on a busy machine may fall behind its schedule; it never sends more)
        expect(trial.requests).toBeGreaterThan(expectedRequests * 0.5);
        expect(trial.requests).toBeLessThanOrEqual(expectedRequests * 1.05);
        expect(trial.errors).toBe(0);
        expect(trial.statusCodes).toEqual({ '200': trial.requests });
        // … answered by the workload's sample server with the profile's 1 ms delay.
        expect(trial.latencyMs.p50).toBeGreaterThanOrEqual(1);
        expect(trial.latencyMs.p50).toBeLessThan(2000);
      }
    }
    const verdict = JSON.parse(readFileSync(verdictFile, 'utf8'));
    expect(verdict.schema).toBe('meshgate/verdict@1');
    expect(['pass', 'regression', 'inconclusive']).toContain(verdict.verdict);
    expect(check!.code).toBe(verdict.verdict === 'regression' ? 1 : 0);
    expect(readFileSync(commentFile, 'utf8')).toContain(name);
  });

  test('generator images were pulled before trial 1, each trial’s pods were read, nothing is left running', () => {
    const { stand, shipped } = runs.get(name)!;
    const lines = stand.lines();
    const firstJob = lines.findIndex((line) => line.startsWith('kubectl wait --for=condition=complete job/load-'));
    const prepulled = lines.findIndex((line) => line.startsWith('kubectl rollout status daemonset/load-prepull'));
    expect(prepulled).toBeGreaterThan(0);
    expect(prepulled).toBeLessThan(firstJob);
    // Every image a generator pod uses was on the load node before it started.
    const pulls = stand.pulls();
    expect(pulls.filter((pull) => pull.owner.kind === 'Job')).toEqual([]);
    expect(pulls.some((pull) => pull.owner.kind === 'DaemonSet' && pull.node.endsWith('-worker2'))).toBe(true);
    // One `kubectl logs` per generator pod per trial (more if a skewed trial was repeated).
    const logs = lines.filter((line) => line.startsWith('kubectl logs load-'));
    expect(logs.length).toBeGreaterThanOrEqual(shipped.load.generators * shipped.trials * 2);
    expect(lines.filter((line) => line.startsWith('kind delete cluster'))).toHaveLength(1);
    expect(stand.livePods()).toEqual([]);
  });
});
