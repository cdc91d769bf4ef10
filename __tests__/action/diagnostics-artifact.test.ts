// A failed cluster step's diagnostics bundle goes up as one artifact of the run (real
// @actions/artifact client against the API stand-in), linked from the job summary, and the
// failure names the step and the artifact. Two jobs of one run (a matrix over one profile) get
// two artifacts: neither replaces the other's.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../src/action/inputs.js';
import { ClusterStepError } from '../../src/platform/cluster/diagnostics.js';
import { GitHubApiStandIn } from '../__stand-ins__/github-api.js';
import { runtimeToken } from '../__stand-ins__/github-api-results.js';
import { readZip } from '../__stand-ins__/github-api-zip.js';
import { HEAD_SHA, pushContext } from '../baseline/fixture-context.js';
import { fakeJudge, settingsFor, testDeps, workspace } from './fixtures.js';

const api = new GitHubApiStandIn();
const saved = { ...process.env };
let runAction: typeof import('../../src/action/run.js').runAction;
let createGitHubClient: typeof import('../../src/github/client.js').createGitHubClient;
let githubArtifactTransport: typeof import('../../src/github/artifacts.js').githubArtifactTransport;

beforeAll(async () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  await api.start();
  process.env.GITHUB_API_URL = api.url;
  process.env.ACTIONS_RESULTS_URL = api.url;
  process.env.ACTIONS_RUNTIME_TOKEN = runtimeToken();
  process.env.GITHUB_JOB = 'kind';
  delete process.env.GITHUB_SERVER_URL;
  ({ runAction } = await import('../../src/action/run.js'));
  ({ createGitHubClient } = await import('../../src/github/client.js'));
  ({ githubArtifactTransport } = await import('../../src/github/artifacts.js'));
});
afterAll(async () => {
  process.env = saved;
  await api.stop();
});

async function failingJob(runId: number) {
  const { directory, profilePath } = await workspace();
  const bundle = join(directory, 'diagnostics');
  mkdirSync(join(bundle, 'pods'), { recursive: true });
  writeFileSync(join(bundle, 'README.txt'), 'step: install istio\n');
  writeFileSync(join(bundle, 'pods', 'istio-system_istiod-1.txt'), 'Name: istiod-1\n');
  const context = pushContext(api.url, api.owner, api.repo, runId);
  const client = createGitHubClient('token-1', api.url);
  const deps = testDeps({
    client,
    context,
    judge: fakeJudge('pass'),
    transport: githubArtifactTransport(client, context.repo, 'token-1'),
  });
  deps.measure = async () => {
    throw new ClusterStepError(
      'kind: step "install istio" failed: `istioctl install -y` failed (exit code 1):\nError: ```injected```\nDiagnostics (the step …): ' +
        bundle,
      'install istio',
      bundle,
    );
  };
  const settings: Settings = settingsFor({
    resultsDir: directory,
    profilePath,
    baseline: { kind: 'none' },
    saveBaseline: 'false' as Settings['saveBaseline'],
  });
  const error = (await runAction(settings, deps).then(
    () => new Error('did not fail'),
    (e: unknown) => e,
  )) as Error;
  return { error, deps };
}

test('the bundle is one artifact per job, linked from the summary and named in the failure', async () => {
  const runId = api.addRun({ headSha: HEAD_SHA, headBranch: 'main', event: 'push' }).id;
  api.currentRunId = runId;
  const first = await failingJob(runId);
  const second = await failingJob(runId); // the matrix's other job, same profile
  const uploaded = api.artifacts.filter(
    (a) => a.runId === runId && a.name.startsWith('meshgate-diagnostics-'),
  );
  expect(uploaded).toHaveLength(2);
  expect(api.deletedArtifacts.filter((a) => a.name.startsWith('meshgate-diagnostics-'))).toEqual([]);
  for (const artifact of uploaded) {
    expect(artifact.name).toMatch(/^meshgate-diagnostics-echo-p99-kind-[0-9a-f]{6}$/);
    expect(Object.keys(readZip(artifact.zip)).sort()).toEqual([
      'README.txt',
      'pods/istio-system_istiod-1.txt',
    ]);
  }
  expect(first.error).toBeInstanceOf(ClusterStepError);
  expect(first.error.message).toContain('kind: step "install istio" failed');
  expect(first.error.message).toMatch(
    new RegExp(
      `\\nDiagnostics: artifact ${uploaded[0].name}: https://\\S+/${api.owner}/${api.repo}/actions/runs/${runId}/artifacts/${uploaded[0].id}$`,
    ),
  );
  expect(second.error.message).toContain(uploaded[1].name);
  const summary = first.deps.summaries.join('\n');
  expect(summary).toContain('### meshgate: cluster step failed');
  expect(summary).toContain(`Step: **install istio**`);
  expect(summary).toContain(`[${uploaded[0].name}](`);
  // The tool's output sits in a fence its own backticks cannot close.
  expect(summary).toMatch(/````\n[\s\S]*```injected```[\s\S]*\n````/);
});
