import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError, errorMessage } from '../../errors.js';
import { judge } from '../../gate.js';
import { renderHtmlReport } from '../../report/html/report.js';
import { readResults } from '../../results/io.js';
import { readVerdictDocument } from '../../results/compat.js';
import type { Verdict } from '../../stats/verdict.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';

async function readVerdict(file: string): Promise<Verdict> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read the verdict file: ${errorMessage(error)}`);
  }
  return readVerdictDocument(text, file);
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a self-contained HTML report with latency plots',
  usage: `meshgate report RESULTS --html report.html [--verdict verdict.json]

Writes one HTML file (inline styles and plots, no network) with the verdict, a capacity profile's
search steps (every step's trials by rate, against the SLO), latency-by-percentile
plots per comparison, per-trial plots in run order, per-second timelines, data-plane CPU and
memory, and the environment; every plot also as a table. Without --verdict the verdict is
computed from RESULTS as \`meshgate check\` would (same-job comparisons only).
Exit 0 when written, 2 for bad input.

  --html FILE      where to write the report (required)
  --verdict FILE   a verdict.json from \`meshgate check --json\` (e.g. one made with --baseline)`,
  async run(argv, io) {
    const { values, positionals } = parse(
      'report',
      argv,
      { ...commonOptions, html: { type: 'string' }, verdict: { type: 'string' } },
      { min: 1, max: 1 },
    );
    if (values.help) {
      io.out(reportCommand.usage);
      return 0;
    }
    if (typeof values.html !== 'string' || values.html === '')
      throw new UserError('--html FILE is required (see meshgate report --help)');
    const results = await readResults(positionals[0]);
    const verdict =
      typeof values.verdict === 'string' ? await readVerdict(values.verdict) : judge(results).verdict;
    const started = performance.now();
    const html = renderHtmlReport(results, verdict);
    const out = resolve(values.html);
    try {
      await writeFile(out, html);
    } catch (error) {
      throw new UserError(`--html: cannot write ${out}: ${errorMessage(error)}`);
    }
    io.log.info(`rendered in ${(performance.now() - started).toFixed(0)} ms`);
    io.out(`Wrote ${out} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)`);
    return 0;
  },
};
