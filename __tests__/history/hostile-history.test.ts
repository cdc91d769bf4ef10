// requires: git
/**
 * Hostile files on the data branch (anyone with write access can put them there): oversized,
 * wrong schema, not JSON, markup in names and paths, and a record that passes the schema with
 * markup in every free-text field. Through the job summary, the dashboard and the PR comment:
 * nothing is injected, nothing fails, each skipped file is named inertly.
 */
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBranchRecords } from '../../src/history/branch-store.js';
import { buildRecord, runnerOf } from '../../src/history/build-record.js';
import { historyContextLine } from '../../src/history/context-line.js';
import { gitEnvironment, gitText } from '../../src/history/git.js';
import { recordPushRun } from '../../src/history/push-path.js';
import { renderComment } from '../../src/report/comment/comment.js';
import { memoryLogger } from '../../src/util/log.js';
import { fakeVerdict } from '../action/fixtures.js';
import { bareRemote, factsOf, runResults } from './fixture-history.js';

jest.setTimeout(120_000);

const BRANCH = 'meshgate-history';
const CPU = '<img src=x onerror=alert(1)> @admin #12 [x](https://evil.example) `code`';
let remote: string;
let directory: string;

/** Commit `files` onto the branch with git plumbing, as an attacker with push access would. */
async function inject(files: Record<string, string>): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'meshgate-inject-'));
  const env = gitEnvironment(
    join(work, 'repo.git'),
    { url: remote },
    { GIT_INDEX_FILE: join(work, 'index') },
  );
  try {
    await gitText(['init', '--quiet', '--bare', join(work, 'repo.git')], env);
    await gitText(['fetch', '--quiet', remote, `+refs/heads/${BRANCH}:refs/tip`], env);
    await gitText(['read-tree', 'refs/tip'], env);
    for (const [path, content] of Object.entries(files)) {
      const oid = (await gitText(['hash-object', '-w', '--stdin'], env, content)).trim();
      await gitText(['update-index', '-z', '--index-info'], env, `100644 ${oid}\t${path}\0`);
    }
    const tree = (await gitText(['write-tree'], env)).trim();
    const commit = (await gitText(['commit-tree', tree, '-p', 'refs/tip', '-m', 'x'], env)).trim();
    await gitText(['push', '--quiet', remote, `${commit}:refs/heads/${BRANCH}`], env);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const push = (i: number) =>
  recordPushRun({
    store: { remote: { url: remote }, branch: BRANCH },
    results: runResults(i, { cpuModel: CPU }),
    verdict: fakeVerdict('pass'),
    facts: factsOf(i),
    directory,
    log: memoryLogger(),
  });

beforeAll(async () => {
  remote = bareRemote();
  directory = await mkdtemp(join(tmpdir(), 'meshgate-hostile-'));
  for (let i = 0; i < 8; i++) await push(i);
  const valid = buildRecord(runResults(8, { cpuModel: CPU }), fakeVerdict('pass'), factsOf(8));
  const hostileButValid = {
    ...valid,
    runner: {
      ...valid.runner,
      os: '](javascript:alert(1))',
      arch: '<svg onload=alert(2)>',
      platform: '@everyone',
    },
  };
  await inject({
    'fixture/20260101T000000Z-1-1-big.json': `{"schema":"meshgate/history-record@1","pad":"${'x'.repeat(200_000)}"}`,
    'fixture/wrong-schema.json': JSON.stringify({ schema: 'meshgate/results@1', variants: [] }),
    'fixture/<img src=x onerror=alert(3)>.json': JSON.stringify({
      ...valid,
      variants: [{ id: '<script>alert(4)</script>' }],
    }),
    'fixture/[click](javascript:alert(7)) @admin.json': '{"schema": "meshgate/history-record@1", ',
    'fixture/bad-repo.json': JSON.stringify({ ...valid, repository: 'evil/"><script>alert(5)</script>' }),
    'fixture/bad-commit.json': JSON.stringify({ ...valid, commit: 'javascript:alert(6)' }),
    'fixture/valid-with-markup.json': JSON.stringify(hostileButValid),
    'fixture/line\n::error::break.json': 'not json',
  });
});
afterAll(async () => {
  await rm(join(remote, '..'), { recursive: true, force: true });
  await rm(directory, { recursive: true, force: true });
});

/** Markup that would act in GitHub's markdown: a tag, an unescaped link, a live mention. */
const INJECTED = /<img|<svg|<script|(?<!\\)\]\(|@(?!&#8203;)\w/;

test('the push run skips each hostile file with a notice; summary and dashboard stay inert', async () => {
  const outcome = await push(9);
  expect(outcome.append).toBeDefined();
  // 8 + the valid record with markup + this run; seven files skipped, each named on one line.
  expect(outcome.append!.records).toHaveLength(10);
  expect(outcome.append!.skipped).toHaveLength(7);
  expect(outcome.append!.skipped).toContain('fixture/line ::error::break.json: not valid JSON');
  expect(outcome.append!.skipped.join('\n')).toMatch(/big\.json: \d+ bytes, more than a record may hold/);
  expect(outcome.summary).toMatch(/7 file\(s\) in the history were skipped/);
  expect(outcome.summary).not.toMatch(INJECTED);
  expect(outcome.summary).toContain('@&#8203;admin');
  const html = await readFile(outcome.dashboardFile!, 'utf8');
  expect(html.replace(/<script>document\.addEventListener[\s\S]*?<\/script>/, '')).not.toMatch(
    /<img|<svg on|<script/,
  );
  expect(html).not.toMatch(
    /href="(?!https:\/\/github\.com\/octo-org\/widgets\/(?:commit\/[0-9a-f]{40}|actions\/runs\/\d+)"|#)/,
  );
  expect(html).toContain('&lt;img src=x onerror=alert(3)&gt;.json');
});

test('the PR comment: one inert context line from the same kind of runner', async () => {
  const read = await readBranchRecords({ url: remote }, BRANCH, 'fixture');
  const results = runResults(20, { cpuModel: CPU });
  const runner = runnerOf(results, factsOf(20));
  const line = historyContextLine(read.records, results, runner, BRANCH)!;
  expect(line).toMatch(
    /^Head p99 [\d.]+ ms \(head\/nginx, median of trials\); main's last 9 on the same kind of runner \(/,
  );
  const comment = renderComment(results, fakeVerdict('pass'), { historyContext: line });
  expect(comment).toContain(line);
  // Inside a fenced block GitHub renders no markup and no mention (the next steps' `npx meshgate@0`).
  expect(comment.replace(/^```[a-z]*\n[\s\S]*?^```$/gm, '')).not.toMatch(INJECTED);
  // Another kind of runner: no range, and it says why.
  const other = historyContextLine(read.records, results, { ...runner, cpuModel: 'another cpu' }, BRANCH)!;
  expect(other).toMatch(/0 run\(s\) of head\/nginx on this kind of runner .*too few to place this run/);
});
