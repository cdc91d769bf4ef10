/**
 * Answers of the API stand-in, each built from the OpenAPI description's example of the route
 * with the stand-in's data laid over it (github-api.ts validates them against the schema).
 */
import { responseExample } from './github-api-openapi.js';
import type { GitHubApiStandIn, StandInArtifact, StandInComment, StandInRun } from './github-api.js';

export function commentJson(api: GitHubApiStandIn, c: StandInComment) {
  const body = responseExample('/repos/{owner}/{repo}/issues/comments/{comment_id}', 'get', 200);
  const base = `${api.url}/repos/${api.fullName()}`;
  return {
    ...body,
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${base}/issues/comments/${c.id}`,
    html_url: `https://github.com/${api.fullName()}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${base}/issues/${c.issueNumber}`,
    body: c.body,
    user: { ...body.user, login: c.login, type: c.login.endsWith('[bot]') ? 'Bot' : 'User' },
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export function runJson(api: GitHubApiStandIn, run: StandInRun) {
  const body = responseExample('/repos/{owner}/{repo}/actions/runs/{run_id}', 'get', 200);
  return {
    ...body,
    id: run.id,
    workflow_id: run.workflowId,
    head_sha: run.headSha,
    head_branch: run.headBranch,
    event: run.event,
    head_repository: { ...body.head_repository, full_name: run.headRepo ?? api.fullName() },
    status: 'completed',
    conclusion: run.conclusion,
    created_at: run.createdAt,
    updated_at: run.createdAt,
    run_number: run.runNumber,
    html_url: `https://github.com/${api.fullName()}/actions/runs/${run.id}`,
    pull_requests: [],
  };
}

export function artifactJson(api: GitHubApiStandIn, a: StandInArtifact) {
  const [body] = responseExample(
    '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
    'get',
    200,
  ).artifacts;
  return {
    ...body,
    id: a.id,
    node_id: `MDg6QXJ0aWZhY3Qx${a.id}`,
    name: a.name,
    size_in_bytes: a.zip.length,
    url: `${api.url}/repos/${api.fullName()}/actions/artifacts/${a.id}`,
    archive_download_url: `${api.url}/repos/${api.fullName()}/actions/artifacts/${a.id}/zip`,
    expired: a.expired,
    workflow_run: { ...body.workflow_run, id: a.runId },
  };
}
