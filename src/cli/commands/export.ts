import { UserError } from '../../errors.js';
import { prepareOutput, writeFileAtomic } from '../../system/output-file.js';
import { smpDocument } from '../../interop/smp-export.js';
import { renderHlog } from '../../report/hlog.js';
import { readResults } from '../../results/io.js';
import type { Results } from '../../results/schema.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';

function onlyVariant(results: Results, variantId: string | undefined, file: string): Results {
  if (variantId === undefined) return results;
  const variants = results.variants.filter((v) => v.id === variantId);
  if (variants.length === 0)
    throw new UserError(
      `--variant: no variant ${JSON.stringify(variantId)} in ${file}; variants: ${results.variants.map((v) => v.id).join(', ')}`,
    );
  return { ...results, variants };
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'write results as an HdrHistogram interval log or an SMP result document',
  usage: `meshgate export RESULTS [--hlog out.hlog] [--smp out.json] [--variant ID]

--hlog writes a standard HdrHistogram interval log (format 1.3): one interval histogram per second
of each trial (one per trial when the results hold no intervals), tagged with the variant
("Tag=head/istio"), values in microseconds. HdrHistogram's own tools read it, e.g.
HistogramLogProcessor -i out.hlog -tag head/istio, or HistogramLogAnalyzer; meshgate import reads
it back.

--smp writes Service Mesh Performance (SMP) JSON: per variant a PerformanceTestResult
(latencies_ms min/average/p50/p90/p99/max in milliseconds, actual_qps, start_time, end_time)
and a ServiceMeshConfig, with one PerformanceTestConfig and EnvironmentConfig, all with the SMP
protos' field names; meshgate's extras (trials, intervals, p99.9, histograms, status codes) in
each result's "meshgate_extensions".
Exit 0 when written, 2 for bad input.

  --hlog FILE      where to write the HdrHistogram log
  --smp FILE       where to write the SMP document
  --variant ID     only this variant (e.g. head/none); default: all, in run order`,
  async run(argv, io) {
    const { values, positionals } = parse(
      'export',
      argv,
      { ...commonOptions, hlog: { type: 'string' }, smp: { type: 'string' }, variant: { type: 'string' } },
      { min: 1, max: 1 },
    );
    if (values.help) {
      io.out(exportCommand.usage);
      return 0;
    }
    const hlog = typeof values.hlog === 'string' && values.hlog !== '' ? values.hlog : undefined;
    const smp = typeof values.smp === 'string' && values.smp !== '' ? values.smp : undefined;
    if (!hlog && !smp)
      throw new UserError('--hlog FILE or --smp FILE is required (see meshgate export --help)');
    const hlogOut = hlog ? await prepareOutput(hlog, '--hlog') : undefined;
    const smpOut = smp ? await prepareOutput(smp, '--smp') : undefined;
    const results = await readResults(positionals[0], io.signal);
    const variantId = typeof values.variant === 'string' ? values.variant : undefined;
    if (hlogOut) {
      const log = renderHlog(results, { variantId, file: positionals[0] });
      const out = hlogOut;
      await writeFileAtomic(out, log);
      const intervals = log.split('\n').filter((line) => line.startsWith('Tag=')).length;
      io.out(`Wrote ${out} (${intervals} interval histograms)`);
    }
    if (smpOut) {
      const document = smpDocument(onlyVariant(results, variantId, positionals[0]));
      const out = smpOut;
      await writeFileAtomic(out, `${JSON.stringify(document, null, 2)}\n`);
      io.out(
        `Wrote ${out} (SMP PerformanceTestResult for ${(document.results as unknown[]).length} variant(s))`,
      );
    }
    return 0;
  },
};
