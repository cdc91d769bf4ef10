// The artifact baseline store with the real @actions/github and @actions/artifact clients against
// the API stand-in (listing, 302 download of a zip, upload through the results service).
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../../src/util/log.js';
import { GitHubApiStandIn } from '../__stand-ins__/github-api.js';
import { runtimeToken } from '../__stand-ins__/github-api-results.js';
import { readZip } from '../__stand-ins__/github-api-zip.js';
import { HEAD_SHA, BASE_SHA, MERGE_BASE_SHA, prContext, pushContext } from './fixture-context.js';
import { fixtureResults } from './fixture-results.js';

const api = new GitHubApiStandIn();
let modules: {
  store: typeof import('../../src/baseline/artifact-store.js');
  client: typeof import('../../src/github/client.js');
  artifacts: typeof import('../../src/github/artifacts.js');
};
const saved = { ...process.env };

beforeAll(async () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true); // @actions/* log lines
  await api.start();
  // @actions/github reads GITHUB_API_URL when it is first imported; the artifact client's downloads use it.
  process.env.GITHUB_API_URL = api.url;
  process.env.ACTIONS_RESULTS_URL = api.url;
  process.env.ACTIONS_RUNTIME_TOKEN = runtimeToken();
  delete process.env.GITHUB_SERVER_URL;
  modules = {
    store: await import('../../src/baseline/artifact-store.js'),
    client: await import('../../src/github/client.js'),
    artifacts: await import('../../src/github/artifacts.js'),
  };
});
afterAll(async () => {
  process.env = saved;
  await api.stop();
});

const NAME = 'meshgate-baseline-echo-p99';
const results = (profile = 'echo-p99') => JSON.stringify(fixtureResults(profile));

function storeFor(context = prContext(api.url, api.owner, api.repo, currentRun)) {
  const client = modules.client.createGitHubClient('token-1', api.url);
  const log = memoryLogger();
  const transport = modules.artifacts.githubArtifactTransport(client, context.repo, 'token-1');
  return { store: modules.store.artifactBaselineStore({ client, context, transport, log }), log };
}

let currentRun = 0;
beforeEach(() => {
  api.runs.length = 0;
  api.artifacts.length = 0;
  api.mergeBases.clear();
  api.mergeBases.set(`${BASE_SHA}...${HEAD_SHA}`, MERGE_BASE_SHA);
  currentRun = api.addRun({ headSha: HEAD_SHA, headBranch: 'feature', event: 'pull_request' }).id;
});

