// test-group: unit
import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { buildRunContext } from '../../src/github/context.js';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string;
  examples: any[];
}[];
const payloadsOf = (event: string) => examples.find((e) => e.name === event)!.examples;

const envFor = (event: string, payload: any, extra: Record<string, string> = {}) => ({
  GITHUB_EVENT_NAME: event,
  GITHUB_REPOSITORY: payload.repository.full_name,
  GITHUB_RUN_ID: '42',
  GITHUB_SERVER_URL: 'https://github.com',
  ...extra,
});

describe('buildRunContext from real webhook payloads', () => {
  it.each(payloadsOf('pull_request').map((p, i) => [`${i} ${p.action}`, p]))(
    'pull_request %s',
    (_name, payload) => {
      const context = buildRunContext(envFor('pull_request', payload), payload);
      expect(context.pullRequest).toMatchObject({
        number: payload.pull_request.number,
        baseRef: payload.pull_request.base.ref,
        baseSha: payload.pull_request.base.sha,
        headSha: payload.pull_request.head.sha,
        isFork: false,
      });
      expect(context.isDefaultBranchPush).toBe(false);
      expect(context.runUrl).toBe(`https://github.com/${payload.repository.full_name}/actions/runs/42`);
    },
  );

  it('detects a fork PR by its head repository (also a deleted fork)', () => {
    const payload = structuredClone(payloadsOf('pull_request')[0]);
    payload.pull_request.head.repo = {
      ...payload.pull_request.head.repo,
      full_name: 'mallory/Hello-World',
      fork: true,
    };
    expect(buildRunContext(envFor('pull_request', payload), payload).pullRequest?.isFork).toBe(true);
    payload.pull_request.head.repo = null;
    expect(buildRunContext(envFor('pull_request', payload), payload).pullRequest?.isFork).toBe(true);
  });

  it('push: a push to the default branch saves baselines, others do not', () => {
    for (const payload of payloadsOf('push')) {
      const ref = `refs/heads/${payload.repository.default_branch}`;
      expect(buildRunContext(envFor('push', payload, { GITHUB_REF: ref }), payload).isDefaultBranchPush).toBe(
        true,
      );
      expect(
        buildRunContext(envFor('push', payload, { GITHUB_REF: 'refs/heads/feature' }), payload)
          .isDefaultBranchPush,
      ).toBe(false);
      expect(
        buildRunContext(envFor('push', payload, { GITHUB_REF: ref }), payload).pullRequest,
      ).toBeUndefined();
    }
  });

  it.each(payloadsOf('workflow_run').map((p, i) => [i, p]))('workflow_run %s', (_i, payload) => {
    const context = buildRunContext(envFor('workflow_run', payload), payload);
    expect(context.workflowRun).toMatchObject({
      id: payload.workflow_run.id,
      headSha: payload.workflow_run.head_sha,
      workflowId: payload.workflow_run.workflow_id,
      pullRequestNumbers: payload.workflow_run.pull_requests.map((p: any) => p.number),
    });
    expect(context.pullRequest).toBeUndefined();
  });

  it('no event file: empty but usable', () => {
    const context = buildRunContext({ GITHUB_REPOSITORY: 'o/r' }, {});
    expect(context).toMatchObject({
      repo: { owner: 'o', repo: 'r' },
      isDefaultBranchPush: false,
      apiUrl: 'https://api.github.com',
    });
  });
});
