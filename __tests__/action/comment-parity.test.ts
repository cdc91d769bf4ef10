// One comment, two doors: the demo's comment.md (the CLI) and the comment the action posts for the
// same results are the same bytes, apart from the marker line the action puts first and the line
// of links to the run's pages, which only exist on GitHub. Real measurement (the demo, 2 trials),
// real judge, the real @actions clients against the API stand-in.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judge } from '../../src/gate.js';
import { parseResults } from '../../src/results/io.js';
import { GitHubApiStandIn } from '../__stand-ins__/github-api.js';
import { runtimeToken } from '../__stand-ins__/github-api-results.js';
import { BASE_SHA, HEAD_SHA, MERGE_BASE_SHA, prContext } from '../baseline/fixture-context.js';
import { runCli } from '../helpers/cli.js';
import { PROFILE_YAML, settingsFor, testDeps, workspace } from './fixtures.js';

const api = new GitHubApiStandIn();
const saved = { ...process.env };

beforeAll(async () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  await api.start();
  process.env.GITHUB_API_URL = api.url;
  process.env.ACTIONS_RESULTS_URL = api.url;
  process.env.ACTIONS_RUNTIME_TOKEN = runtimeToken();
  delete process.env.GITHUB_SERVER_URL;
});
afterAll(async () => {
  process.env = saved;
  await api.stop();
});

describe('the demo comment and the action comment', () => {
  it('are byte-identical for the same results (marker and run links aside)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'meshgate-parity-'));
    const demo = await runCli(['demo', '--trials', '2', '--out', out], { timeoutMs: 120_000 });
    expect(demo.code).toBe(0);
    const commentMd = await readFile(join(out, 'comment.md'), 'utf8');
    const results = parseResults(await readFile(join(out, 'results.json'), 'utf8'), 'results.json');

    api.mergeBases.set(`${BASE_SHA}...${HEAD_SHA}`, MERGE_BASE_SHA);
    const prRun = api.addRun({ headSha: HEAD_SHA, headBranch: 'feature', event: 'pull_request' }).id;
    api.currentRunId = prRun;
    const { runAction } = await import('../../src/action/run.js');
    const { createGitHubClient } = await import('../../src/github/client.js');
    const { githubArtifactTransport } = await import('../../src/github/artifacts.js');
    const context = prContext(api.url, api.owner, api.repo, prRun);
    context.pullRequest!.number = 21;
    const client = createGitHubClient('token-1', api.url);
    const deps = testDeps({
      client,
      context,
      judge: (r, options) => judge(r, options),
      transport: githubArtifactTransport(client, context.repo, 'token-1'),
    });
    deps.measure = async () => results;
    const { directory, profilePath } = await workspace();
    await writeFile(profilePath, PROFILE_YAML.replace('name: echo-p99', 'name: demo'));
    await runAction(
      settingsFor({ resultsDir: directory, profilePath, token: 'token-1', baseline: { kind: 'none' } }),
      deps,
    );

    const [posted] = api.commentsOn(21);
    const lines = posted.body.split('\n');
    expect(lines[0]).toBe('<!-- meshgate:profile=demo -->');
    const links = lines[lines.length - 2];
    expect(links).toMatch(/^\[HTML report\]\(.*\) · \[workflow run\]\(.*\) · \[artifacts\]\(.*\)$/);
    expect(posted.body).toBe(`<!-- meshgate:profile=demo -->\n${commentMd}\n${links}\n`);
    expect(commentMd).toContain('### Change by percentile');
  }, 180_000);
});
