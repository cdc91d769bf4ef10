/**
 * Workflow runs and commits: which workflow this run belongs to, the merge base of a PR, the
 * successful runs of a workflow on a branch, and the head of a pull request. Choosing among runs
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
}

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

/** Successful push runs of a workflow on a branch, newest first (first page only unless headSha narrows it). */
export async function successfulRuns(
  client: GitHubClient,
  {
    repo,
    workflowId,
    branch,
    headSha,
    perPage = 20,
  }: { repo: RepoRef; workflowId: number; branch: string; headSha?: string; perPage?: number },
): Promise<RunSummary[]> {
  const { data } = await client.rest.actions.listWorkflowRuns({
    ...repo,
    workflow_id: workflowId,
    branch,
    status: 'success',
    per_page: perPage,
    ...(headSha ? { head_sha: headSha } : {}),
  });
  return data.workflow_runs.map((run) => ({
    id: run.id,
    headSha: run.head_sha,
    headBranch: run.head_branch ?? '',
    createdAt: run.created_at,
    runNumber: run.run_number,
  }));
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
): Promise<{ headSha: string; baseRepoFullName: string; state: string }> {
  const { data } = await client.rest.pulls.get({ ...repo, pull_number: pullNumber });
  return { headSha: data.head.sha, baseRepoFullName: data.base.repo.full_name, state: data.state };
}
