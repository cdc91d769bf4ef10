// requires: git
/** `meshgate trend` over the history store: a folder copy of it, the dashboard, and bad input (exit 2). */
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendRecord, readBranchRecords } from '../../src/history/branch-store.js';
import { buildRecord } from '../../src/history/build-record.js';
import { fakeVerdict } from '../action/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { bareRemote, factsOf, runResults } from './fixture-history.js';

jest.setTimeout(180_000);

let remote: string;
let dir: string;

beforeAll(async () => {
  remote = bareRemote();
  dir = await mkdtemp(join(tmpdir(), 'meshgate-trend-store-'));
  for (let i = 0; i < 12; i++)
    await appendRecord(
      { remote: { url: remote }, branch: 'meshgate-history' },
      buildRecord(runResults(i, { stepAt: 6, stepSize: 0.3 }), fakeVerdict('pass'), factsOf(i)),
    );
  // A second profile on another branch, for the "choose a profile" error.
  for (const name of ['fixture', 'other']) {
    const record = { ...buildRecord(runResults(0), fakeVerdict('pass'), factsOf(0)), profile: name };
    await appendRecord({ remote: { url: remote }, branch: 'two-profiles' }, record);
  }
  // A folder copy of the branch, with one broken file among the records.
  const { records } = await readBranchRecords({ url: remote }, 'meshgate-history', 'fixture');
  await mkdir(join(dir, 'copy', 'fixture'), { recursive: true });
  for (const { file, record } of records) await writeFile(join(dir, 'copy', file), JSON.stringify(record));
  await writeFile(join(dir, 'copy', 'fixture', 'zz-broken.json'), '{"schema": "meshgate/history-record@1"}');
});
afterAll(async () => {
  await rm(join(remote, '..'), { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

test('a folder of records: the step found, the broken file skipped with a warning, the dashboard written', async () => {
  const dashboard = join(dir, 'history.html');
  const run = await runCli(['trend', join(dir, 'copy'), '--dashboard', dashboard]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/head\/nginx ÷ head\/none, p99 ratio .* 12 baseline\(s\)/);
  expect(run.stdout).toMatch(/step at baseline 7\/12/);
  expect(run.stderr).toMatch(/skipped .*zz-broken\.json: /);
  expect(await readFile(dashboard, 'utf8')).toMatch(/<h1>meshgate history: fixture<\/h1>/);
});

test('--branch with --repo; bad input is exit 2 naming it', async () => {
  const ok = await runCli(['trend', '--branch', 'meshgate-history', '--repo', remote]);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toMatch(/step at baseline 7\/12/);
  const cases: [string[], RegExp][] = [
    [['trend', '--branch', 'nope', '--repo', remote], /branch nope of .*: no such branch/],
    [
      ['trend', '--branch', 'two-profiles', '--repo', remote],
      /holds the history of 2 profiles \(fixture, other\); choose one with --profile/,
    ],
    [['trend', '--branch=--upload-pack=touch /tmp/x', '--repo', remote], /not a usable branch name/],
    [
      ['trend', '--branch', 'meshgate-history', '--repo', join(dir, 'no-such-repo')],
      /--branch meshgate-history: git ls-remote failed/,
    ],
    [
      ['trend', join(dir, 'copy', 'fixture', 'zz-broken.json'), '--dashboard', join(dir, 'x.html')],
      /--dashboard: the dashboard is drawn from a history/,
    ],
    [['trend'], /give results files, a directory, or --branch/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(args);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(message)]);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }
});
