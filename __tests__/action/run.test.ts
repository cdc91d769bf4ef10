// runAction end to end with the real @actions/github and @actions/artifact clients against the
// API stand-in; only the measurement and the judge are fakes.
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunContext, type RunContext } from '../../src/github/context.js';
import { GitHubApiStandIn } from '../__stand-ins__/github-api.js';
import { runtimeToken } from '../__stand-ins__/github-api-results.js';
import { readZip } from '../__stand-ins__/github-api-zip.js';
import { craftZip, deflateBomb } from '../helpers/hostile-zips.js';
import { BASE_SHA, HEAD_SHA, MERGE_BASE_SHA, prContext, pushContext } from '../baseline/fixture-context.js';
import { fixtureResults } from '../baseline/fixture-results.js';
import { fakeJudge, settingsFor, testDeps, workspace } from './fixtures.js';
import type { Settings } from '../../src/action/inputs.js';
import type { OverallVerdict } from '../../src/verdict/schema.js';

const api = new GitHubApiStandIn();
const saved = { ...process.env };
let runAction: typeof import('../../src/action/run.js').runAction;
let createGitHubClient: typeof import('../../src/github/client.js').createGitHubClient;
let githubArtifactTransport: typeof import('../../src/github/artifacts.js').githubArtifactTransport;

beforeAll(async () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true); // @actions/* log lines
  await api.start();
  process.env.GITHUB_API_URL = api.url; // read by @actions/github when first imported
  process.env.ACTIONS_RESULTS_URL = api.url;
  process.env.ACTIONS_RUNTIME_TOKEN = runtimeToken();
  delete process.env.GITHUB_SERVER_URL;
  ({ runAction } = await import('../../src/action/run.js'));
  ({ createGitHubClient } = await import('../../src/github/client.js'));
  ({ githubArtifactTransport } = await import('../../src/github/artifacts.js'));
});
afterAll(async () => {
  process.env = saved;
  await api.stop();
});

let prRun = 0;
beforeEach(() => {
  api.mergeBases.set(`${BASE_SHA}...${HEAD_SHA}`, MERGE_BASE_SHA);
  prRun = api.addRun({ headSha: HEAD_SHA, headBranch: 'feature', event: 'pull_request' }).id;
  api.currentRunId = prRun;
});

async function run(
  context: RunContext,
  verdict: OverallVerdict,
  overrides: Partial<Settings> = {},
  token = 'token-1',
) {
  const { directory, profilePath } = await workspace();
  const client = createGitHubClient(token, api.url);
  const judge = fakeJudge(verdict);
  const deps = testDeps({
    client,
    context,
    judge,
    transport: githubArtifactTransport(client, context.repo, token),
  });
  const outcome = await runAction(
    settingsFor({ resultsDir: directory, profilePath, token, ...overrides }),
    deps,
  );
  return { outcome, deps, judge };
}

const pr = (fork = false, runId = prRun) => prContext(api.url, api.owner, api.repo, runId, { fork });

