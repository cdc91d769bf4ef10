import { UserError } from '../../errors.js';
import { prepareOutput, writeFileAtomic } from '../../system/output-file.js';
import type { LatencyMetric } from '../../profile/types.js';
import { renderTrendMarkdown } from '../../report/trend-markdown.js';
import { renderTrendText } from '../../report/trend-text.js';
import { analyseSamples } from '../../trend/analyse.js';
import { readHistory } from '../../trend/history.js';
import { sampleOfResults, type JobSample } from '../../trend/series.js';
import { readStoredHistory } from '../../history/cli-source.js';
import { renderDashboard } from '../../history/dashboard/page.js';
import { sampleOfRecord } from '../../history/samples.js';
import { historyWindow } from '../../history/trend-summary.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';

const METRICS: LatencyMetric[] = ['p50', 'p90', 'p99', 'p999'];

function numberOption(
  name: string,
  text: string | undefined,
  fallback: number,
  check: (n: number) => boolean,
  rule: string,
): number {
  if (text === undefined) return fallback;
  const n = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (!Number.isFinite(n) || !check(n))
    throw new UserError(`--${name}: ${JSON.stringify(text)} must be ${rule}`);
  return n;
}

export const trendCommand: Command = {
  name: 'trend',
  summary: 'find the commits where performance stepped, over baselines of main',
  usage: `meshgate trend BASELINE_RESULTS... | DIR [--metric p99] [--last N] [--alpha 0.01]
               [--min-change 0%] [--markdown trend.md] [--json trend.json]
meshgate trend --branch meshgate-history [--repo PATH|URL] [--profile NAME] [--dashboard FILE] ...

Reads results files in commit order (oldest first), or a directory of them (ordered by creation
time), or the history the action keeps (--branch: the data branch of the repository in the
current directory or --repo; or DIR holding a copy of it, records in <profile>/ folders), and looks for steps in each series with E-divisive means and a permutation test (the
method of Apache Otava / Hunter). A mesh variant is tracked as its ratio to the same build without
a mesh in each job, which cancels faster or slower runners; a variant without a mesh is tracked
raw. Prints a text chart per series and each step with its baseline (commit), size and p-value.
Exit 0 when analysed (steps are reported, not failed), 2 for bad input.

  --metric M        p50 | p90 | p99 | p999 (default p99)
  --last N          only the newest N baselines (default 100)
  --alpha P         largest p-value at which a step is reported (default 0.01)
  --min-change X    ignore steps smaller than this relative change, e.g. 3% (default 0)
  --markdown FILE   write the report as markdown (for a job summary or an issue)
  --json FILE       write the analysis (schema meshgate/trend@1)
  --branch NAME     read the history records on this branch (e.g. meshgate-history); nothing in
                    it is checked out or run
  --repo PATH|URL   the repository holding --branch (default: the current directory)
  --profile NAME    the profile whose history to read (needed when the store holds several)
  --dashboard FILE  with a history: write the dashboard page (self-contained HTML)`,
  async run(argv, io) {
    const { values, positionals } = parse(
      'trend',
      argv,
      {
        ...commonOptions,
        metric: { type: 'string' },
        last: { type: 'string' },
        alpha: { type: 'string' },
        'min-change': { type: 'string' },
        markdown: { type: 'string' },
        json: { type: 'string' },
        branch: { type: 'string' },
        repo: { type: 'string' },
        profile: { type: 'string' },
        dashboard: { type: 'string' },
      },
      { min: 0, max: 10_000 },
    );
    if (values.help) {
      io.out(trendCommand.usage);
      return 0;
    }
    const metric = (values.metric ?? 'p99') as LatencyMetric;
    if (!METRICS.includes(metric))
      throw new UserError(
        `--metric: expected one of ${METRICS.join(', ')}, got ${JSON.stringify(values.metric)}`,
      );
    const last = numberOption(
      'last',
      values.last as string | undefined,
      100,
      (n) => Number.isInteger(n) && n >= 2,
      'a whole number ≥ 2',
    );
    const alpha = numberOption(
      'alpha',
      values.alpha as string | undefined,
      0.01,
      (n) => n > 0 && n < 1,
      'between 0 and 1',
    );
    const minChange = numberOption(
      'min-change',
      values['min-change'] as string | undefined,
      0,
      (n) => n >= 0,
      '≥ 0',
    );
    // Every output checked before any work (system/output-file.ts).
    const jsonOut = typeof values.json === 'string' ? await prepareOutput(values.json, '--json') : undefined;
    const markdownOut =
      typeof values.markdown === 'string' ? await prepareOutput(values.markdown, '--markdown') : undefined;
    const dashboardOut =
      typeof values.dashboard === 'string' ? await prepareOutput(values.dashboard, '--dashboard') : undefined;
    const stored = await readStoredHistory(positionals, {
      branch: values.branch as string | undefined,
      repo: values.repo as string | undefined,
      profile: values.profile as string | undefined,
    });
    if (!stored && positionals.length === 0)
      throw new UserError(
        'meshgate trend: give results files, a directory, or --branch (see meshgate trend --help)',
      );
    if (!stored && typeof values.dashboard === 'string')
      throw new UserError(
        '--dashboard: the dashboard is drawn from a history (--branch, or a folder of history records)',
      );
    for (const line of stored?.skipped ?? []) io.log.warn(`skipped ${line}`);
    const samples: JobSample[] = stored
      ? historyWindow(stored.records, last).map(sampleOfRecord)
      : (await readHistory(positionals, (line) => io.log.info(line), io.signal)).slice(-last).map(sampleOfResults);
    if (samples.length < 2)
      throw new UserError(`meshgate trend: ${samples.length} baseline(s); a trend needs at least 2`);
    const report = analyseSamples(samples, { metric, alpha, minChange });
    if (stored && dashboardOut)
      await writeFileAtomic(
        dashboardOut,
        renderDashboard(stored.records, {
          profile: stored.profile,
          source: stored.source,
          skipped: stored.skipped,
        }),
      );
    if (jsonOut) await writeFileAtomic(jsonOut, `${JSON.stringify(report, null, 2)}\n`);
    if (markdownOut) await writeFileAtomic(markdownOut, renderTrendMarkdown(report));
    io.out(renderTrendText(report));
    return 0;
  },
};
