import { UserError } from '../../errors.js';
import { readBoundedText } from '../../system/bounded-read.js';
import { prepareOutput, writeFileAtomic } from '../../system/output-file.js';
import { judge } from '../../gate.js';
import { renderHtmlReport } from '../../report/html/report.js';
import { readResults } from '../../results/io.js';
import { readVerdictDocument } from '../../verdict/read.js';
import type { Verdict } from '../../verdict/schema.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';

/** A verdict.json is a few KB; 16 MiB leaves room for thousands of rows. */
const MAX_VERDICT_BYTES = 16 * 1024 * 1024;

async function readVerdict(file: string, signal: AbortSignal): Promise<Verdict> {
  const text = await readBoundedText(file, { maxBytes: MAX_VERDICT_BYTES, what: 'the verdict file', signal });
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
    const out = await prepareOutput(values.html, '--html');
    const results = await readResults(positionals[0], io.signal);
    const verdict =
      typeof values.verdict === 'string'
        ? await readVerdict(values.verdict, io.signal)
        : judge(results).verdict;
    const started = performance.now();
    const html = renderHtmlReport(results, verdict);
    await writeFileAtomic(out, html);
    io.log.info(`rendered in ${(performance.now() - started).toFixed(0)} ms`);
    io.out(`Wrote ${out} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)`);
    return 0;
  },
};