describe('artifact baseline store', () => {
  it('no baseline yet: a neutral note, not a failure', async () => {
    api.addRun({ headSha: 'd'.repeat(40) }); // a run on main without the artifact
    const lookup = await storeFor().store.load('echo-p99');
    expect(lookup).toMatchObject({ status: 'missing' });
    expect(lookup.note).toContain('No baseline yet');
    expect(lookup.note).toContain(NAME);
  });

  it('prefers the run for the merge base over a newer run, and says so', async () => {
    const mergeBaseRun = api.addRun({ headSha: MERGE_BASE_SHA });
    const newer = api.addRun({ headSha: 'e'.repeat(40) });
    api.addArtifact(mergeBaseRun.id, NAME, { 'results.json': results() });
    api.addArtifact(newer.id, NAME, { 'results.json': results() });
    const lookup = await storeFor().store.load('echo-p99');
    expect(lookup.status).toBe('found');
    if (lookup.status !== 'found') return;
    expect(lookup.origin).toMatchObject({ kind: 'artifact', runId: mergeBaseRun.id, matchesMergeBase: true });
    expect(lookup.note).toContain('merge base `aaaaaaa`');
    expect(lookup.results.profile.name).toBe('echo-p99');
  });

  it('otherwise takes the newest run that has a live artifact', async () => {
    const older = api.addRun({ headSha: '1'.repeat(40) });
    const expired = api.addRun({ headSha: '2'.repeat(40) });
    api.addRun({ headSha: '3'.repeat(40) }); // newest, no artifact
    api.addRun({ headSha: '4'.repeat(40), conclusion: 'failure' });
    api.addArtifact(older.id, NAME, { 'results.json': results() });
    api.addArtifact(expired.id, NAME, { 'results.json': results() }, true);
    const lookup = await storeFor().store.load('echo-p99');
    expect(lookup).toMatchObject({ status: 'found', origin: { runId: older.id, matchesMergeBase: false } });
    expect(lookup.note).toContain('newest push run on `main`');
  });

  it('counts only push runs of this repository: a fork PR run on a branch named main is no baseline', async () => {
    const real = api.addRun({ headSha: '1'.repeat(40) });
    api.addArtifact(real.id, NAME, { 'results.json': results() });
    // Newer runs "on main" that must not count: a fork's pull_request run and a push in a fork.
    for (let i = 0; i < 25; i++) {
      const forged = api.addRun({
        headSha: '5'.repeat(40),
        event: 'pull_request',
        headRepo: 'mallory/meshgate-demo',
      });
      api.addArtifact(forged.id, NAME, { 'results.json': results() });
    }
    const forkPush = api.addRun({ headSha: '6'.repeat(40), headRepo: 'mallory/meshgate-demo' });
    api.addArtifact(forkPush.id, NAME, { 'results.json': results() });
    const lookup = await storeFor().store.load('echo-p99');
    expect(lookup).toMatchObject({ status: 'found', origin: { runId: real.id } });
    const query = api.requests.find((r) => r.path.includes('/actions/workflows/'))!;
    expect(query.query.get('event')).toBe('push');
  });

  it('a workflow_dispatch run on main saves a baseline (context.ts), so the lookup finds it', async () => {
    const push = api.addRun({ headSha: '1'.repeat(40) });
    const dispatched = api.addRun({ headSha: '2'.repeat(40), event: 'workflow_dispatch' });
    api.addArtifact(push.id, NAME, { 'results.json': results() });
    api.addArtifact(dispatched.id, NAME, { 'results.json': results() });
    const lookup = await storeFor().store.load('echo-p99');
    expect(lookup).toMatchObject({ status: 'found', origin: { runId: dispatched.id } });
    const events = api.requests
      .filter((r) => r.path.includes('/actions/workflows/'))
      .map((r) => r.query.get('event'));
    expect(events).toEqual(expect.arrayContaining(['push', 'workflow_dispatch']));
  });

  it('a push run that failed after saving its baseline counts, and the note says so', async () => {
    const failed = api.addRun({ headSha: MERGE_BASE_SHA, conclusion: 'failure' });
    api.addArtifact(failed.id, NAME, { 'results.json': results() });
    api.addRun({ headSha: '7'.repeat(40), conclusion: 'cancelled' });
    const lookup = await storeFor().store.load('echo-p99');
    expect(lookup).toMatchObject({ status: 'found', origin: { runId: failed.id, conclusion: 'failure' } });
    expect(lookup.note).toContain('failed after saving its baseline');
    expect(lookup.note).toContain('Baselines come from completed push (or manually dispatched) runs');
  });

  it('an expired baseline is named as expired, not as missing', async () => {
    const old = api.addRun({ headSha: '8'.repeat(40) });
    api.addArtifact(old.id, NAME, { 'results.json': results() }, true);
    const lookup = await storeFor().store.load('echo-p99');
    expect(lookup.status).toBe('missing');
    expect(lookup.note).toContain('has expired');
    expect(lookup.note).not.toContain('No baseline yet');
  });

  it.each([
    ['corrupt', { 'results.json': '{"schema": "meshgate/results@1", "variants": [' }, 'not valid JSON'],
    [
      'foreign (another tool)',
      { 'results.json': '{"schema": "k6/summary@1"}' },
      'not a meshgate results file',
    ],
    ['foreign (another profile)', { 'results.json': results('other-profile') }, 'profile "other-profile"'],
    ['empty', { 'README.md': 'nothing here' }, 'no results.json'],
  ])(
    '%s artifact: a warning naming artifact and run, then same-job comparisons',
    async (_name, files, reason) => {
      const run = api.addRun({ headSha: MERGE_BASE_SHA });
      api.addArtifact(run.id, NAME, files as Record<string, string>);
      const { store, log } = storeFor();
      const lookup = await store.load('echo-p99');
      expect(lookup.status).toBe('unusable');
      if (lookup.status !== 'unusable') return;
      expect(lookup.warning).toContain(NAME);
      expect(lookup.warning).toContain(`run ${run.id}`);
      expect(lookup.warning).toContain(reason);
      expect(lookup.note).toContain('only same-job comparisons decide');
      expect(log.lines.some((line) => line.startsWith('warning:'))).toBe(true);
    },
  );

  it("a baseline of another meshgate's format is skipped with a notice saying which, not a failure", async () => {
    // The doctored newer-major fixture (docs/compatibility.md), renamed to this profile.
    const newer = JSON.parse(readFileSync('__tests__/__fixtures__/compat/results-v2.json', 'utf8'));
    newer.profile.name = 'echo-p99';
    const run = api.addRun({ headSha: MERGE_BASE_SHA });
    api.addArtifact(run.id, NAME, { 'results.json': JSON.stringify(newer) });
    const { store, log } = storeFor();
    const lookup = await store.load('echo-p99');
    expect(lookup.status).toBe('unusable');
    if (lookup.status !== 'unusable') return;
    expect(lookup.note).toMatch(
      /^⚠️ The baseline artifact `meshgate-baseline-echo-p99` of \[run #\d+\]\([^)]+\) was written by a newer meshgate \(format `meshgate\/results@2`\); meshgate \S+ reads `meshgate\/results@1`: upgrade meshgate to read it\. It is skipped; the next push to `main` saves a baseline in this format; only same-job comparisons decide\.$/,
    );
    expect(
      log.lines.some((line) => line.startsWith('warning:') && line.includes('written by a newer meshgate')),
    ).toBe(true);
  });

  it('outside pull requests there is nothing to look up', async () => {
    const lookup = await storeFor(pushContext(api.url, api.owner, api.repo, currentRun)).store.load(
      'echo-p99',
    );
    expect(lookup.status).toBe('missing');
  });

  it('saves through the artifact upload service; the next PR finds it', async () => {
    const push = api.addRun({ headSha: MERGE_BASE_SHA });
    api.currentRunId = push.id;
    const directory = await mkdtemp(join(tmpdir(), 'meshgate-save-'));
    const file = join(directory, 'results.json');
    await writeFile(file, results());
    const note = await storeFor(pushContext(api.url, api.owner, api.repo, push.id)).store.save(
      fixtureResults(),
      file,
    );
    expect(note).toContain(NAME);
    const uploaded = api.artifacts.find((a) => a.runId === push.id)!;
    expect(uploaded.name).toBe(NAME);
    expect(JSON.parse(readZip(uploaded.zip)['results.json'].toString()).profile.name).toBe('echo-p99');
    const lookup = await storeFor().store.load('echo-p99');
    expect(lookup).toMatchObject({ status: 'found', origin: { runId: push.id, matchesMergeBase: true } });
  });

  it('a re-run of the same workflow run replaces its earlier artifact instead of failing with 409', async () => {
    const push = api.addRun({ headSha: MERGE_BASE_SHA });
    api.currentRunId = push.id;
    const directory = await mkdtemp(join(tmpdir(), 'meshgate-rerun-'));
    const file = join(directory, 'results.json');
    await writeFile(file, results());
    const store = storeFor(pushContext(api.url, api.owner, api.repo, push.id)).store;
    await store.save(fixtureResults(), file); // attempt 1
    process.env.GITHUB_RUN_ATTEMPT = '2';
    try {
      await store.save(fixtureResults(), file); // "Re-run jobs": attempt 2, same run id
    } finally {
      delete process.env.GITHUB_RUN_ATTEMPT;
    }
    expect(api.artifacts.filter((a) => a.runId === push.id && a.name === NAME)).toHaveLength(1);
    expect(api.deletedArtifacts.map((a) => a.name)).toEqual([NAME]);
  });

  it("answered in the shapes of GitHub's OpenAPI description", () => {
    expect(api.specViolations).toEqual([]);
  });
});
