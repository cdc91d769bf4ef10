// The shipped bundle as the runner starts it: `node dist/main/index.js` with INPUT_* and GITHUB_*
// variables, on the local platform with a tiny profile, against the API stand-in. Then the post
// bundle with the state main saved. Build the bundles first: node scripts/package.mjs main post sample-server load-worker
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GitHubApiStandIn } from '../__stand-ins__/github-api.js';
import { BASE_SHA, HEAD_SHA, MERGE_BASE_SHA, pullRequestPayload } from '../baseline/fixture-context.js';

const MAIN = resolve('dist/main/index.js');
const POST = resolve('dist/post/index.js');
const bundled = ['main', 'post', 'sample-server'].every((entry) =>
  existsSync(resolve(`dist/${entry}/index.js`)),
);
if (!bundled)
  console.warn(
    'main-bundle.test.ts skipped: no dist/ bundles (node scripts/package.mjs main post sample-server load-worker)',
  );

const PROFILE = `name: bundle-smoke
platform: local
workload: { sample: echo }
mesh: [none]
load: { rps: 200, connections: 2, duration: 1s, warmup: 0s }
trials: 2
`;

function runNode(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('exit', (code) => done({ code, stdout }));
  });
}

/** Parse a GITHUB_OUTPUT / GITHUB_STATE file (name<<delimiter … delimiter blocks). */
function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const pattern = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) values[match[1]] = match[3];
  return values;
}

(bundled ? describe : describe.skip)('dist/main and dist/post as the runner runs them', () => {
  const api = new GitHubApiStandIn();
  let directory = '';
  let env: Record<string, string> = {};
  beforeAll(async () => {
    await api.start();
    directory = await mkdtemp(join(tmpdir(), 'meshgate-bundle-'));
    api.mergeBases.set(`${BASE_SHA}...${HEAD_SHA}`, MERGE_BASE_SHA);
    const run = api.addRun({ headSha: HEAD_SHA, headBranch: 'feature', event: 'pull_request' });
    await writeFile(join(directory, 'profile.yaml'), PROFILE);
    await writeFile(join(directory, 'event.json'), JSON.stringify(pullRequestPayload(api.owner, api.repo)));
    env = {
      INPUT_PROFILE: 'profile.yaml',
      INPUT_PLATFORM: 'local',
      'INPUT_GITHUB-TOKEN': 'token-1',
      INPUT_COMMENT: 'always',
      INPUT_BASELINE: 'artifact',
      'INPUT_RESULTS-DIR': join(directory, 'out'),
      GITHUB_WORKSPACE: directory,
      RUNNER_TEMP: directory,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: join(directory, 'event.json'),
      GITHUB_REPOSITORY: `${api.owner}/${api.repo}`,
      GITHUB_RUN_ID: String(run.id),
      GITHUB_REF: 'refs/pull/7/merge',
      GITHUB_API_URL: api.url,
      GITHUB_STEP_SUMMARY: join(directory, 'summary.md'),
      GITHUB_OUTPUT: join(directory, 'output.txt'),
      GITHUB_STATE: join(directory, 'state.txt'),
    };
    for (const file of ['summary.md', 'output.txt', 'state.txt']) await writeFile(join(directory, file), '');
  });
  afterAll(() => api.stop());

  it('measures, comments exactly once over two runs, writes summary and outputs', async () => {
    const first = await runNode(MAIN, env);
    expect({ code: first.code, tail: first.stdout.slice(-2000) }).toMatchObject({ code: 0 });
    const second = await runNode(MAIN, env);
    expect(second.code).toBe(0);
    // The runner consumes ::add-mask:: and masks the value everywhere; nothing else may print it.
    expect(first.stdout.replace('::add-mask::token-1', '')).not.toContain('token-1');

    const comments = api.commentsOn(7);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('<!-- meshgate:profile=bundle-smoke -->');
    expect(comments[0].body).toContain('## meshgate · bundle-smoke');
    expect(comments[0].body).toContain('No baseline yet');

    const summary = await readFile(env.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toContain('bundle-smoke');
    expect(summary).toContain('[workflow run](');

    const outputs = parseCommandFile(await readFile(env.GITHUB_OUTPUT, 'utf8'));
    expect(outputs.verdict).toMatch(/^(pass|inconclusive|regression)$/);
    expect(Number(outputs['p99-ms'])).toBeGreaterThan(0);
    expect(outputs['comment-url']).toContain('#issuecomment-');
    expect(JSON.parse(await readFile(outputs.results, 'utf8')).profile.name).toBe('bundle-smoke');
    expect(api.specViolations).toEqual([]);
  }, 60_000);

  it('post cleans up from the state main saved', async () => {
    const state = parseCommandFile(await readFile(env.GITHUB_STATE, 'utf8'));
    expect(JSON.parse(state['meshgate-post'])).toEqual({ platform: 'local', profile: 'bundle-smoke' });
    const post = await runNode(POST, { 'STATE_meshgate-post': state['meshgate-post'] });
    expect(post.code).toBe(0);
  });

  it('post deletes the kind cluster main recorded', async () => {
    const kind = join(directory, 'kind');
    await writeFile(kind, `#!/bin/sh\necho "$@" >> ${join(directory, 'kind.log')}\n`);
    await chmod(kind, 0o755);
    const kindState = {
      platform: 'kind',
      clusterName: 'meshgate-1',
      created: true,
      keepCluster: false,
      kindPath: kind,
    };
    const post = await runNode(POST, {
      'STATE_meshgate-post': JSON.stringify({ platform: 'kind', profile: 'p' }),
      'STATE_meshgate-kind': JSON.stringify(kindState),
    });
    expect(post.code).toBe(0);
    expect(await readFile(join(directory, 'kind.log'), 'utf8')).toBe('delete cluster --name meshgate-1\n');
  });
});
