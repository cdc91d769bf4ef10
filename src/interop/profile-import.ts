/**
 * A profile with `import_results`: the pipeline's results come from other tools' files instead
 * of load, so both doors (`meshgate run`, the action) gate fortio, Nighthawk or HdrHistogram-log
 * runs with the profile's gate, comment and baseline handling.
 */
import type { Profile } from '../profile/types.js';
import type { Results } from '../results/schema.js';
import type { Logger } from '../util/log.js';
import { importedResults } from './import-results.js';
import { readSource } from './read-source.js';

export function resultsFromProfileImports(profile: Profile, log: Logger): Results {
  const entries = profile.importResults ?? [];
  const sources = entries.map((entry) => {
    log.info(`importing ${entry.file}${entry.variant ? ` as ${entry.variant}` : ''}`);
    return readSource(entry.file);
  });
  // The command line's --variant form: plain ids for untagged files in order, TAG=ID renames.
  const variants = entries.flatMap((entry) => [
    ...(entry.variant ? [entry.variant] : []),
    ...Object.entries(entry.variants ?? {}).map(([tag, id]) => `${tag}=${id}`),
  ]);
  return importedResults(sources, { variants, profile });
}
