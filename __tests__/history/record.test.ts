// test-group: unit
/** The pure parts of the history: records, their validation, links, names, the trend over them. */
import { describe, expect, test } from '@jest/globals';
import { checkBranchName, recordPath } from '../../src/history/branch-store.js';
import { buildRecord, runnerOf } from '../../src/history/build-record.js';
import { historyContextLine } from '../../src/history/context-line.js';
import { recordLinks } from '../../src/history/dashboard/links.js';
import { MAX_RECORD_BYTES, parseRecord, type HistoryRecord } from '../../src/history/record-schema.js';
import { inTimeOrder, sampleOfRecord } from '../../src/history/samples.js';
import { historyTrend } from '../../src/history/trend-summary.js';
import { analyseTrend } from '../../src/trend/analyse.js';
import { fakeVerdict } from '../action/fixtures.js';
import { commitOf, factsOf, runResults } from './fixture-history.js';

const recordOf = (i: number, options: Parameters<typeof runResults>[1] = {}) =>
  buildRecord(runResults(i, options), fakeVerdict('pass'), factsOf(i));

describe('a record', () => {
  test('holds the run, the runner, percentiles, ratios and data-plane use, and parses back', () => {
    const record = recordOf(3);
    expect(record).toMatchObject({
      schema: 'meshgate/history-record@1',
      profile: 'fixture',
      commit: commitOf(3),
      repository: 'octo-org/widgets',
      runId: 9003,
      runner: {
        environment: 'github-hosted',
        os: 'Linux',
        arch: 'X64',
        cpuModel: 'test cpu',
        cpuCount: 2,
        platform: 'local',
      },
      verdict: 'pass',
      capacityRun: false,
    });
    expect(record.variants.map((v) => v.id)).toEqual(['head/none', 'head/nginx']);
    expect(record.variants[1].cpuMillicores).toBe(100); // median of 120, 100, 100, 100
    expect(record.ratios).toEqual([expect.objectContaining({ variant: 'head/nginx', to: 'head/none' })]);
    const text = JSON.stringify(record);
    expect(text.length).toBeLessThan(2000);
    expect(parseRecord(text)).toEqual({ record });
  });

  test('the trend over records equals the trend over the same runs’ results files', () => {
    const runs = Array.from({ length: 30 }, (_, i) => runResults(i, { stepAt: 18, stepSize: 0.12 }));
    const fromResults = analyseTrend(runs.map((results, i) => ({ file: `r${i}`, results })));
    const fromRecords = historyTrend(
      runs.map((results, i) => ({
        file: `r${i}`,
        record: buildRecord(results, fakeVerdict('pass'), factsOf(i)),
      })),
    );
    const points = (report: typeof fromResults) =>
      report.series.map((s) => s.points.map((p) => [p.position, p.value]));
    expect(points(fromRecords)).toEqual(points(fromResults));
    const steps = (report: typeof fromResults) =>
      report.series.map((s) => s.steps.map((step) => step.at.position));
    expect(steps(fromRecords)).toEqual(steps(fromResults));
    expect(steps(fromRecords)).toEqual([[], [18]]);
  });

  const valid = recordOf(1);
  const cases: [string, unknown, RegExp][] = [
    ['not JSON', '{', /not valid JSON/],
    ['another schema', { ...valid, schema: 'meshgate/results@1' }, /^schema:/],
    [
      'a commit that is no SHA',
      { ...valid, commit: 'javascript:alert(1)' },
      /^commit: expected a full commit SHA/,
    ],
    [
      'a repository with markup',
      { ...valid, repository: 'a/"><script>' },
      /^repository: expected owner\/name/,
    ],
    ['a run id that is no number', { ...valid, runId: '1;rm' }, /^runId:/],
    ['a variant id with markup', { ...valid, variants: [{ id: '<img src=x>' }] }, /^variants\.0\.id:/],
    [
      'an impossible latency',
      { ...valid, variants: [{ id: 'head/none', latencyMs: { p50: -1, p90: 1, p99: 1, p999: 1 } }] },
      /^variants\.0\.latencyMs\.p50:/,
    ],
    [
      'a zero ratio',
      { ...valid, ratios: [{ variant: 'head/nginx', to: 'head/none', p99: 0 }] },
      /^ratios\.0\.p99:/,
    ],
    [
      'a cpu model of 1000 characters',
      { ...valid, runner: { ...valid.runner, cpuModel: 'x'.repeat(1000) } },
      /^runner\.cpuModel: expected at most 200/,
    ],
    ['too many variants', { ...valid, variants: Array(65).fill(valid.variants[0]) }, /^variants:/],
  ];
  test.each(cases)('refused: %s', (_name, value, problem) => {
    const parsed = parseRecord(typeof value === 'string' ? value : JSON.stringify(value));
    expect(parsed).toEqual({ problem: expect.stringMatching(problem) });
  });

  test('refused before parsing: a file larger than a record may be', () => {
    expect(parseRecord(`"${'x'.repeat(MAX_RECORD_BYTES)}"`)).toEqual({
      problem: expect.stringMatching(/more than 65536/),
    });
  });

  test('a commit that is no full SHA is not recorded', () => {
    expect(() => buildRecord(runResults(1), fakeVerdict('pass'), { ...factsOf(1), commit: 'main' })).toThrow(
      /not a full SHA/,
    );
  });
});

