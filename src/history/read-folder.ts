/**
 * History records from a folder (a copy of the data branch, or records downloaded by hand): the
 * `<profile>/` folder's JSON files, each checked for size before it is read and validated like a
 * record read from the branch. Returns undefined when the folder holds no record at all, so the
 * caller can read it as a folder of results files instead.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HISTORY_RECORD_SCHEMA, MAX_RECORD_BYTES, PROFILE_PATTERN, parseRecord } from './record-schema.js';
import type { StoredRecord } from './samples.js';
import { MAX_FILES_READ } from './tree-read.js';

async function jsonFilesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => e.name)
      .sort()
      .slice(-MAX_FILES_READ);
  } catch {
    return [];
  }
}

export async function readRecordFolder(
  dir: string,
  profile?: string,
): Promise<{ records: StoredRecord[]; skipped: string[]; profiles: string[] } | undefined> {
  const profiles = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && PROFILE_PATTERN.test(e.name))
    .map((e) => e.name)
    .sort();
  const candidates = profile ? [profile] : profiles;
  const withRecords: string[] = [];
  for (const name of candidates) {
    for (const file of (await jsonFilesIn(join(dir, name))).slice(0, 3)) {
      const path = join(dir, name, file);
      if (
        (await stat(path)).size <= MAX_RECORD_BYTES &&
        (await readFile(path, 'utf8')).includes(HISTORY_RECORD_SCHEMA)
      ) {
        withRecords.push(name);
        break;
      }
    }
  }
  if (withRecords.length === 0) return undefined;
  const chosen = profile ?? (withRecords.length === 1 ? withRecords[0] : undefined);
  if (!chosen) return { records: [], skipped: [], profiles: withRecords };
  const records: StoredRecord[] = [];
  const skipped: string[] = [];
  for (const file of await jsonFilesIn(join(dir, chosen))) {
    const path = join(dir, chosen, file);
    const size = (await stat(path)).size;
    if (size > MAX_RECORD_BYTES) {
      skipped.push(`${path}: ${size} bytes, more than a record may hold (${MAX_RECORD_BYTES})`);
      continue;
    }
    const parsed = parseRecord(await readFile(path, 'utf8'));
    if ('problem' in parsed) skipped.push(`${path}: ${parsed.problem}`);
    else if (parsed.record.profile !== chosen)
      skipped.push(`${path}: a record of profile ${parsed.record.profile}`);
    else records.push({ file: path, record: parsed.record });
  }
  return { records, skipped, profiles: withRecords };
}
