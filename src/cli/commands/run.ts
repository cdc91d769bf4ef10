import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { sequentialDesign } from '../../gate.js';
import { measure } from '../../pipeline.js';
import { loadProfile } from '../../profile/load.js';
import { profileWarnings } from '../../profile/warnings.js';
import type { PlatformName } from '../../profile/types.js';
import { PLATFORM_NAMES } from '../../platform/registry.js';
import { completedTrialsOf } from '../../results/incomplete.js';
import { writeResults } from '../../results/io.js';
import { renderVariantSummary } from '../../report/variant-summary.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';

const PLATFORMS: readonly PlatformName[] = PLATFORM_NAMES;

export function platformOption(value: string | boolean | undefined): PlatformName | undefined {
  if (value === undefined) return undefined;
  if (!PLATFORMS.includes(value as PlatformName))
    throw new UserError(`--platform: expected one of ${PLATFORMS.join(', ')}, got ${JSON.stringify(value)}`);
  return value as PlatformName;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'measure every variant of a profile, write results.json',
  usage: `meshgate run PROFILE [--platform local|kind|kubernetes] [--out results.json]

Prepares the platform, measures every variant (build × mesh) for the profile's trials in
interleaved order, writes the results file, and cleans up everything it started (also on
Ctrl-C). Exit 0 when measured, 2 for a bad profile, 3 when the system under test could not be
set up or measured.

  --platform P   override the profile's platform
  --out FILE     where to write the results (default: results.json)
  --quiet        no progress on stderr
  --verbose      per-trial details on stderr`,
  async run(argv, io) {
    const { values, positionals } = parse(
      'run',
      argv,
      { ...commonOptions, platform: { type: 'string' }, out: { type: 'string' } },
      { min: 1, max: 1 },
    );
    if (values.help) {
      io.out(runCommand.usage);
      return 0;
    }
    const platform = platformOption(values.platform);
    const profile = await loadProfile(positionals[0]);
    for (const warning of profileWarnings(profile, positionals[0])) io.log.warn(warning);
    const out = resolve(String(values.out ?? 'results.json'));
    let results;
    try {
      results = await measure(profile, {
        log: io.log,
        signal: io.signal,
        platform,
        ...sequentialDesign(profile),
      });
    } catch (error) {
      const completed = completedTrialsOf(error);
      if (completed) {
        await writeResults(out, completed);
        io.log.warn(
          `the run ended early: its ${completed.incomplete!.completedTrials} completed trials are in ${out} (marked incomplete)`,
        );
      }
      throw error;
    }
    await writeResults(out, results);
    io.log.info(renderVariantSummary(results));
    io.log.info(`results: ${out}`);
    return 0;
  },
};
