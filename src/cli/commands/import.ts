import { UserError } from '../../errors.js';
import { prepareOutput } from '../../system/output-file.js';
import { importedResults } from '../../interop/import-results.js';
import { readSource } from '../../interop/read-source.js';
import type { HdrLogUnit } from '../../interop/formats/hdr-log/reader.js';
import { loadProfile } from '../../profile/load.js';
import { writeResults } from '../../results/io.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';
import { pathFromRepositoryRoot } from '../../util/repo-path.js';

const UNITS: HdrLogUnit[] = ['auto', 'ns', 'us', 'ms'];

/**
 * This import's arguments as the comment's next steps repeat them from the repository root: its
 * files and --profile as paths from there (a file outside the repository keeps its path as given),
 * writing results.json where the next step's `check` reads it.
 */
function importArgsFromRoot(
  files: string[],
  values: Record<string, string | boolean | undefined>,
  variants: string[],
): string[] {
  const fromRoot = (file: string) => pathFromRepositoryRoot(file) ?? file;
  const args = files.map(fromRoot);
  for (const variant of variants) args.push('--variant', variant);
  if (typeof values.profile === 'string') args.push('--profile', fromRoot(values.profile));
  if (typeof values.name === 'string') args.push('--name', values.name);
  if (typeof values['hlog-unit'] === 'string') args.push('--hlog-unit', values['hlog-unit']);
  return [...args, '--out', 'results.json'];
}

export const importCommand: Command = {
  name: 'import',
  summary: 'turn fortio, Nighthawk or HdrHistogram-log output into results that check can gate',
  usage: `meshgate import FILE... --out results.json [--variant ID]... [--profile PROFILE] [--name NAME]
               [--hlog-unit auto|ns|us|ms]

Reads other load tools' output — fortio \`load -json\` results (also Nighthawk's fortio format),
Nighthawk's JSON output, and HdrHistogram interval logs (jHiccup, wrk2, meshgate export --hlog) —
recognised by content, and writes a meshgate results file. Each input without tags becomes the
variant named by the next plain --variant, in order; a tagged log gives one variant per tag
(rename a tag with --variant TAG=ID). Ids are base/MESH or head/MESH: \`meshgate check\` compares
head/X with base/X and head/X with head/none. Files naming the same variant become its trials,
paired with the other variant's in start-time order. Each input's precision is written to the
results (profile.imported[]): fortio keeps coarse buckets, Nighthawk a percentile ladder,
HdrHistogram logs everything but status codes.
Exit 0 when written, 2 for a bad, foreign or unreadable file (named, with the field).

  --out FILE         where to write the results (required)
  --variant ID       variant of the next untagged input (repeat, in order), or TAG=ID
  --profile FILE     a meshgate profile whose gate (and name) the results carry
  --name NAME        the results' profile name (default: the profile's, or "imported")
  --hlog-unit UNIT   value unit of HdrHistogram logs (default auto: inferred from Interval_Max)

Example:
  meshgate import base-1.json head-1.json base-2.json head-2.json \\
    --variant base/none --variant head/none --variant base/none --variant head/none --out results.json
  meshgate check results.json`,
  async run(argv, io) {
    const { values, positionals } = parse(
      'import',
      argv,
      {
        ...commonOptions,
        out: { type: 'string' },
        variant: { type: 'string', multiple: true },
        profile: { type: 'string' },
        name: { type: 'string' },
        'hlog-unit': { type: 'string' },
      },
      { min: 1, max: 1000 },
    );
    if (values.help) {
      io.out(importCommand.usage);
      return 0;
    }
    if (typeof values.out !== 'string' || values.out === '')
      throw new UserError('--out FILE is required (see meshgate import --help)');
    const unit = (values['hlog-unit'] ?? 'auto') as HdrLogUnit;
    if (!UNITS.includes(unit))
      throw new UserError(`--hlog-unit: expected one of ${UNITS.join(', ')}, got ${JSON.stringify(unit)}`);
    const out = await prepareOutput(values.out, '--out');
    const variantArgs = (values.variant as unknown as string[] | undefined) ?? [];
    const sources = positionals.map((file) => {
      io.log.info(`reading ${file}`);
      return readSource(file, unit);
    });
    const profile =
      typeof values.profile === 'string' ? await loadProfile(values.profile, io.signal) : undefined;
    const name = typeof values.name === 'string' ? values.name : undefined;
    const imported = importedResults(sources, { variants: variantArgs, profile, name });
    const results = {
      ...imported,
      origin: { importArgs: importArgsFromRoot(positionals, values, variantArgs) },
    };
    await writeResults(out, results);
    for (const variant of results.variants) {
      const requests = variant.trials.reduce((sum, t) => sum + t.requests, 0);
      io.out(
        `${variant.id}: ${variant.trials.length} trial(s), ${requests} requests, p50 ${variant.latencyMs.p50.toFixed(3)} ms, p99 ${variant.latencyMs.p99.toFixed(3)} ms (${variant.target})`,
      );
    }
    for (const source of sources) io.out(`  ${source.file} (${source.format}): ${source.precision}`);
    io.out(`Wrote ${out}`);
    return 0;
  },
};
