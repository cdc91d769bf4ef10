/**
 * The history store: a data branch (default `meshgate-history`) in the user's repository, one
 * file per record at `<profile>/<time>-<run>-<attempt>-<commit>.json`.
 *
 * Size rule: each profile keeps its newest `keep` records (default 500); appending one more
 * removes the oldest from the branch's tree. A re-run of a push run (same commit) replaces the
 * commit's earlier record. A record is at most MAX_RECORD_BYTES (ours are
 * 1–3 KB), so a profile's files stay under keep × 64 KB; removed records stay in the branch's git
 * history, and each append adds one small commit to it.
 *
 * Races: two push runs may append at once. One file per record means re-applying on a moved
 * branch never conflicts: on a rejected push we fetch the new tip, build the commit again on top
 * of it and push again, up to `maxAttempts` times with a growing random pause. A push is
 * fast-forward only, so nothing that landed is ever overwritten.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitError, gitEnvironment, gitFailure, gitText, runGit, type GitRemote } from './git.js';
import { type HistoryRecord, PROFILE_PATTERN } from './record-schema.js';
import type { StoredRecord } from './samples.js';
import { listProfileFiles, readProfileRecords, type TreeEntry } from './tree-read.js';

export const DEFAULT_HISTORY_BRANCH = 'meshgate-history';
export const DEFAULT_KEEP = 500;
const RECORD_NAME = /^\d{8}T\d{6}Z-\d+-\d+-[0-9a-f]{12}\.json$/;
const TIP_REF = 'refs/meshgate/tip';

export interface BranchStoreOptions {
  remote: GitRemote;
  branch: string;
  /** Newest records kept per profile. */
  keep?: number;
  maxAttempts?: number;
  /** Called before each push attempt (tests use it to make a competing push land first). */
  beforePush?: (attempt: number) => Promise<void>;
  log?: (line: string) => void;
}

export interface AppendOutcome {
  /** The profile's records after the append (oldest first is up to the caller). */
  records: StoredRecord[];
  skipped: string[];
  /** The commit pushed, and how many pushes it took. */
  commit: string;
  attempts: number;
  /** Records removed in this append: by the size rule, or the same commit's record on a re-run. */
  dropped: number;
  path: string;
}

/** A branch name git accepts and no option parser mistakes for a flag. */
export function checkBranchName(branch: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/.test(branch) || /\.\.|\/\/|\/$|\.lock$|\/\.|@\{/.test(branch))
    return `"${branch.slice(0, 100)}" is not a usable branch name (letters, digits, . _ / -)`;
  return undefined;
}

