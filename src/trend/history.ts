/**
 * Reading a history of baselines: results files named in commit order, or a directory of them
 * (searched a few levels deep, as downloaded baseline artifacts unpack into folders), ordered by
 * the time each was created. In a directory, JSON files that are not results (verdicts, SMP
 * exports) are skipped; a results file that fails validation is an error naming it.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, errorMessage } from '../errors.js';
import { parseResults, readResultsText } from '../results/io.js';
import { RESULTS_SCHEMA } from '../results/schema.js';
import type { HistoryEntry } from './series.js';

const MAX_DEPTH = 3;

async function jsonFiles(dir: string, depth = 0): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && depth < MAX_DEPTH) files.push(...(await jsonFiles(path, depth + 1)));
    else if (entry.isFile() && entry.name.endsWith('.json')) files.push(path);
  }
  return files;
}

function looksLikeResults(text: string): boolean {
  try {
    return (JSON.parse(text) as { schema?: unknown } | null)?.schema === RESULTS_SCHEMA;
  } catch {
    return false;
  }
}

export async function readHistory(
  paths: string[],
  log: (line: string) => void = () => {},
  signal?: AbortSignal,
): Promise<HistoryEntry[]> {
  const readText = (file: string) => readResultsText(file, signal);
  if (paths.length === 1) {
    let isDirectory = false;
    try {
      isDirectory = (await stat(paths[0])).isDirectory();
    } catch (error) {
      throw new UserError(`${paths[0]}: ${errorMessage(error)}`);
    }
    if (isDirectory) {
      const entries: HistoryEntry[] = [];
      for (const file of await jsonFiles(paths[0])) {
        const text = await readText(file);
        if (!looksLikeResults(text)) {
          log(`skipping ${file}: not a meshgate results file`);
          continue;
        }
        entries.push({ file, results: parseResults(text, file) });
      }
      if (entries.length === 0)
        throw new UserError(`${paths[0]}: no meshgate results files in this directory`);
      return entries.sort((a, b) => Date.parse(a.results.createdAt) - Date.parse(b.results.createdAt));
    }
  }
  const entries: HistoryEntry[] = [];
  for (const file of paths) entries.push({ file, results: parseResults(await readText(file), file) });
  return entries;
}
