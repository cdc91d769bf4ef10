import { prepareOutput, writeFileAtomic } from '../../system/output-file.js';
import { foreignProfileProblem } from '../../baseline/store.js';
import { judge } from '../../gate.js';
import { renderComment } from '../../report/comment/comment.js';
import { colorWanted, renderVerdictText } from '../../report/text.js';
import { readResults } from '../../results/io.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';

/** Exit code of a verdict: 1 for a regression (and for inconclusive when asked), else 0. */
export function verdictExitCode(verdict: string, failOnInconclusive: boolean): number {
  if (verdict === 'regression') return 1;
  return verdict === 'inconclusive' && failOnInconclusive ? 1 : 0;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'compare results (and a baseline), print the verdict',
  usage: `meshgate check RESULTS [--baseline BASE_RESULTS] [--markdown comment.md] [--json verdict.json]
               [--fail-on-inconclusive]

Applies the profile's gate to a results file: head vs base build and mesh vs none measured in
the same job, and, with --baseline, the normalised comparison with a results file from another
job (ratios measured inside each job, never raw latencies across jobs).
Exit 0 pass (also inconclusive unless --fail-on-inconclusive), 1 regression, 2 bad input.

  --baseline FILE          a results file from another job (e.g. the merge base)
  --markdown FILE          write the PR comment's markdown
  --json FILE              write verdict.json (schema meshgate/verdict@1)
  --fail-on-inconclusive   exit 1 when the verdict is inconclusive

How to read the table
  before → after  before is the median of the compared side's trials; after is
                  before × (1 + change), so the two agree with the change.
  change          how much slower (+) or faster (−) the current side is, estimated from trials paired
                  in run order (each pair ran minutes apart, so slow drift of the machine cancels).
  interval        the range of changes the data is consistent with, at the stated confidence (e.g.
                  95%). A row is a regression when the change is beyond the threshold and the
                  interval is clearly above zero. A pass means judged; a row that was not is
                  inconclusive, in one of three words: "too noisy to judge" (the interval is wider
                  than the threshold, so the data cannot tell a pass from a regression), "not yet
                  shown" (the change is beyond the threshold, the interval does not yet show it
                  real), "not measured" (nothing to judge: a capacity search that never held).
  CV              noise: the coefficient of variation (standard deviation / mean) of each side's
                  per-trial values, before/after. Above a few percent, intervals widen.
  look N of M     trials are added in steps while the verdict is inconclusive, up to max_trials;
                  each step is a "look". The confidence is split over the looks, so that looking
                  more often does not raise the rate of false alarms.
  pp              percentage points: the difference of two rates (0.10% → 0.30% is +0.20 pp).
  capacity        capacity profiles: the highest rate at which the SLO held. Its change's range is
                  the bracket of the two searches (every ratio their held/missed rates allow), not
                  a statistical interval; a drop beyond the threshold is a regression when the
                  brackets do not overlap (docs/method.md).`,
  async run(argv, io) {
    const { values, positionals } = parse(
      'check',
      argv,
      {
        ...commonOptions,
        baseline: { type: 'string' },
        markdown: { type: 'string' },
        json: { type: 'string' },
        'fail-on-inconclusive': { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    if (values.help) {
      io.out(checkCommand.usage);
      return 0;
    }
    // Output paths first: a bad one is exit 2 before any file is read.
    const jsonOut = typeof values.json === 'string' ? await prepareOutput(values.json, '--json') : undefined;
    const markdownOut =
      typeof values.markdown === 'string' ? await prepareOutput(values.markdown, '--markdown') : undefined;
    const results = await readResults(positionals[0], io.signal);
    const baseline =
      typeof values.baseline === 'string' ? await readResults(values.baseline, io.signal) : undefined;
    const foreign = baseline && foreignProfileProblem(baseline, results.profile.name);
    if (foreign)
      io.log.warn(
        `--baseline ${values.baseline}: ${foreign}; the cross-job rows compare different experiments`,
      );
    const judgement = judge(results, { baseline });
    if (jsonOut) await writeFileAtomic(jsonOut, `${JSON.stringify(judgement.verdict, null, 2)}\n`);
    if (markdownOut) await writeFileAtomic(markdownOut, renderComment(results, judgement.verdict));
    io.out(renderVerdictText(judgement.verdict, { color: colorWanted() }));
    return verdictExitCode(judgement.verdict.verdict, values['fail-on-inconclusive'] === true);
  },
};