describe('names and links', () => {
  test('record paths sort in time order and name run, attempt and commit', () => {
    expect(recordPath(recordOf(5))).toBe(`fixture/20260101T050000Z-9005-1-${commitOf(5).slice(0, 12)}.json`);
    const records = [recordOf(11), recordOf(2), recordOf(7)].map((record) => ({
      file: recordPath(record),
      record,
    }));
    expect(inTimeOrder(records).map((r) => r.record.runId)).toEqual([9002, 9007, 9011]);
  });

  test.each(['meshgate-history', 'data/perf', 'gh-pages'])('branch %p is accepted', (name) => {
    expect(checkBranchName(name)).toBeUndefined();
  });
  test.each(['--upload-pack=touch x', '-x', 'a..b', 'a//b', 'x.lock', 'a/', 'a b', 'a@{1}', '', 'a/.b'])(
    'branch %p is refused',
    (name) => {
      expect(checkBranchName(name)).toMatch(/not a usable branch name/);
    },
  );

  test('links are built from validated fields only', () => {
    const record = recordOf(4);
    expect(recordLinks(record)).toEqual({
      commit: `https://github.com/octo-org/widgets/commit/${commitOf(4)}`,
      run: 'https://github.com/octo-org/widgets/actions/runs/9004',
    });
    expect(recordLinks(record, 'https://ghe.example.com/')).toMatchObject({
      run: 'https://ghe.example.com/octo-org/widgets/actions/runs/9004',
    });
    expect(recordLinks(record, 'javascript:alert(1)//')).toEqual({});
    expect(recordLinks({ ...record, repository: 'x/"><b>' } as HistoryRecord)).toEqual({});
    expect(recordLinks({ ...record, repository: undefined })).toEqual({});
    expect(recordLinks({ ...record, runId: undefined }).run).toBeUndefined();
  });
});

describe('the comment’s context line', () => {
  const records = Array.from({ length: 40 }, (_, i) => ({ file: `f${i}`, record: recordOf(i) }));
  const results = runResults(50);
  const runner = runnerOf(results, factsOf(50));

  test('the last 30 runs on the same kind of runner, and the mesh ratio beside', () => {
    const line = historyContextLine(records, results, runner, 'meshgate-history')!;
    const levels = records.slice(-30).map((r) => r.record.variants[1].latencyMs!.p99);
    const low = Math.min(...levels).toPrecision(3);
    const high = Math.max(...levels).toPrecision(3);
    expect(line).toContain(
      `main's last 30 on the same kind of runner (github-hosted Linux X64, 2 × test cpu, platform local): ${low}–${high} ms`,
    );
    expect(line).toMatch(
      /; head\/nginx ÷ head\/none 1\.\d{3}, main's 1\.\d{3}–1\.\d{3}\. From `meshgate-history`\.$/,
    );
  });

  test('runs on other runners are left out, and the line says so', () => {
    const mixed = records.map((r, i) =>
      i % 2 ? { ...r, record: { ...r.record, runner: { ...r.record.runner, arch: 'ARM64' } } } : r,
    );
    expect(historyContextLine(mixed, results, runner, 'h')).toContain(
      "main's last 20 on the same kind of runner",
    );
    expect(historyContextLine(mixed.slice(0, 4), results, runner, 'h')).toMatch(
      /2 run\(s\) of head\/nginx on this kind of runner .*too few/,
    );
    expect(historyContextLine([], results, runner, 'h')).toBeUndefined();
  });

  test('a job sample of a record reads its own numbers', () => {
    const record = recordOf(2);
    const sample = sampleOfRecord({ file: 'x', record });
    expect(sample.raw('head/nginx', 'p99')).toBe(record.variants[1].latencyMs!.p99);
    expect(sample.ratio('head/nginx', 'head/none', 'p99')).toBe(record.ratios[0].p99);
    expect(sample.ratio('head/nginx', 'head/other', 'p99')).toBeUndefined();
  });
});
