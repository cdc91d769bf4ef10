// requires: git
/**
 * The push path against a real git remote (a bare repository; real fetches and pushes): 40 runs
 * with a step in the mesh overhead at run 25, the size rule, racing pushes, and the records read
 * back by `meshgate trend --branch`.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendRecord, readBranchRecords } from '../../src/history/branch-store.js';
import { buildRecord } from '../../src/history/build-record.js';
import { recordPushRun } from '../../src/history/push-path.js';
import { DEFAULT_KEEP } from '../../src/history/branch-store.js';
import { MAX_RECORD_BYTES } from '../../src/history/record-schema.js';
import { memoryLogger } from '../../src/util/log.js';
import { fakeVerdict } from '../action/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { bareRemote, commitOf, factsOf, runResults } from './fixture-history.js';

jest.setTimeout(240_000); // ~45 pushes of a few git processes each, on a loaded 2-core machine

const BRANCH = 'meshgate-history';
let remote: string;
let directory: string;

beforeAll(async () => {
  remote = bareRemote();
  directory = await mkdtemp(join(tmpdir(), 'meshgate-history-out-'));
});
afterAll(async () => {
  await rm(join(remote, '..'), { recursive: true, force: true });
  await rm(directory, { recursive: true, force: true });
});

const push = (
  i: number,
  options: Parameters<typeof runResults>[1] = {},
  store: Partial<Parameters<typeof appendRecord>[0]> = {},
) =>
  recordPushRun({
    store: { remote: { url: remote }, branch: BRANCH, ...store },
    results: runResults(i, { stepAt: 24, ...options }),
    verdict: fakeVerdict('pass'),
    facts: factsOf(i),
    directory,
    log: memoryLogger(),
  });

const git = (...args: string[]) => execFileSync('git', ['--git-dir', remote, ...args], { encoding: 'utf8' });

describe('the history on a data branch', () => {
  test('40 push runs with a step at run 25: 40 records within the bound, the step named at its commit', async () => {
    let last!: Awaited<ReturnType<typeof push>>;
    for (let i = 0; i < 40; i++) {
      last = await push(i);
      expect(last.notes[0]).toMatch(/added to the history/);
      expect(last.append!.records).toHaveLength(i + 1);
    }
    // The branch: 40 files, one commit per run, sizes within keep × MAX_RECORD_BYTES.
    const files = git('ls-tree', '-r', '-l', BRANCH, '--', 'fixture/')
      .trim()
      .split('\n')
      .map((line) => Number(line.split(/\s+/)[3]));
    expect(files).toHaveLength(40);
    const bytes = files.reduce((a, b) => a + b, 0);
    expect(bytes).toBeLessThanOrEqual(DEFAULT_KEEP * MAX_RECORD_BYTES);
    expect(Math.max(...files)).toBeLessThan(4096); // a record is a few KB, a results file MBs
    expect(Number(git('rev-list', '--count', BRANCH).trim())).toBe(40);
    const objects = git('count-objects', '-v').replace(/\n/g, ' ');
    // The summary: the mesh ratio stepped at run 25, named by its commit and the one before.
    // (A run of seven hex digits is broken by a zero-width space in markdown: no autolink, safe-text.ts.)
    const sha = (index: number) => commitOf(index).slice(0, 7).split('').join('(?:&#8203;)?');
    const step = new RegExp(`step at baseline 25/40 \\(${sha(24)}, [^;]+; after ${sha(23)}\\)`);
    expect(last.summary).toMatch(step);
    expect(last.summary).toContain('head/nginx ÷ head/none');
    expect(last.summary).toMatch(/\*\*1 of 2 series stepped\.\*\*/);
    // The dashboard: written, the step marked at run 25 with a link to its commit.
    const html = await readFile(last.dashboardFile!, 'utf8');
    expect(html).toContain(`data-step="24"`);
    expect(html).toContain(`https://github.com/octo-org/widgets/commit/${commitOf(24)}`);
    expect(html).toContain('https://github.com/octo-org/widgets/actions/runs/9024');
    process.stdout.write(
      `history: 40 records, ${bytes} bytes in the tree (max ${Math.max(...files)} per record); remote: ${objects}\n`,
    );
  });

  test('two concurrent pushes both land', async () => {
    const [a, b] = await Promise.all([push(40), push(41)]);
    const attempts = [a.append!.attempts, b.append!.attempts];
    const { records } = await readBranchRecords({ url: remote }, BRANCH, 'fixture');
    expect(records).toHaveLength(42);
    expect(records.map((r) => r.record.commit)).toEqual(expect.arrayContaining([commitOf(40), commitOf(41)]));
    process.stdout.write(`concurrent pushes: attempts ${attempts.join(' and ')}\n`);
  });

  test('a push that loses the race fetches the moved branch, re-applies its record and pushes again', async () => {
    const log: string[] = [];
    const outcome = await appendRecord(
      {
        remote: { url: remote },
        branch: BRANCH,
        log: (line) => log.push(line),
        // The competing run lands between this run's fetch and its push.
        beforePush: async (attempt) => {
          if (attempt === 1)
            await appendRecord(
              { remote: { url: remote }, branch: BRANCH },
              buildRecord(runResults(43), fakeVerdict('pass'), factsOf(43)),
            );
        },
      },
      buildRecord(runResults(42), fakeVerdict('pass'), factsOf(42)),
    );
    expect(outcome.attempts).toBe(2);
    expect(log.join('\n')).toMatch(/moved while pushing \(attempt 1\)/);
    expect(outcome.records.map((r) => r.record.commit)).toEqual(
      expect.arrayContaining([commitOf(42), commitOf(43)]),
    );
    expect(outcome.records).toHaveLength(44);
  });

  test('the size rule: with keep 10, the 12th push leaves the newest 10 and says 2 were removed', async () => {
    let dropped = 0;
    for (let i = 0; i < 12; i++) {
      const outcome = await push(i, {}, { branch: 'small-history', keep: 10 });
      expect(outcome.notes).toEqual([expect.stringMatching(/was added/)]);
      dropped += outcome.append!.dropped;
    }
    const { records } = await readBranchRecords({ url: remote }, 'small-history', 'fixture');
    expect(records.map((r) => r.record.commit).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => commitOf(i + 2)).sort(),
    );
    expect(dropped).toBe(2);
    // A re-run of the last push run (attempt 2) replaces its commit's record.
    const rerun = await recordPushRun({
      store: { remote: { url: remote }, branch: 'small-history', keep: 10 },
      results: runResults(11),
      verdict: fakeVerdict('regression'),
      facts: { ...factsOf(11), runAttempt: 2 },
      directory,
      log: memoryLogger(),
    });
    expect(rerun.append!.records).toHaveLength(10);
    const latest = rerun.append!.records.filter((r) => r.record.commit === commitOf(11));
    expect(latest.map((r) => [r.record.runAttempt, r.record.verdict])).toEqual([[2, 'regression']]);
  });

  test('meshgate trend --branch reads the store from a clone; the same step', async () => {
    const clone = join(directory, 'clone');
    execFileSync('git', ['clone', '--quiet', '--bare', remote, clone]);
    const run = await runCli(['trend', '--branch', BRANCH, '--profile', 'fixture', '--last', '40'], {
      cwd: clone,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/head\/nginx ÷ head\/none, p99 ratio/);
    expect(run.stdout).toMatch(/step at baseline \d+\/40/);
  });
});
