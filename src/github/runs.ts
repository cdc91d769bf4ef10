/**
 * Workflow runs and commits: which workflow this run belongs to, the merge base of a PR, the
 * runs of a workflow that may hold a baseline, and the head of a pull request. Choosing among runs
 * is pure (`orderBaselineCandidates`).
 */
import type { GitHubClient } from './client.js';
import type { RepoRef } from './context.js';

export interface RunSummary {
  id: number;
  headSha: string;
  headBranch: string;
  createdAt: string;
  runNumber: number;
  /** success, or failure when the run's own gate (or a later step) failed after it saved. */
  conclusion: string;
}

/**
 * Which runs count as baselines: push runs of the same workflow on the base branch, in this
 * repository, that completed, whether they succeeded or failed. A push saves its baseline before
 * its own gate may fail, and that baseline measures the branch as it was; cancelled, skipped and
 * timed-out runs may have stopped anywhere and do not count. Pull-request runs never count: a
 * fork's PR from a branch named like the base branch would otherwise pass for a base-branch run.
 */
export const BASELINE_RUN_RULE =
  'completed push (or manually dispatched) runs of this workflow on the base branch of this repository, successful or failed';
/**
 * The events whose runs on the default branch save a baseline (github/context.ts:
 * isDefaultBranchPush) — and so the ones the lookup reads: a workflow_dispatch run there saves one
 * too (to seed a baseline by hand), and a lookup of push runs alone would never find it.
 */
export const BASELINE_EVENTS = ['push', 'workflow_dispatch'] as const;
const BASELINE_CONCLUSIONS = new Set(['success', 'failure']);

export interface BaselineCandidate extends RunSummary {
  /** The run built the PR's merge-base commit (the exact state the PR starts from). */
  matchesMergeBase: boolean;
}

export async function workflowIdOfRun(client: GitHubClient, repo: RepoRef, runId: number): Promise<number> {
  const { data } = await client.rest.actions.getWorkflowRun({ ...repo, run_id: runId });
  return data.workflow_id;
}

/** The commit a PR branched from; undefined when GitHub cannot compare (e.g. unrelated histories). */
export async function mergeBaseSha(
  client: GitHubClient,
  repo: RepoRef,
  baseSha: string,
  headSha: string,
): Promise<string | undefined> {
  try {
    const { data } = await client.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${baseSha}...${headSha}`,
      per_page: 1,
    });
    return data.merge_base_commit?.sha;
  } catch {
    return undefined;
  }
}

/** Runs that count as baselines (BASELINE_RUN_RULE), newest first (first page only unless headSha narrows it). */
export async function baselineRuns(
  client: GitHubClient,
  {
    repo,
    workflowId,
    branch,
    headSha,
    perPage = 20,
  }: { repo: RepoRef; workflowId: number; branch: string; headSha?: string; perPage?: number },
): Promise<RunSummary[]> {
  // One query per event (the API filters on one), merged newest first.
  const pages = await Promise.all(
    BASELINE_EVENTS.map((event) =>
      client.rest.actions.listWorkflowRuns({
        ...repo,
        workflow_id: workflowId,
        branch,
        event,
        status: 'completed',
        per_page: perPage,
        ...(headSha ? { head_sha: headSha } : {}),
      }),
    ),
  );
  return pages
    .flatMap(({ data }) => data.workflow_runs)
    .filter((run) => countsAsBaseline(toRun(run), repo) === undefined)
    .map(toRun)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
    .slice(0, perPage);
}

interface ApiRun {
  id: number;
  head_sha: string;
  head_branch?: string | null;
  created_at: string;
  run_number: number;
  conclusion?: string | null;
  event: string;
  head_repository?: { full_name?: string } | null;
}

const toRun = (run: ApiRun): RunSummary & { event: string; headRepo: string } => ({
  id: run.id,
  headSha: run.head_sha,
  headBranch: run.head_branch ?? '',
  createdAt: run.created_at,
  runNumber: run.run_number,
  conclusion: run.conclusion ?? '',
  event: run.event,
  headRepo: run.head_repository?.full_name ?? '',
});

/** Why a run is no baseline (BASELINE_RUN_RULE), or undefined when it counts. */
export function countsAsBaseline(
  run: RunSummary & { event: string; headRepo: string },
  repo: RepoRef,
): string | undefined {
  if (!(BASELINE_EVENTS as readonly string[]).includes(run.event))
    return `it was triggered by ${run.event}, not push or workflow_dispatch`;
  if (run.headRepo.toLowerCase() !== `${repo.owner}/${repo.repo}`.toLowerCase())
    return `its commit came from ${run.headRepo || 'an unknown repository'}`;
  if (!BASELINE_CONCLUSIONS.has(run.conclusion)) return `it ended ${run.conclusion || 'unfinished'}`;
  return undefined;
}

/** One run, with what countsAsBaseline needs. */
export async function runSummary(
  client: GitHubClient,
  repo: RepoRef,
  runId: number,
): Promise<RunSummary & { event: string; headRepo: string }> {
  const { data } = await client.rest.actions.getWorkflowRun({ ...repo, run_id: runId });
  return toRun(data);
}

/**
 * Candidates in the order to try: runs of the merge-base commit first (newest attempt first),
 * then every other run newest first; the current run and duplicates are dropped.
 */
export function orderBaselineCandidates(
  runs: readonly RunSummary[],
  { mergeBase, excludeRunId }: { mergeBase?: string; excludeRunId?: number },
): BaselineCandidate[] {
  const newestFirst = (a: RunSummary, b: RunSummary) =>
    b.createdAt.localeCompare(a.createdAt) || b.runNumber - a.runNumber;
  const seen = new Set<number>();
  const unique = [...runs].sort(newestFirst).filter((run) => {
    if (run.id === excludeRunId || seen.has(run.id)) return false;
    seen.add(run.id);
    return true;
  });
  const matches = (run: RunSummary) => mergeBase !== undefined && run.headSha === mergeBase;
  return [...unique.filter(matches), ...unique.filter((run) => !matches(run))].map((run) => ({
    ...run,
    matchesMergeBase: matches(run),
  }));
}

/** Head commit and base repository of a pull request. */
export async function pullRequestHead(
  client: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
): Promise<{ headSha: string; baseRepoFullName: string; baseRef: string; state: string }> {
  const { data } = await client.rest.pulls.get({ ...repo, pull_number: pullNumber });
  return {
    headSha: data.head.sha,
    baseRepoFullName: data.base.repo.full_name,
    baseRef: data.base.ref,
    state: data.state,
  };
}
