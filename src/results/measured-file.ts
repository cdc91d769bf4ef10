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
import type { Results } from './schema.js';

export async function measureIntoFile(
  file: string,
  log: Logger,
  measure: (checkpoint: (results: Results) => Promise<void>) => Promise<Results>,
): Promise<Results> {
  let results: Results;
  try {
    results = await measure((partial) => writeResults(file, partial));
  } catch (error) {
    const completed = completedTrialsOf(error);
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
