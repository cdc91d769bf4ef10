// A fork's hand-off artifact as an attacker would write it, through the shipped bundle
// (`node dist/main/index.js`, mode comment-from-artifact, a workflow_run event) against the GitHub
// API stand-in: the comment it posts must hold none of the artifact's strings as markup, mention
// no one, link nowhere but GitHub, carry one marker (its own), and a compression bomb in a
// histogram and a deflate bomb in the artifact's zip must be refused quickly. Build the bundle
// first: node scripts/package.mjs main (or point MESHGATE_MAIN_BUNDLE at another build of it).
// Only GitHub itself can show how its renderer treats the escaped text; this test checks the
// markdown source for every construct that would render as markup.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { GitHubApiStandIn } from '../__stand-ins__/github-api.js';
import { makeResults, around } from '../__fixtures__/results.js';
import { HEAD_SHA } from '../baseline/fixture-context.js';
import { craftZip, deflateBomb } from '../helpers/hostile-zips.js';

const MAIN = resolve(process.env.MESHGATE_MAIN_BUNDLE ?? 'dist/main/index.js');
const bundled = existsSync(MAIN);
if (!bundled)
  console.warn('fork-injection.test.ts skipped: no dist/main bundle (node scripts/package.mjs main)');

/** The forged environment.runner of the report (a mention, a phishing link, a pixel, a break-out, another profile's marker). */
const ATTACK =
  '@octo-org/security-team please approve: [Approve here](https://evil.example/login) ' +
  '![t](https://evil.example/pixel.png) </details></details># ✅ meshgate: pass <!-- meshgate:profile=pr-p99 -->';

function hostileResults(profile: string) {
  const results = makeResults({
    histograms: true,
    variants: { 'base/none': { p99Ms: around(10, 4) }, 'head/none': { p99Ms: around(10, 4) } },
  });
  results.profile.name = profile;
  results.environment = {
    ...results.environment,
    platform: '<img src=x onerror=alert(1)>',
    runner: ATTACK,
    os: '\n\n# Approved by @admin\n\n<!-- meshgate:profile=pr-p99 -->\n',
    kernel: '| forged | row |\n|---|---|',
    cpuModel: 'www.evil.example/x `code` **bold** ~~gone~~ $\\color{red}{x}$ :shipit: #1 octo/repo#2',
    node: '<details open><summary>click</summary>',
    meshVersions: { '<b>istio</b>': '[v1](javascript:alert(1))' },
    git: { sha: '<!-- meshgate:profile=pr-p99 -->', ref: 'refs/heads/@octocat' },
  };
  return results;
}

/** A histogram whose deflate stream inflates to 64 MiB (the real bombs inflate to gigabytes). */
function bombHistogram(): string {
  const inner = Buffer.alloc(64 * 1024 * 1024);
  inner.writeInt32BE(0x1c849313, 0);
  inner.writeInt32BE(inner.length - 40, 4);
  const deflated = deflateSync(inner);
  const head = Buffer.alloc(8);
  head.writeInt32BE(0x1c849314, 0);
  head.writeInt32BE(deflated.length, 4);
  return Buffer.concat([head, deflated]).toString('base64');
}

function handoff(pullRequest: number, profile: string) {
  return JSON.stringify({
    schema: 'meshgate/comment-handoff@1',
    pullRequest,
    headSha: HEAD_SHA,
    profile,
    baseline: { kind: 'file', path: 'baseline.json' },
  });
}

function runMain(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string; ms: number; maxRssKb?: number }> {
  const gnuTime = existsSync('/usr/bin/time');
  const started = Date.now();
  return new Promise((done) => {
    const args = gnuTime ? ['-f', 'maxrss=%M', process.execPath, MAIN] : [MAIN];
    const child = spawn(gnuTime ? '/usr/bin/time' : process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      const rss = /maxrss=(\d+)/.exec(output);
      done({ code, output, ms: Date.now() - started, maxRssKb: rss ? Number(rss[1]) : undefined });
    });
  });
}

/**
 * Every construct in a markdown source that GitHub would render as markup from the attacker's
 * text. The mermaid block (numbers and colours of meshgate's own) is left out; the character-level
 * checks look at the environment table and the baseline line, where the forged strings land.
 */
