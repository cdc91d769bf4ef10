/** Reading and writing results.json. Reading validates with zod; every failure names the file. */
import { readBoundedText } from '../system/bounded-read.js';
import { writeFileAtomic } from '../system/output-file.js';
import { UserError, errorMessage } from '../errors.js';
import { formatIssues } from '../util/issues.js';
import { verifyNesting, verifyResults } from './integrity.js';
import { upgradeDocument } from './compat.js';
import { ResultsSchema, type Results } from './schema.js';

/** A results file of 12 trials × 4 variants with 1 s interval histograms is a few MB. */
export const MAX_RESULTS_FILE_BYTES = 64 * 1024 * 1024;

export function parseResults(text: string, file: string): Results {
  if (text.length > MAX_RESULTS_FILE_BYTES)
    throw new UserError(
      `${file}: ${text.length} characters, more than a results file may hold (${MAX_RESULTS_FILE_BYTES})`,
    );
  let json: unknown;
  try {
    // A byte-order mark (an editor on Windows, PowerShell's Out-File) is not part of the JSON.
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    // JSON.parse quotes the text around the error: keep its first line, and not too much of it.
    const reason = errorMessage(error).split('\n')[0].slice(0, 100);
    throw new UserError(`${file}: not valid JSON (${reason}); is the file truncated?`);
  }
  verifyNesting(json, file);
  // Another release's file: brought up to this release's format, or refused with a message
  // saying which release wrote it (compat.ts, docs/compatibility.md).
  json = upgradeDocument('results', json, file);
  const parsed = ResultsSchema.safeParse(json);
  if (!parsed.success) {
    // One line: the first problem, and how many more there are.
    const issues = parsed.error.issues;
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw new UserError(`${formatIssues(file, issues.slice(0, 1), json)}${more}`);
  }
  verifyResults(parsed.data, file);
  return parsed.data;
}

/** Read and validate a results file: a regular file of at most MAX_RESULTS_FILE_BYTES (system/bounded-read.ts). */
export async function readResults(file: string, signal?: AbortSignal): Promise<Results> {
  return parseResults(await readResultsText(file, signal), file);
}

export function readResultsText(file: string, signal?: AbortSignal): Promise<string> {
  return readBoundedText(file, { maxBytes: MAX_RESULTS_FILE_BYTES, what: 'the results file', signal });
}

/** Replace `file` with `results` atomically (system/output-file.ts): never a truncated file. */
export async function writeResults(file: string, results: Results): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(results, null, 2)}\n`);
}
