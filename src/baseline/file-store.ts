/** `baseline: file:PATH`: the baseline is a results file on disk (kept by actions/cache, a checkout …). */
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errorMessage } from '../errors.js';
import { IncompatibleSchemaError } from '../results/compat.js';
import { readResults } from '../results/io.js';
import { foreignProfileProblem, type BaselineStore } from './store.js';

export function fileBaselineStore(path: string, workingDirectory: string): BaselineStore {
  const file = resolve(workingDirectory, path);
  return {
    kind: 'file',
    async load(profileName) {
      if (!existsSync(file))
        return {
          status: 'missing',
          note: `No baseline yet: \`${path}\` does not exist; only same-job comparisons decide.`,
        };
      try {
        const results = await readResults(file);
        const problem = foreignProfileProblem(results, profileName);
        if (problem) throw new Error(`${path}: ${problem}`);
        return {
          status: 'found',
          results,
          origin: { kind: 'file', path },
          note: `Baseline: \`${path}\` (measured ${results.createdAt}).`,
        };
      } catch (error) {
        const warning = `baseline file ${path} is unusable (${errorMessage(error)}); continuing with same-job comparisons`;
        return {
          status: 'unusable',
          warning,
          note: `⚠️ The baseline file \`${path}\` ${error instanceof IncompatibleSchemaError ? `was ${error.reason}. It is skipped` : 'is unusable'}; only same-job comparisons decide.`,
        };
      }
    },
    async save(_results, resultsFile) {
      if (resolve(resultsFile) === file) return `Baseline saved to \`${path}\`.`;
      await mkdir(dirname(file), { recursive: true });
      await copyFile(resultsFile, file);
      return `Baseline saved to \`${path}\`.`;
    },
  };
}
