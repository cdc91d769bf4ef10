/**
 * What the workflow run is about, read once from the runner's environment and the event payload
 * (GITHUB_EVENT_PATH): the event, the pull request (number, base, head, fork or not), whether this
 * is a push to the default branch, and the triggering run of a `workflow_run` event.
 * `buildRunContext` is pure so tests can feed it real webhook payloads.
 */
import { readFileSync } from 'node:fs';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface PullRequestInfo {
  number: number;
  baseRef: string;
  /** Tip of the base branch when the event fired (not the merge base). */
  baseSha: string;
  headSha: string;
  headRepoFullName: string;
  /** The head branch lives in another repository: the token of such a run cannot comment. */
  isFork: boolean;
}

export interface WorkflowRunInfo {
  id: number;
  workflowId: number;
  headSha: string;
  headBranch: string;
  event: string;
  conclusion: string | null;
  headRepoFullName: string;
  /** PR numbers GitHub attached to the run (always empty for fork PRs). */
  pullRequestNumbers: number[];
}

export interface RunContext {
  eventName: string;
  repo: RepoRef;
  runId: number;
  runAttempt: number;
  serverUrl: string;
  apiUrl: string;
  sha: string;
  ref: string;
  defaultBranch?: string;
  pullRequest?: PullRequestInfo;
  workflowRun?: WorkflowRunInfo;
  /** A push (or manual run) on the repository's default branch. */
  isDefaultBranchPush: boolean;
  /** Link to this run's page (its artifacts are listed there). */
  runUrl: string;
}

// Webhook payloads are read defensively field by field; their full types are not needed here.
type Payload = Record<string, any>;

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

export function buildRunContext(env: NodeJS.ProcessEnv, payload: Payload): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? '/').split('/');
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
  const runId = Number(env.GITHUB_RUN_ID ?? 0);
  const ref = env.GITHUB_REF ?? '';
  const defaultBranch: string | undefined = payload.repository?.default_branch;
  const pr = PR_EVENTS.has(eventName) ? payload.pull_request : undefined;
  const baseRepoFullName = `${owner}/${repo}`;
  const pullRequest: PullRequestInfo | undefined = pr
    ? {
        number: Number(pr.number ?? payload.number),
        baseRef: String(pr.base?.ref ?? ''),
        baseSha: String(pr.base?.sha ?? ''),
        headSha: String(pr.head?.sha ?? ''),
        headRepoFullName: String(pr.head?.repo?.full_name ?? ''),
        // A deleted fork has head.repo null: treat it as a fork (its token is read-only too).
        isFork: pr.head?.repo?.full_name !== baseRepoFullName,
      }
    : undefined;
  const wr = eventName === 'workflow_run' ? payload.workflow_run : undefined;
  const workflowRun: WorkflowRunInfo | undefined = wr
    ? {
        id: Number(wr.id),
        workflowId: Number(wr.workflow_id),
        headSha: String(wr.head_sha ?? ''),
        headBranch: String(wr.head_branch ?? ''),
        event: String(wr.event ?? ''),
        conclusion: wr.conclusion ?? null,
        headRepoFullName: String(wr.head_repository?.full_name ?? ''),
        pullRequestNumbers: Array.isArray(wr.pull_requests)
          ? wr.pull_requests.map((p: Payload) => Number(p.number))
          : [],
      }
    : undefined;
  const onDefaultBranch = defaultBranch !== undefined && ref === `refs/heads/${defaultBranch}`;
  return {
    eventName,
    repo: { owner, repo },
    runId,
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? 1),
    serverUrl,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    sha: env.GITHUB_SHA ?? '',
    ref,
    defaultBranch,
    pullRequest,
    workflowRun,
    isDefaultBranchPush: onDefaultBranch && (eventName === 'push' || eventName === 'workflow_dispatch'),
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}`,
  };
}

/** The context of the current process: environment plus the event file, if any. */
export function loadRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const path = env.GITHUB_EVENT_PATH;
  let payload: Payload = {};
  if (path) {
    try {
      payload = JSON.parse(readFileSync(path, 'utf8')) as Payload;
    } catch {
      payload = {};
    }
  }
  return buildRunContext(env, payload);
}

/** URL of a run's page in the same repository. */
export function runPageUrl(context: RunContext, runId: number): string {
  return `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${runId}`;
}
