// Small wordings of issue #34 item 11, each a count or a heading that read wrong: "its 0 slowest",
// "2 variants × 9 trials" when head ran 7, "all 1 row", an empty Environment header, and
// "Yuen's … from 8 pairs" on a 6-pair run.
import { describe, expect, it } from '@jest/globals';
import { renderComment } from '../../src/report/comment/comment.js';
import { trialCountText } from '../../src/report/trial-count.js';
import { decide, trimmedIntervalText } from '../../src/verdict/decide.js';
import { around, makeResults } from '../__fixtures__/results.js';

const pair = (trials = 6) =>
  makeResults({
    variants: {
      'base/none': { p99Ms: around(10, trials, 0.02) },
      'head/none': { p99Ms: around(10.1, trials, 0.02, 2) },
    },
  });

describe('trial counts', () => {
  it('says "2 variants × 6 trials" only when each ran 6', () => {
    expect(trialCountText(pair())).toBe('2 variants × 6 trials');
  });

  it('gives the total and the range when the variants ran different numbers', () => {
    const run = pair(9);
    run.variants[1].trials = run.variants[1].trials.slice(0, 7);
    expect(trialCountText(run)).toBe('2 variants, 16 trials: 7 to 9 each');
    expect(renderComment(run, decide(run))).toContain(
      '<summary>Trials (2 variants, 16 trials: 7 to 9 each)</summary>',
    );
  });
});

describe('the tail note', () => {
  it('never says a percentile rests on "its 0 slowest" requests', () => {
    const run = pair();
    for (const trial of run.variants.flatMap((v) => v.trials)) trial.requests = 29;
    const notes = decide(run).notes.filter((note) => note.startsWith("Each trial's p99"));
    expect(notes).toEqual([
      expect.stringMatching(/^Each trial's p99 rests on its single slowest of ~29 requests/),
    ]);
  });
});

describe('comment details', () => {
  it('names a lone row "the row", and the Environment table has a header', () => {
    const run = makeResults({ variants: { 'head/none': { p99Ms: around(10, 6, 0.02) } } });
    const verdict = decide(run);
    const comment = renderComment(run, verdict);
    expect(verdict.checks).toHaveLength(1);
    expect(comment).toContain('<summary>Noise, method and the row</summary>');
    expect(comment).not.toContain('all 1 row');
    expect(comment).not.toMatch(/^\| \| \|$/m);
    expect(comment).toContain('| setting | value |');
  });
});

describe("the trimmed rule's interval names the pairs it had", () => {
  it('a 6-pair run used Student t, and says so', () => {
    expect(trimmedIntervalText(0.2, 8, [6, 6])).toBe(
      "Student t on per-pair log-ratios; 6 pairs, and Yuen's trimmed t only from 8 pairs on",
    );
    expect(trimmedIntervalText(0.2, 8, [9, 12])).toMatch(/^Yuen's 20%-trimmed t .*; 9 to 12 pairs$/);
    expect(trimmedIntervalText(0.2, 8, [6, 9])).toMatch(
      /^Student t on per-pair log-ratios for rows with fewer than 8 pairs; Yuen's/,
    );
  });

  it('reaches the verdict of a 6-pair run', () => {
    const verdict = decide(pair());
    expect(verdict.method.interval).not.toMatch(/from 8 pairs \(/);
    expect(verdict.method.interval).toMatch(/6 pairs/);
  });
});
