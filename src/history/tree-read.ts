/**
 * Reading a profile's records out of one commit of the data branch: `git ls-tree` lists them with
 * their sizes, `git cat-file --batch` reads them in one process. A blob larger than a record may
 * be is never read; a file that is not a valid record is skipped with a notice. Nothing is
 * checked out and nothing read is run.
 */
import { gitText, runGit, GitError, gitFailure } from './git.js';
import { oneLine } from '../report/safe-text.js';
import { MAX_RECORD_BYTES, parseRecord } from './record-schema.js';
import type { StoredRecord } from './samples.js';

/** At most this many files of a profile are read (the store keeps fewer; a flooded branch is cut). */
export const MAX_FILES_READ = 5000;

export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  size: number;
  path: string;
  /** The path for messages: one line, bounded. */
  shown?: string;
}

/** Files directly inside `<profile>/` of a commit. */
export async function listProfileFiles(
  env: NodeJS.ProcessEnv,
  commit: string,
  profile: string,
): Promise<TreeEntry[]> {
  const text = await gitText(['ls-tree', '-z', '-l', '--full-tree', commit, '--', `${profile}/`], env);
  return (
    text
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta, path] = [line.slice(0, line.indexOf('\t')), line.slice(line.indexOf('\t') + 1)];
        const [mode, type, oid, size] = meta.split(/\s+/);
        return { mode, type, oid, size: Number(size), path };
      })
      // A path with a line break or control character in it is nobody's record; it would only
      // reach logs and notices, so it is shown folded onto one line there.
      .map((entry) => ({ ...entry, shown: oneLine(entry.path).slice(0, 200) }))
  );
}

/** Read the blobs in one `cat-file --batch`; returns contents by object id. */
async function readBlobs(env: NodeJS.ProcessEnv, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  if (oids.length === 0) return blobs;
  const result = await runGit(['cat-file', '--batch'], env, { stdin: `${oids.join('\n')}\n` });
  if (result.code !== 0) throw new GitError(gitFailure(['cat-file'], result));
  const out = result.stdout;
  let at = 0;
  while (at < out.length) {
    const end = out.indexOf(0x0a, at);
    if (end < 0) break;
    const [oid, type, size] = out.subarray(at, end).toString('utf8').split(' ');
    if (type === 'missing' || size === undefined) {
      at = end + 1;
      continue;
    }
    const length = Number(size);
    blobs.set(oid, out.subarray(end + 1, end + 1 + length));
    at = end + 1 + length + 1;
  }
  return blobs;
}

export interface ReadOutcome {
  records: StoredRecord[];
  /** One line per skipped file: path and why. */
  skipped: string[];
}

export async function readProfileRecords(
  env: NodeJS.ProcessEnv,
  commit: string,
  profile: string,
  entries?: readonly TreeEntry[],
): Promise<ReadOutcome> {
  const all = entries ?? (await listProfileFiles(env, commit, profile));
  const skipped: string[] = [];
  const wanted: TreeEntry[] = [];
  for (const entry of all) {
    if (!entry.path.endsWith('.json')) continue;
    if (entry.type !== 'blob') skipped.push(`${entry.shown ?? entry.path}: not a file`);
    else if (!(entry.size <= MAX_RECORD_BYTES))
      skipped.push(
        `${entry.shown ?? entry.path}: ${entry.size} bytes, more than a record may hold (${MAX_RECORD_BYTES})`,
      );
    else wanted.push(entry);
  }
  if (wanted.length > MAX_FILES_READ) {
    skipped.push(
      `${wanted.length - MAX_FILES_READ} older file(s): more than ${MAX_FILES_READ} in ${profile}/`,
    );
    wanted.splice(0, wanted.length - MAX_FILES_READ);
  }
  const blobs = await readBlobs(
    env,
    wanted.map((e) => e.oid),
  );
  const records: StoredRecord[] = [];
  for (const entry of wanted) {
    const blob = blobs.get(entry.oid);
    if (!blob) {
      skipped.push(`${entry.shown ?? entry.path}: could not be read`);
      continue;
    }
    const parsed = parseRecord(blob.toString('utf8'));
    if ('problem' in parsed) skipped.push(`${entry.shown ?? entry.path}: ${parsed.problem}`);
    else if (parsed.record.profile !== profile)
      skipped.push(`${entry.shown ?? entry.path}: a record of profile ${parsed.record.profile}`);
    else records.push({ file: entry.path, record: parsed.record });
  }
  return { records, skipped };
}