export function recordPath(record: HistoryRecord): string {
  const time = new Date(record.createdAt)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${record.profile}/${time}-${record.runId ?? 0}-${record.runAttempt ?? 1}-${record.commit.slice(0, 12)}.json`;
}

async function withRepository<T>(
  remote: GitRemote,
  work: (env: NodeJS.ProcessEnv) => Promise<T>,
): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), 'meshgate-history-'));
  try {
    const env = gitEnvironment(join(directory, 'repo.git'), remote, {
      GIT_INDEX_FILE: join(directory, 'index'),
    });
    await gitText(['init', '--quiet', '--bare', join(directory, 'repo.git')], env);
    return await work(env);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** The branch's tip fetched into TIP_REF (one commit deep), or undefined when it does not exist. */
async function fetchTip(
  env: NodeJS.ProcessEnv,
  remote: GitRemote,
  branch: string,
): Promise<string | undefined> {
  const heads = await gitText(['ls-remote', '--heads', remote.url, `refs/heads/${branch}`], env);
  if (!heads.trim()) return undefined;
  await gitText(
    ['fetch', '--quiet', '--no-tags', '--depth=1', remote.url, `+refs/heads/${branch}:${TIP_REF}`],
    env,
  );
  return (await gitText(['rev-parse', '--verify', `${TIP_REF}^{commit}`], env)).trim();
}

const README = `# meshgate history

Written by the meshgate action on pushes to the default branch: one JSON file per run
(schema meshgate/history-record@1) under a folder per profile. Each profile keeps its newest
records; older ones are removed from the tree (they stay in this branch's history).
Read it with \`meshgate trend --branch origin/meshgate-history\`.
`;

async function buildCommit(
  env: NodeJS.ProcessEnv,
  tip: string | undefined,
  record: HistoryRecord,
  path: string,
  keep: number,
): Promise<{ commit: string; entries: TreeEntry[]; dropped: number }> {
  const existing = tip ? await listProfileFiles(env, tip, record.profile) : [];
  // A re-run of a push run replaces its commit's record: one point per commit.
  const sameCommit = `-${record.commit.slice(0, 12)}.json`;
  const named = existing.filter(
    (e) => RECORD_NAME.test(e.path.slice(record.profile.length + 1)) && e.path !== path,
  );
  const replaced = named.filter((e) => e.path.endsWith(sameCommit));
  const ours = named.filter((e) => !e.path.endsWith(sameCommit)).sort((a, b) => a.path.localeCompare(b.path));
  const drop = [...replaced, ...ours.slice(0, Math.max(0, ours.length - (keep - 1)))];
  await gitText(tip ? ['read-tree', tip] : ['read-tree', '--empty'], env);
  const blob = (await gitText(['hash-object', '-w', '--stdin'], env, `${JSON.stringify(record)}\n`)).trim();
  await gitText(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], env);
  if (!tip) {
    const readme = (await gitText(['hash-object', '-w', '--stdin'], env, README)).trim();
    await gitText(['update-index', '--add', '--cacheinfo', `100644,${readme},README.md`], env);
  }
  // Mode 0 removes a path (git update-index --index-info); --force-remove would want a work tree.
  // The paths matched RECORD_NAME: no tab or newline can be in them.
  if (drop.length > 0)
    await gitText(
      ['update-index', '--index-info'],
      env,
      drop.map((e) => `0 ${'0'.repeat(e.oid.length)}\t${e.path}\n`).join(''),
    );
  const tree = (await gitText(['write-tree'], env)).trim();
  const message = `meshgate: ${record.profile} at ${record.commit.slice(0, 12)}${record.runId ? ` (run ${record.runId})` : ''}`;
  const commit = (
    await gitText(['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-m', message], env)
  ).trim();
  const dropped = new Set(drop.map((e) => e.path));
  const kept = existing.filter((e) => !dropped.has(e.path) && e.path !== path);
  return { commit, entries: kept, dropped: drop.length };
}

/** A push git refused because the branch moved (not a network or permission failure). */
const isMovedBranch = (stderr: string) =>
  /\[rejected\]|non-fast-forward|fetch first|\[remote rejected\].*(?:cannot lock|failed to update)/i.test(
    stderr,
  );

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function appendRecord(
  options: BranchStoreOptions,
  record: HistoryRecord,
): Promise<AppendOutcome> {
  const problem = checkBranchName(options.branch);
  if (problem) throw new GitError(`history branch ${problem}`);
  if (options.remote.url.startsWith('-')) throw new GitError(`history remote is not a URL or path`);
  if (!PROFILE_PATTERN.test(record.profile))
    throw new GitError(`history: profile name ${record.profile} is not usable`);
  const keep = Math.max(1, options.keep ?? DEFAULT_KEEP);
  const maxAttempts = options.maxAttempts ?? 6;
  const path = recordPath(record);
  return withRepository(options.remote, async (env) => {
    for (let attempt = 1; ; attempt++) {
      const tip = await fetchTip(env, options.remote, options.branch);
      const built = await buildCommit(env, tip, record, path, keep);
      await options.beforePush?.(attempt);
      const args = [
        'push',
        '--quiet',
        '--no-verify',
        options.remote.url,
        `${built.commit}:refs/heads/${options.branch}`,
      ];
      const pushed = await runGit(args, env);
      if (pushed.code === 0) {
        const read = await readProfileRecords(env, built.commit, record.profile, [
          ...built.entries,
          ...(await listProfileFiles(env, built.commit, record.profile)).filter((e) => e.path === path),
        ]);
        return { ...read, commit: built.commit, attempts: attempt, dropped: built.dropped, path };
      }
      if (!isMovedBranch(pushed.stderr) || attempt >= maxAttempts)
        throw new GitError(
          `${gitFailure(args, pushed)}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}; does the job have \`contents: write\`?`,
        );
      options.log?.(`history: ${options.branch} moved while pushing (attempt ${attempt}); fetching it again`);
      await pause(Math.round((200 + Math.random() * 800) * attempt));
    }
  });
}

/**
 * A profile's records on the branch (none when the branch does not exist yet). Without a profile,
 * the branch must hold exactly one profile's folder, which is read.
 */
export async function readBranchRecords(
  remote: GitRemote,
  branch: string,
  profile?: string,
): Promise<{
  records: StoredRecord[];
  skipped: string[];
  commit?: string;
  profile?: string;
  profiles: string[];
}> {
  const problem = checkBranchName(branch);
  if (problem) throw new GitError(`history branch ${problem}`);
  if (remote.url.startsWith('-'))
    throw new GitError(`history remote ${remote.url.slice(0, 100)} is not a URL or path`);
  return withRepository(remote, async (env) => {
    const tip = await fetchTip(env, remote, branch);
    if (!tip) return { records: [], skipped: [], profiles: [] };
    const profiles = (await gitText(['ls-tree', '-z', '-d', '--name-only', tip], env))
      .split('\0')
      .filter((name) => PROFILE_PATTERN.test(name));
    const chosen = profile ?? (profiles.length === 1 ? profiles[0] : undefined);
    if (!chosen) return { records: [], skipped: [], commit: tip, profiles };
    return { ...(await readProfileRecords(env, tip, chosen)), commit: tip, profile: chosen, profiles };
  });
}