describe('measure mode', () => {
  it('comments once on a PR, updates on the next run, writes summary and outputs', async () => {
    const first = await run(pr(), 'pass');
    const second = await run(pr(), 'pass');
    expect(api.commentsOn(7)).toHaveLength(1);
    const [comment] = api.commentsOn(7);
    expect(comment.body.split('\n')[0]).toBe('<!-- meshgate:profile=echo-p99 -->');
    expect(comment.body).toContain('No baseline yet');
    expect(second.deps.summaries[0]).toContain('No baseline yet');
    expect(first.outcome.outputs['comment-url']).toBe(second.outcome.outputs['comment-url']);
    expect(second.outcome).toMatchObject({
      failure: undefined,
      outputs: { verdict: 'pass', 'overhead-p99': '0.3' },
    });
    expect(Number(second.outcome.outputs['p99-ms'])).toBeGreaterThan(1);
    expect(second.deps.summaries[0]).toContain('## meshgate · echo-p99: ✅ pass');
    expect(second.deps.summaries[0]).toContain('[workflow run](');
    expect(second.deps.state.get('meshgate-post')).toBe(
      JSON.stringify({ platform: 'local', profile: 'echo-p99' }),
    );
  });

  it("the comment's next steps run the profile by its path from the repository root", async () => {
    // A checkout: .git at the workspace root, the profile in .github/meshgate/, and the action's
    // working-directory a subfolder; the path printed is the one a reader pastes at the root.
    const { directory } = await workspace();
    await mkdir(join(directory, '.git'));
    await mkdir(join(directory, '.github', 'meshgate'), { recursive: true });
    await mkdir(join(directory, 'service'));
    const profilePath = join(directory, '.github', 'meshgate', 'pr-p99.yaml');
    await copyFile(join(directory, 'profile.yaml'), profilePath);
    await run(pr(), 'pass', { profilePath, workingDirectory: join(directory, 'service') });
    const body = api.commentsOn(7).at(-1)!.body;
    expect(body).toContain('npx meshgate@0 run .github/meshgate/pr-p99.yaml --out results.json');
    expect(body).not.toContain('dist/cli/index.js');
  });

  it('a late run does not overwrite the comment once the PR has moved on to a newer commit', async () => {
    const context = prContext(api.url, api.owner, api.repo, prRun, { number: 21 });
    api.pulls.set(21, { headSha: '9'.repeat(40), baseRepoFullName: `${api.owner}/${api.repo}` });
    const { deps, outcome } = await run(context, 'regression', { failOnRegression: false });
    expect(api.commentsOn(21)).toHaveLength(0);
    expect(deps.summaries[0]).toContain('has moved on to commit `9999999`');
    expect(outcome.outputs['comment-url']).toBe('');
    api.pulls.set(21, { headSha: HEAD_SHA, baseRepoFullName: `${api.owner}/${api.repo}` });
    await run(context, 'regression', { failOnRegression: false });
    expect(api.commentsOn(21)).toHaveLength(1); // the run of the current head comments
  });

  it('a regression fails with one line; the baseline of the merge base is used and named', async () => {
    const baseRun = api.addRun({ headSha: MERGE_BASE_SHA });
    api.addArtifact(baseRun.id, 'meshgate-baseline-echo-p99', {
      'results.json': JSON.stringify(fixtureResults()),
    });
    const { outcome, judge, deps } = await run(pr(), 'regression');
    expect(outcome.failure).toMatch(/^meshgate echo-p99: performance regression: [^\n]+$/);
    expect(judge.baselines[0]).toMatchObject({ profile: { name: 'echo-p99' } });
    expect(outcome.outputs['baseline-run-id']).toBe(String(baseRun.id));
    expect(deps.summaries[0]).toContain(`merge base \`${MERGE_BASE_SHA.slice(0, 7)}\``);
    api.artifacts.length = 0;
  });

  it('a baseline written by a newer meshgate is skipped with a notice in the comment; the PR does not fail for it', async () => {
    const newer = JSON.parse(readFileSync('__tests__/__fixtures__/compat/results-v2.json', 'utf8'));
    newer.profile.name = 'echo-p99';
    const baseRun = api.addRun({ headSha: MERGE_BASE_SHA });
    api.addArtifact(baseRun.id, 'meshgate-baseline-echo-p99', { 'results.json': JSON.stringify(newer) });
    const context = prContext(api.url, api.owner, api.repo, prRun, { number: 31 });
    const { outcome, judge } = await run(context, 'pass');
    expect(outcome.failure).toBeUndefined();
    expect(outcome.outputs.verdict).toBe('pass');
    expect(judge.baselines[0]).toBeUndefined();
    expect(outcome.outputs['baseline-run-id']).toBe('');
    const body = api.commentsOn(31).at(-1)!.body;
    expect(body).toContain('was written by a newer meshgate (format `meshgate/results@2`)');
    expect(body).toContain('only same-job comparisons decide');
    api.artifacts.length = 0;
  });

  const failureCases: [string, 'inconclusive' | 'regression', Partial<Settings>, boolean][] = [
    ['inconclusive passes by default', 'inconclusive', {}, false],
    ['inconclusive fails with fail-on-inconclusive', 'inconclusive', { failOnInconclusive: true }, true],
    ['regression passes with fail-on-regression off', 'regression', { failOnRegression: false }, false],
  ];
  it.each(failureCases)('%s', async (_name, verdict, overrides, fails) => {
    const { outcome } = await run(pr(), verdict, { ...overrides, comment: 'never' });
    expect(Boolean(outcome.failure)).toBe(fails);
  });

  it('comment: on-regression posts nothing for a pass on a fresh PR', async () => {
    const context = prContext(api.url, api.owner, api.repo, prRun);
    context.pullRequest!.number = 8;
    await run(context, 'pass', { comment: 'on-regression' });
    expect(api.commentsOn(8)).toHaveLength(0);
    await run(context, 'regression', { comment: 'on-regression' });
    expect(api.commentsOn(8)).toHaveLength(1);
  });

  it('fork PR: no comment attempt, a hand-off artifact, and a note in the summary', async () => {
    const before = api.requests.length;
    const { deps, outcome } = await run(pr(true), 'pass');
    expect(
      api.requests.slice(before).filter((r) => r.method !== 'GET' && r.path.includes('/comments')),
    ).toEqual([]);
    expect(outcome.outputs['comment-url']).toBe('');
    const handoff = api.artifacts.find((a) => a.runId === prRun && a.name === 'meshgate-pr-echo-p99')!;
    const files = readZip(handoff.zip);
    expect(JSON.parse(files['handoff.json'].toString())).toMatchObject({
      pullRequest: 7,
      headSha: HEAD_SHA,
      profile: 'echo-p99',
    });
    expect(Object.keys(files).sort()).toEqual(['handoff.json', 'results.json']);
    expect(deps.summaries[0]).toContain('comment-from-artifact');
  });

  it('a 403 on a same-repo PR falls back to the hand-off and warns', async () => {
    api.readOnlyTokens.add('read-only');
    const context = pr();
    context.pullRequest!.number = 9;
    const { deps } = await run(context, 'pass', {}, 'read-only');
    expect(api.commentsOn(9)).toHaveLength(0);
    expect(deps.lines.some((l) => l.startsWith('warning:') && l.includes('cannot comment'))).toBe(true);
    expect(deps.summaries[0]).toContain('meshgate-pr-echo-p99');
  });

  it('a push to the default branch saves the baseline artifact', async () => {
    const push = api.addRun({ headSha: MERGE_BASE_SHA });
    api.currentRunId = push.id;
    const { deps } = await run(pushContext(api.url, api.owner, api.repo, push.id), 'pass');
    const names = api.artifacts
      .filter((a) => a.runId === push.id)
      .map((a) => a.name)
      .sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toBe('meshgate-baseline-echo-p99');
    // Per job (GITHUB_JOB, else "job") and a random suffix: another job of the run keeps its own.
    expect(names[1]).toMatch(/^meshgate-report-echo-p99-[a-z0-9-]+-[0-9a-f]{6}$/);
    const report = api.artifacts.find((a) => a.runId === push.id && a.name === names[1])!;
    expect(deps.summaries[0]).toContain(`[HTML report](`);
    expect(deps.summaries[0]).toContain(`/artifacts/${report.id}`);
    expect(deps.summaries[0]).toContain('Baseline saved as artifact');
  });

  it('two jobs of one run (a matrix over one profile) keep both reports; the second baseline is refused, not swapped in', async () => {
    const push = api.addRun({ headSha: MERGE_BASE_SHA });
    api.currentRunId = push.id;
    await run(pushContext(api.url, api.owner, api.repo, push.id), 'pass');
    const first = api.artifacts.filter((a) => a.runId === push.id).map((a) => a.id);
    const { deps } = await run(pushContext(api.url, api.owner, api.repo, push.id), 'pass');
    expect(api.deletedArtifacts.filter((a) => a.runId === push.id)).toEqual([]);
    expect(
      api.artifacts.filter((a) => a.runId === push.id && a.name.startsWith('meshgate-report-')),
    ).toHaveLength(2);
    expect(first.every((id) => api.artifacts.some((a) => a.id === id))).toBe(true);
    expect(deps.lines.join('\n') + deps.summaries.join('\n')).toContain(
      'artifact meshgate-baseline-echo-p99 already exists in this run: another job uploaded it',
    );
  });
});

