/**
 * Where `meshgate trend` finds a history store: `--branch` (in the repository of the current
 * directory, or `--repo`), or a single directory argument holding record folders. Undefined when
 * the arguments name results files instead. Problems are user errors (exit 2) naming the input.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError, errorMessage } from '../errors.js';
import { readBranchRecords } from './branch-store.js';
import { readRecordFolder } from './read-folder.js';
import type { StoredRecord } from './samples.js';

export interface StoredHistory {
  records: StoredRecord[];
  skipped: string[];
  profile: string;
  source: string;
}

const chooseProfile = (profiles: string[], where: string): never => {
  throw new UserError(
    profiles.length === 0
      ? `${where}: no profile's records in it`
      : `${where} holds the history of ${profiles.length} profiles (${profiles.slice(0, 10).join(', ')}); choose one with --profile`,
  );
};

export async function readStoredHistory(
  positionals: string[],
  options: { branch?: string; repo?: string; profile?: string },
): Promise<StoredHistory | undefined> {
  if (options.branch !== undefined) {
    if (positionals.length > 0)
      throw new UserError('--branch reads the history store: give no results files with it');
    const repo = options.repo ?? process.cwd();
    const url = /^[a-z]+:\/\//.test(repo) ? repo : resolve(repo);
    const where = `branch ${options.branch} of ${repo}`;
    let read: Awaited<ReturnType<typeof readBranchRecords>>;
    try {
      read = await readBranchRecords({ url }, options.branch, options.profile);
    } catch (error) {
      throw new UserError(`--branch ${options.branch}: ${errorMessage(error)}`);
    }
    if (!read.commit) throw new UserError(`${where}: no such branch`);
    if (!read.profile) return chooseProfile(read.profiles, where);
    return { records: read.records, skipped: read.skipped, profile: read.profile, source: where };
  }
  if (positionals.length !== 1) return undefined;
  const dir = positionals[0];
  try {
    if (!(await stat(dir)).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  const read = await readRecordFolder(dir, options.profile);
  if (!read) return undefined;
  const profile = options.profile ?? (read.profiles.length === 1 ? read.profiles[0] : undefined);
  if (!profile) return chooseProfile(read.profiles, dir);
  return { records: read.records, skipped: read.skipped, profile, source: `folder ${dir}` };
}
