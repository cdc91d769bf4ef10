import { prepareOutput, writeFileAtomic } from '../../system/output-file.js';
import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { judge } from '../../gate.js';
import { sequentialDesign } from '../../verdict/looks.js';
import { measure } from '../../pipeline.js';
import { parseProfile } from '../../profile/load.js';
import type { Profile } from '../../profile/types.js';
import { writeResults } from '../../results/io.js';
import { renderComment } from '../../report/comment/comment.js';
import { renderHtmlReport } from '../../report/html/report.js';
import { gateEffect } from '../../report/status.js';
import { colorWanted, renderVerdictText } from '../../report/text.js';
import { renderVariantSummary } from '../../report/variant-summary.js';
import { parsePercent } from '../../util/units.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';
import { pathFromRepositoryRoot } from '../../util/repo-path.js';
import { profileToInput } from '../../profile/to-input.js';
import { stringify } from 'yaml';

const BASE_DELAY_MS = 10;

/** The demo's profile: the sample server as base, and as a head that answers `slowdown` later. */
export function demoProfile(slowdown: number, trials: number): Profile {
  return parseProfile(
    {
      name: 'demo',
      description: `Built-in sample server: base answers after ${BASE_DELAY_MS} ms, head ${(slowdown * 100).toFixed(0)}% later`,
      workload: {
        builds: {
          base: { sample: 'echo', delay: `${BASE_DELAY_MS}ms` },
          head: { sample: 'echo', delay: `${(BASE_DELAY_MS * (1 + slowdown) * 1000).toFixed(0)}us` },
        },
      },
      mesh: ['none'],
      load: { rps: 400, connections: 8, duration: '2s', warmup: '500ms' },
      trials,
      // 800 requests a trial: six trials without an error show a rate below 1%, not below the
      // default 0.1% (that takes ~3,800), which would leave the row "too noisy to judge".
      gate: { p99: { max_increase: '10%' }, p50: { max_increase: '10%' }, error_rate: { max: '1%' } },
    },
    'demo profile',
  );
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'the whole pipeline on this machine, no setup',
  usage: `meshgate demo [--out DIR] [--slowdown 15%] [--trials 6]

Starts the built-in sample server twice — as the base build (answers after ${BASE_DELAY_MS} ms) and
as a head build that is --slowdown slower — measures both in interleaved trials, applies the
gate, prints the verdict table, and writes profile.yaml (the profile it ran: \`meshgate run\` it
again, or change it), results.json, verdict.json, comment.md (the PR comment meshgate would post)
and report.html into DIR. Exit 0 when the demo ran, whatever the verdict.

  --out DIR        where to write the files (default: meshgate-demo)
  --slowdown PCT   how much slower the head build answers (default: 15%; try 3%)
  --trials N       trials per build (default: 6)`,
  async run(argv, io) {
    const { values } = parse(
      'demo',
      argv,
      { ...commonOptions, out: { type: 'string' }, slowdown: { type: 'string' }, trials: { type: 'string' } },
      { min: 0, max: 0 },
    );
    if (values.help) {
      io.out(demoCommand.usage);
      return 0;
    }
    const slowdown = parsePercent(String(values.slowdown ?? '15%'));
    if (slowdown === undefined || slowdown > 10)
      throw new UserError(
        `--slowdown: expected a percentage like 15%, got ${JSON.stringify(values.slowdown)}`,
      );
    const trials = Number(values.trials ?? 6);
    if (!Number.isInteger(trials) || trials < 2 || trials > 50)
      throw new UserError(
        `--trials: expected a whole number from 2 to 50, got ${JSON.stringify(values.trials)}`,
      );
    const dir = resolve(String(values.out ?? 'meshgate-demo'));
    // A function, not resolve(dir, 'literal') at each call: ncc's asset relocator rewrites the latter
    // into a path inside the bundle when a matching file happens to exist at build time.
    const outFile = (name: string) => resolve(dir, name);
    // Every file checked (the folder created) before the load.
    for (const name of ['results.json', 'verdict.json', 'comment.md', 'report.html', 'profile.yaml'])
      await prepareOutput(outFile(name), '--out');

    const profile = demoProfile(slowdown, trials);
    io.log.info(`meshgate demo: ${profile.description}`);
    // The profile it runs, as a file: the comment's next steps run it again, and it is where
    // trials, max_trials and the gate can be changed.
    await writeFileAtomic(outFile('profile.yaml'), stringify(profileToInput(profile)));
    const measured = await measure(profile, { log: io.log, signal: io.signal, ...sequentialDesign(profile) });
    // From the repository root when --out is inside one; else its absolute path, which pastes anywhere here.
    const profileFile = outFile('profile.yaml');
    const results = { ...measured, origin: { profile: pathFromRepositoryRoot(profileFile) ?? profileFile } };
    const judgement = judge(results);
    await writeResults(outFile('results.json'), results);
    await writeFileAtomic(outFile('verdict.json'), `${JSON.stringify(judgement.verdict, null, 2)}\n`);
    await writeFileAtomic(outFile('comment.md'), renderComment(results, judgement.verdict));
    await writeFileAtomic(outFile('report.html'), renderHtmlReport(results, judgement.verdict));

    io.out(renderVariantSummary(results));
    io.out('');
    io.out(renderVerdictText(judgement.verdict, { color: colorWanted() }));
    io.out('');
    io.out(`Wrote profile.yaml, results.json, verdict.json and comment.md to ${dir}`);
    io.out(`Report: ${outFile('report.html')}`);
    const { verdict, reason } = judgement.verdict;
    io.out(`Verdict: ${verdict} — ${gateEffect(verdict)}: ${reason}`);
    return 0;
  },
};
