/**
 * How both doors keep what a run measures: results.json written after every completed trial
 * (marked incomplete until the run ends), the completed trials written when the run ends early,
 * and the whole results at the end — each write atomic (system/output-file.ts). The path is
 * checked by the caller (prepareOutput) before any load.
 */
import { errorMessage } from '../errors.js';
import type { Logger } from '../util/log.js';
import { completedTrialsOf } from './incomplete.js';
import { writeResults } from './io.js';
import type { Origin, Results } from './schema.js';

/**
 * `origin`: the profile's path from the repository root, written into every version of the file
 * unless the results already say where they came from.
 */
export async function measureIntoFile(
  file: string,
  log: Logger,
  measure: (checkpoint: (results: Results) => Promise<void>) => Promise<Results>,
  origin?: Origin,
): Promise<Results> {
  const stamped = (results: Results): Results =>
    origin && !results.origin ? { ...results, origin } : results;
  let results: Results;
  try {
    results = stamped(await measure((partial) => writeResults(file, stamped(partial))));
  } catch (error) {
    const found = completedTrialsOf(error);
    const completed = found && stamped(found);
    if (completed) {
      try {
        await writeResults(file, completed);
        log.warn(
          `the run ended early: its ${completed.incomplete!.completedTrials} completed trials are in ${file} (marked incomplete)`,
        );
      } catch (writeError) {
        // The run's own error is the one to report; the file keeps the last trial-by-trial write.
        log.warn(`the completed trials could not be written again: ${errorMessage(writeError)}`);
      }
    }
    throw error;
  }
  await writeResults(file, results);
  return results;
}