describe('history: true', () => {
  // The repository's git remote is a bare repository under a file:// "server" (real pushes).
  const server = mkdtempSync(join(tmpdir(), 'meshgate-server-'));
  beforeAll(() => {
    execFileSync('git', ['init', '--quiet', '--bare', join(server, api.owner, `${api.repo}.git`)]);
  });
  afterAll(() => rmSync(server, { recursive: true, force: true }));
  const history = { enabled: true, branch: 'meshgate-history', keep: 500 };

  it('push runs add records and show the trend; a PR gets one context line; neither fails', async () => {
    for (let i = 0; i < 4; i++) {
      const push = api.addRun({ headSha: MERGE_BASE_SHA });
      api.currentRunId = push.id;
      // One commit per push (a re-run of the same commit replaces its record).
      const sha = `${String(i + 1).padStart(2, '0')}${MERGE_BASE_SHA.slice(2)}`;
      const context = {
        ...pushContext(api.url, api.owner, api.repo, push.id),
        sha,
        serverUrl: `file://${server}`,
      };
      const { deps } = await run(context, 'pass', { history, comment: 'never' });
      expect(deps.summaries[0]).toContain(`added to the history on \`meshgate-history\` (${i + 1} record(s)`);
      if (i > 0) expect(deps.summaries[0]).toContain(`### meshgate trend: p99 over ${i + 1} baselines`);
      const report = api.artifacts.find(
        (a) => a.runId === push.id && a.name.startsWith('meshgate-report-echo-p99-'),
      )!;
      expect(Object.keys(readZip(report.zip))).toContain('history.html');
    }
    const context = { ...pr(), serverUrl: `file://${server}` };
    context.pullRequest!.number = 31;
    const before = execFileSync('git', [
      '--git-dir',
      join(server, api.owner, `${api.repo}.git`),
      'rev-parse',
      'meshgate-history',
    ]);
    await run(context, 'pass', { history });
    const [comment] = api.commentsOn(31);
    expect(comment.body).toMatch(
      /Head p99 [\d.]+ ms \(head\/nginx, median of trials\); main's last 4 on the same kind of runner/,
    );
    // The PR's run read the branch and wrote nothing.
    expect(
      execFileSync('git', [
        '--git-dir',
        join(server, api.owner, `${api.repo}.git`),
        'rev-parse',
        'meshgate-history',
      ]),
    ).toEqual(before);
  });

  it('a manual run on main writes nothing to the history', async () => {
    const git = join(server, api.owner, `${api.repo}.git`);
    const before = execFileSync('git', ['--git-dir', git, 'rev-parse', 'meshgate-history']);
    const run_ = api.addRun({ headSha: MERGE_BASE_SHA });
    api.currentRunId = run_.id;
    const push = pushContext(api.url, api.owner, api.repo, run_.id);
    const context = { ...push, eventName: 'workflow_dispatch', serverUrl: `file://${server}` };
    const { deps } = await run(context, 'pass', { history, comment: 'never' });
    expect(deps.summaries[0]).not.toContain('history');
    expect(execFileSync('git', ['--git-dir', git, 'rev-parse', 'meshgate-history'])).toEqual(before);
  });

  it('a history push that fails (no such remote here; on GitHub, a token without contents: write) is a warning and a note, not a failure', async () => {
    const push = api.addRun({ headSha: MERGE_BASE_SHA });
    api.currentRunId = push.id;
    const context = {
      ...pushContext(api.url, api.owner, api.repo, push.id),
      serverUrl: `file://${server}/nowhere`,
    };
    const { deps, outcome } = await run(context, 'pass', { history, comment: 'never' });
    expect(outcome.failure).toBeUndefined();
    expect(deps.summaries[0]).toMatch(/not added to the history on `meshgate-history`/);
    expect(
      deps.lines.some((l) => l.startsWith('warning:') && l.includes('could not add this run to the history')),
    ).toBe(true);
  });
});

