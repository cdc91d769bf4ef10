/** Reading and writing results.json. Reading validates with zod; every failure names the file. */
import { readFile, writeFile } from 'node:fs/promises';
import { UserError, errorMessage } from '../errors.js';
import { formatIssues } from '../profile/issues.js';
import { RESULTS_SCHEMA, ResultsSchema, type Results } from './schema.js';

export function parseResults(text: string, file: string): Results {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${errorMessage(error)}); is the file truncated?`);
  }
  const schema = (json as { schema?: unknown } | null)?.schema;
  if (schema !== RESULTS_SCHEMA)
    throw new UserError(
      `${file}: schema: expected "${RESULTS_SCHEMA}", got ${JSON.stringify(schema) ?? 'nothing'}; this is not a meshgate results file (or one of an incompatible version)`,
    );
  const parsed = ResultsSchema.safeParse(json);
  if (!parsed.success) throw new UserError(formatIssues(file, parsed.error.issues.slice(0, 5), json));
  return parsed.data;
}

export async function readResults(file: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read the results file: ${errorMessage(error)}`);
  }
  return parseResults(text, file);
}

export async function writeResults(file: string, results: Results): Promise<void> {
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}