function markupProblems(fullBody: string, ownMarker: string): string[] {
  const problems: string[] = [];
  // meshgate's own fenced blocks render nothing: the chart, and the next steps' commands
  // (`npx meshgate@0 …`, whose recorded profile path is printed only as one plain shell word).
  const body = fullBody.replace(/```mermaid[\s\S]*?```/, '').replace(/^```sh\n[\s\S]*?^```$/gm, '');
  const lines = body.split('\n');
  if (lines[0] !== ownMarker) problems.push(`first line is not the marker: ${lines[0]}`);
  if (lines.slice(1).some((line) => line.includes('<!--'))) problems.push('a second comment marker');
  for (const match of body.matchAll(/@[A-Za-z0-9_-]/g)) problems.push(`a mention at ${match.index}`);
  if (/evil\.example/.test(body.replace(/(https:&#8203;\/\/|www&#8203;\.)evil\.example/g, '')))
    problems.push('a live URL to evil.example');
  for (const match of body.matchAll(/(?<!\\)!?\[[^\]]*\]\(([^)]*)\)/g))
    if (!match[1].startsWith('https://github.com/')) problems.push(`a link to ${match[1]}`);
  for (const match of body.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g))
    if (!['details', 'summary', 'sub'].includes(match[1]) || match[0].includes(' '))
      problems.push(`an HTML tag ${match[0]}`);
  const opened = (body.match(/<details>/g) ?? []).length;
  if (opened !== (body.match(/<\/details>/g) ?? []).length) problems.push('unbalanced <details>');
  const headings = lines.filter((line) => /^#{1,6} /.test(line));
  if (
    headings.filter((line) => line.startsWith('## ')).length !== 1 ||
    headings.some((line) => line.startsWith('# '))
  )
    problems.push(`forged headings: ${headings.join(' / ')}`);
  const environment = body.slice(
    body.indexOf('<summary>Environment</summary>'),
    body.indexOf('<summary>Trials'),
  );
  const baselineLine = lines.find((line) => line.startsWith('Baseline run:')) ?? '';
  for (const text of [environment, baselineLine]) {
    for (const match of text.matchAll(/(?<![\\&])#\d/g))
      problems.push(`an issue reference in ${JSON.stringify(text.slice(match.index, match.index! + 20))}`);
    for (const match of text.matchAll(/(?<!\\)[`*~$_]/g))
      problems.push(
        `unescaped ${match[0]} in ${JSON.stringify(text.slice(Math.max(0, match.index! - 20), match.index! + 20))}`,
      );
  }
  // Every row of the environment table has exactly two cells.
  for (const row of environment.split('\n').filter((line) => line.startsWith('|')))
    if (row.split(/(?<!\\)\|/).length !== 4) problems.push(`an environment row with other cells: ${row}`);
  return problems;
}

(bundled ? describe : describe.skip)('a fork artifact through dist/main (comment-from-artifact)', () => {
  const api = new GitHubApiStandIn();
  let directory = '';
  let env: Record<string, string> = {};
  beforeAll(async () => {
    await api.start();
    directory = await mkdtemp(join(tmpdir(), 'meshgate-fork-'));
    const measuring = api.addRun({ headSha: HEAD_SHA, headBranch: 'feature', event: 'pull_request' });
    for (const pr of [21, 22, 23, 24, 25])
      api.pulls.set(pr, { headSha: HEAD_SHA, baseRepoFullName: `${api.owner}/${api.repo}` });
    const baseline = hostileResults('echo-p99');
    baseline.createdAt = '[x](https://evil.example) @team';
    api.addArtifact(measuring.id, 'meshgate-pr-echo-p99', {
      'handoff.json': handoff(21, 'echo-p99'),
      'results.json': JSON.stringify(hostileResults('echo-p99')),
      'baseline.json': JSON.stringify(baseline),
    });
    const withBadId = hostileResults('bad-id');
    withBadId.variants[1].id = '@octocat [x](https://evil.example)';
    api.addArtifact(measuring.id, 'meshgate-pr-bad-id', {
      'handoff.json': handoff(22, 'bad-id'),
      'results.json': JSON.stringify(withBadId),
    });
    const bomb = hostileResults('bomb');
    bomb.variants[0].trials[0].histogram = bombHistogram();
    api.addArtifact(measuring.id, 'meshgate-pr-bomb', {
      'handoff.json': handoff(23, 'bomb'),
      'results.json': JSON.stringify(bomb),
    });
    // A zip whose results.json declares 100 kB and inflates to 256 MiB (about 250 kB compressed).
    api.addArtifact(
      measuring.id,
      'meshgate-pr-zip-bomb',
      craftZip([
        { name: 'handoff.json', data: Buffer.from(handoff(24, 'zip-bomb')) },
        {
          name: 'results.json',
          compressed: await deflateBomb(256 * 1024 * 1024),
          declaredBytes: 100_000,
          crc: 0,
        },
      ]),
    );
    // More trials than a run makes (PROFILE_LIMITS.maxTrials): refused before the verdict is computed.
    const many = hostileResults('many');
    let sequence = 0;
    for (const variant of many.variants)
      variant.trials = Array.from({ length: 600 }, (_, index) => ({
        ...variant.trials[0],
        index,
        sequence: sequence++,
      }));
    api.addArtifact(measuring.id, 'meshgate-pr-many', {
      'handoff.json': handoff(25, 'many'),
      'results.json': JSON.stringify(many),
    });
    // The bot's own comment of another profile, which a forged marker would have taken over.
    api.addComment(21, 'github-actions[bot]', '<!-- meshgate:profile=pr-p99 -->\nthe pr-p99 report');
    const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
      name: string;
      examples: any[];
    }[];
    const payload = structuredClone(examples.find((e) => e.name === 'workflow_run')!.examples[0]);
    Object.assign(payload.workflow_run, { id: measuring.id, head_sha: HEAD_SHA, pull_requests: [] });
    payload.repository.full_name = `${api.owner}/${api.repo}`;
    await writeFile(join(directory, 'event.json'), JSON.stringify(payload));
    env = {
      INPUT_MODE: 'comment-from-artifact',
      'INPUT_GITHUB-TOKEN': 'token-1',
      INPUT_COMMENT: 'always',
      GITHUB_WORKSPACE: directory,
      RUNNER_TEMP: directory,
      GITHUB_EVENT_NAME: 'workflow_run',
      GITHUB_EVENT_PATH: join(directory, 'event.json'),
      GITHUB_REPOSITORY: `${api.owner}/${api.repo}`,
      GITHUB_RUN_ID: '999',
      GITHUB_API_URL: api.url,
      GITHUB_STEP_SUMMARY: join(directory, 'summary.md'),
      GITHUB_OUTPUT: join(directory, 'output.txt'),
      GITHUB_STATE: join(directory, 'state.txt'),
    };
    for (const file of ['summary.md', 'output.txt', 'state.txt']) await writeFile(join(directory, file), '');
  }, 60_000);
  afterAll(async () => {
    await api.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('posts the report with every forged string inert, and refuses the bad id and the bomb', async () => {
    const run = await runMain(env);
    expect({ code: run.code, tail: run.output.slice(-1500) }).toMatchObject({ code: 0 });

    const comments = api.commentsOn(21);
    expect(comments).toHaveLength(2);
    const [theirs, ours] = comments;
    expect(theirs.body).toBe('<!-- meshgate:profile=pr-p99 -->\nthe pr-p99 report');
    expect(ours.login).toBe('github-actions[bot]');
    if (process.env.FORK_BODY_FILE) await writeFile(process.env.FORK_BODY_FILE, ours.body);
    expect(markupProblems(ours.body, '<!-- meshgate:profile=echo-p99 -->')).toEqual([]);
    // The strings are there, as text.
    expect(ours.body).toContain(
      '@&#8203;octo-org/security-team please approve: \\[Approve here\\](https:&#8203;//evil.example/login)',
    );
    // The forged marker and the </details> break-out reach the body only as escaped text.
    expect(ours.body).toContain('&lt;\\!-- meshgate:profile=pr-p99 --&gt;');
    expect(ours.body).not.toContain('</details></details>');

    // A variant id outside the allowed characters: the artifact is refused, naming the field.
    expect(api.commentsOn(22)).toHaveLength(0);
    expect(run.output).toMatch(
      /skipped meshgate-pr-bad-id: .*results\.json: variants\[1\]\.id: expected a variant id/,
    );
    // The bomb: refused before decoding, naming the histogram.
    expect(api.commentsOn(23)).toHaveLength(0);
    expect(run.output).toMatch(
      /skipped meshgate-pr-bomb: .*variants\[0\]\.trials\[0\]\.histogram: not a valid histogram: inflates to more than/,
    );
    // The zip bomb: refused before inflating past the declared size, naming the entry.
    expect(api.commentsOn(24)).toHaveLength(0);
    expect(run.output).toContain(
      'skipped meshgate-pr-zip-bomb: zip of artifact meshgate-pr-zip-bomb: entry "results.json": inflates past its declared 100000 bytes',
    );
    // Trials past what a run makes: refused, naming the count.
    expect(api.commentsOn(25)).toHaveLength(0);
    expect(run.output).toMatch(
      /skipped meshgate-pr-many: .*results\.json holds 600 trials of .*, more than a run makes \(500\)/,
    );
    expect(run.ms).toBeLessThan(20_000);
    if (run.maxRssKb !== undefined) expect(run.maxRssKb).toBeLessThan(400_000);

    const summary = await readFile(env.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary.match(/@[A-Za-z0-9]/g)).toBeNull();
    expect(api.specViolations).toEqual([]);
  }, 60_000);
});