describe('comment-from-artifact mode', () => {
  const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
    name: string;
    examples: any[];
  }[];
  const workflowRunContext = (runId: number, headSha: string): RunContext => {
    const payload = structuredClone(examples.find((e) => e.name === 'workflow_run')!.examples[0]);
    Object.assign(payload.workflow_run, { id: runId, head_sha: headSha, pull_requests: [] });
    payload.repository.full_name = `${api.owner}/${api.repo}`;
    return buildRunContext(
      {
        GITHUB_EVENT_NAME: 'workflow_run',
        GITHUB_REPOSITORY: `${api.owner}/${api.repo}`,
        GITHUB_RUN_ID: '1',
      },
      payload,
    );
  };

  async function forkRun(prNumber: number) {
    const measuring = api.addRun({ headSha: HEAD_SHA, headBranch: 'feature', event: 'pull_request' });
    api.currentRunId = measuring.id;
    const context = prContext(api.url, api.owner, api.repo, measuring.id, { fork: true });
    context.pullRequest!.number = prNumber;
    await run(context, 'regression', { comment: 'always', failOnRegression: false });
    return measuring;
  }

  it('validates the hand-off, confirms the PR by head SHA, comments once', async () => {
    const measuring = await forkRun(11);
    api.pulls.set(11, { headSha: HEAD_SHA, baseRepoFullName: `${api.owner}/${api.repo}` });
    const settings = { mode: 'comment-from-artifact' as const, profilePath: undefined };
    const first = await run(workflowRunContext(measuring.id, HEAD_SHA), 'regression', settings);
    await run(workflowRunContext(measuring.id, HEAD_SHA), 'regression', settings);
    expect(api.commentsOn(11)).toHaveLength(1);
    expect(first.outcome.outputs).toMatchObject({
      verdict: 'regression',
      'comment-url': expect.stringContaining('issuecomment'),
    });
    expect(first.outcome.failure).toBeUndefined();
    expect(first.deps.summaries[0]).toContain('#11');
  });

  it("refuses a PR whose head is not the run's head", async () => {
    const measuring = await forkRun(12);
    api.pulls.set(12, { headSha: 'f'.repeat(40), baseRepoFullName: `${api.owner}/${api.repo}` });
    const { deps } = await run(workflowRunContext(measuring.id, HEAD_SHA), 'pass', {
      mode: 'comment-from-artifact',
    });
    expect(api.commentsOn(12)).toHaveLength(0);
    expect(deps.lines.some((l) => l.includes('not commenting'))).toBe(true);
  });

  it('skips a tampered hand-off with a warning', async () => {
    const measuring = api.addRun({ headSha: HEAD_SHA, event: 'pull_request' });
    api.addArtifact(measuring.id, 'meshgate-pr-echo-p99', {
      'handoff.json': '{"schema":"meshgate/comment-handoff@1","pullRequest":"13; rm -rf /"}',
      'results.json': '{}',
    });
    const { deps, outcome } = await run(workflowRunContext(measuring.id, HEAD_SHA), 'pass', {
      mode: 'comment-from-artifact',
    });
    expect(api.commentsOn(13)).toHaveLength(0);
    expect(
      deps.lines.some(
        (l) => l.startsWith('warning: skipped meshgate-pr-echo-p99') && l.includes('pullRequest'),
      ),
    ).toBe(true);
    expect(outcome.failure).toBeUndefined();
  });

  it('skips a hand-off whose zip holds a deflate bomb, before inflating it', async () => {
    const measuring = api.addRun({ headSha: HEAD_SHA, event: 'pull_request' });
    api.addArtifact(
      measuring.id,
      'meshgate-pr-echo-p99',
      craftZip([
        { name: 'handoff.json', data: Buffer.from('{}') },
        {
          name: 'results.json',
          compressed: await deflateBomb(256 * 1024 * 1024),
          declaredBytes: 100_000,
          crc: 0,
        },
      ]),
    );
    const started = Date.now();
    const { deps, outcome } = await run(workflowRunContext(measuring.id, HEAD_SHA), 'pass', {
      mode: 'comment-from-artifact',
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(deps.lines).toContain(
      'warning: skipped meshgate-pr-echo-p99: zip of artifact meshgate-pr-echo-p99: entry "results.json": inflates past its declared 100000 bytes',
    );
    expect(outcome.failure).toBeUndefined();
    expect(outcome.outputs.verdict).toBe('');
  }, 30_000);

  it("takes the baseline again from the trusted run the hand-off names, never the fork's copy", async () => {
    const trusted = api.addRun({ headSha: MERGE_BASE_SHA }); // a push run on main of this repository
    const trustedResults = { ...fixtureResults(), createdAt: '2026-01-02T00:00:00.000Z' };
    api.addArtifact(trusted.id, 'meshgate-baseline-echo-p99', {
      'results.json': JSON.stringify(trustedResults),
    });
    const forgedBaseline = { ...fixtureResults(), createdAt: '1999-01-01T00:00:00.000Z' };
    const handoff = (runId: number) =>
      JSON.stringify({
        schema: 'meshgate/comment-handoff@1',
        pullRequest: 14,
        headSha: HEAD_SHA,
        profile: 'echo-p99',
        baseline: {
          kind: 'artifact',
          artifactName: 'meshgate-baseline-echo-p99',
          runId,
          runNumber: 1,
          headSha: MERGE_BASE_SHA,
          baseRef: 'main',
          matchesMergeBase: true,
        },
      });
    api.pulls.set(14, { headSha: HEAD_SHA, baseRepoFullName: `${api.owner}/${api.repo}` });
    const measuring = api.addRun({
      headSha: HEAD_SHA,
      event: 'pull_request',
      headRepo: 'mallory/meshgate-demo',
    });
    api.addArtifact(measuring.id, 'meshgate-pr-echo-p99', {
      'handoff.json': handoff(trusted.id),
      'results.json': JSON.stringify(fixtureResults()),
      'baseline.json': JSON.stringify(forgedBaseline),
    });
    const { judge } = await run(workflowRunContext(measuring.id, HEAD_SHA), 'pass', {
      mode: 'comment-from-artifact',
    });
    expect((judge.baselines[0] as { createdAt: string }).createdAt).toBe('2026-01-02T00:00:00.000Z');

    // A hand-off naming a run that is no baseline (the fork's own PR run) gets none at all.
    const forkRun = api.addRun({
      headSha: HEAD_SHA,
      event: 'pull_request',
      headRepo: 'mallory/meshgate-demo',
    });
    api.addArtifact(forkRun.id, 'meshgate-baseline-echo-p99', {
      'results.json': JSON.stringify(forgedBaseline),
    });
    const second = api.addRun({
      headSha: HEAD_SHA,
      event: 'pull_request',
      headRepo: 'mallory/meshgate-demo',
    });
    api.addArtifact(second.id, 'meshgate-pr-echo-p99', {
      'handoff.json': handoff(forkRun.id),
      'results.json': JSON.stringify(fixtureResults()),
      'baseline.json': JSON.stringify(forgedBaseline),
    });
    const other = await run(workflowRunContext(second.id, HEAD_SHA), 'pass', {
      mode: 'comment-from-artifact',
    });
    expect(other.judge.baselines[0]).toBeUndefined();
    expect(api.commentsOn(14).at(-1)!.body).toContain('is no baseline: it was triggered by pull\\_request');
  });

  it('is a clear error outside workflow_run', async () => {
    await expect(run(pr(), 'pass', { mode: 'comment-from-artifact' })).rejects.toThrow('workflow_run');
  });
});

it("answered in the shapes of GitHub's OpenAPI description", () => {
  expect(api.specViolations).toEqual([]);
});
