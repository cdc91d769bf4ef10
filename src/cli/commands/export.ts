import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError, errorMessage } from '../../errors.js';
import { renderHlog } from '../../report/hlog.js';
import { readResults } from '../../results/io.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write results as an HdrHistogram interval log',
  usage: `meshgate export RESULTS --hlog out.hlog [--variant ID]

Writes a standard HdrHistogram interval log (format 1.3): one interval histogram per second of
each trial (one per trial when the results hold no intervals), tagged with the variant
("Tag=head/istio"), values in microseconds. HdrHistogram's own tools read it, e.g.
HistogramLogProcessor -i out.hlog -tag head/istio, or HistogramLogAnalyzer.
Exit 0 when written, 2 for bad input.

  --hlog FILE      where to write the log (required)
  --variant ID     only this variant (e.g. head/none); default: all, in run order`,
  async run(argv, io) {
    const { values, positionals } = parse(
      'export',
      argv,
      { ...commonOptions, hlog: { type: 'string' }, variant: { type: 'string' } },
      { min: 1, max: 1 },
    );
    if (values.help) {
      io.out(exportCommand.usage);
      return 0;
    }
    if (typeof values.hlog !== 'string' || values.hlog === '')
      throw new UserError('--hlog FILE is required (see meshgate export --help)');
    const results = await readResults(positionals[0]);
    const variantId = typeof values.variant === 'string' ? values.variant : undefined;
    const log = renderHlog(results, { variantId, file: positionals[0] });
    const out = resolve(values.hlog);
    try {
      await writeFile(out, log);
    } catch (error) {
      throw new UserError(`--hlog: cannot write ${out}: ${errorMessage(error)}`);
    }
    const intervals = log.split('\n').filter((line) => line.startsWith('Tag=')).length;
    io.out(`Wrote ${out} (${intervals} interval histograms)`);
    return 0;
  },
};
