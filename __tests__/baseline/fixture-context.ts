/** Run contexts for tests, made from a real pull_request webhook payload pointed at the stand-in's repository. */
import { createRequire } from 'node:module';
import { buildRunContext, type RunContext } from '../../src/github/context.js';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string;
  examples: any[];
}[];

export const BASE_SHA = 'b'.repeat(40);
export const HEAD_SHA = 'c'.repeat(40);
export const MERGE_BASE_SHA = 'a'.repeat(40);

/** A pull_request "opened" event on owner/repo, from a fork when `fork` is set. */
export function pullRequestPayload(owner: string, repo: string, { number = 7, fork = false } = {}): any {
  const payload = structuredClone(
    examples.find((e) => e.name === 'pull_request')!.examples.find((p) => p.action === 'opened'),
  );
  const fullName = `${owner}/${repo}`;
  payload.number = number;
  payload.pull_request.number = number;
  payload.repository.full_name = fullName;
  payload.pull_request.base.repo.full_name = fullName;
  payload.pull_request.base.ref = 'main';
  payload.pull_request.base.sha = BASE_SHA;
  payload.pull_request.head.sha = HEAD_SHA;
  payload.pull_request.head.repo.full_name = fork ? `mallory/${repo}` : fullName;
  payload.repository.default_branch = 'main';
  return payload;
}

export function prContext(
  apiUrl: string,
  owner: string,
  repo: string,
  runId: number,
  options: { fork?: boolean; number?: number } = {},
): RunContext {
  const env = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REPOSITORY: `${owner}/${repo}`,
    GITHUB_RUN_ID: String(runId),
    GITHUB_API_URL: apiUrl,
    GITHUB_REF: 'refs/pull/7/merge',
  };
  return buildRunContext(env, pullRequestPayload(owner, repo, options));
}

export function pushContext(apiUrl: string, owner: string, repo: string, runId: number): RunContext {
  const payload = structuredClone(examples.find((e) => e.name === 'push')!.examples[0]);
  payload.repository.full_name = `${owner}/${repo}`;
  payload.repository.default_branch = 'main';
  const env = {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: `${owner}/${repo}`,
    GITHUB_RUN_ID: String(runId),
    GITHUB_API_URL: apiUrl,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: MERGE_BASE_SHA,
  };
  return buildRunContext(env, payload);
}
