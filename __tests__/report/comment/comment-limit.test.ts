// GitHub refuses a comment body above 65,536 characters with 422 (the stand-in enforces it as the
// real API does); the comment is trimmed to fit, keeping status, verdict and main table, the
// collapsed details going first.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { judge } from '../../../src/gate.js';
import { createGitHubClient } from '../../../src/github/client.js';
import { commentMarker, upsertStickyComment } from '../../../src/github/comment.js';
import { composeComment } from '../../../src/github/report-body.js';
import { MAX_COMMENT_CHARS, renderComment } from '../../../src/report/comment/comment.js';
import { makeResults } from '../../__fixtures__/results.js';
import { GitHubApiStandIn, MAX_COMMENT_BODY_CHARS } from '../../__stand-ins__/github-api.js';

const marker = commentMarker('limits');
const bot = 'github-actions[bot]';
const api = new GitHubApiStandIn();
beforeAll(() => api.start());
afterAll(() => api.stop());
const upsert = (issueNumber: number, body: string) =>
  upsertStickyComment(createGitHubClient('token-1', api.url), {
    repo: { owner: api.owner, repo: api.repo },
    issueNumber,
    marker,
    author: bot,
    body,
    createIfMissing: true,
  });

describe('the API stand-in', () => {
  it('accepts 65,536 characters and refuses one more with 422, as GitHub does', async () => {
    await expect(upsert(1, `${marker}\n`.padEnd(MAX_COMMENT_BODY_CHARS, 'x'))).resolves.toMatchObject({
      action: 'created',
    });
    await expect(upsert(1, `${marker}\n`.padEnd(MAX_COMMENT_BODY_CHARS + 1, 'x'))).rejects.toThrow(
      /Body is too long \(maximum is 65536 characters\)/,
    );
    await expect(upsert(2, `${marker}\n`.padEnd(MAX_COMMENT_BODY_CHARS + 1, 'x'))).rejects.toThrow(
      /422|Body is too long/,
    );
    // The 422 answer has the shape GitHub's OpenAPI description gives it.
    expect(api.specViolations).toEqual([]);
  });
});

describe('a comment too long for GitHub', () => {
  // 1,200 trials per variant: every trial's row alone is far past the limit.
  const spread = (base: number) => Array.from({ length: 1200 }, (_, i) => base + (i % 7) * 0.1);
  const results = makeResults({
    variants: { 'base/none': { p99Ms: spread(10) }, 'head/none': { p99Ms: spread(12) } },
  });
  const verdict = judge(results).verdict;

  it('is trimmed below the limit, keeping status, verdict and the main table, and GitHub takes it', async () => {
    const full = renderComment(results, verdict, {}, Number.MAX_SAFE_INTEGER);
    expect(full.length).toBeGreaterThan(MAX_COMMENT_BODY_CHARS);
    const body = renderComment(results, verdict);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    // Everything before the first collapsed section is kept as is.
    const coreEnd = full.indexOf('<details>');
    expect(
      body.startsWith(
        full.slice(
          0,
          Math.min(coreEnd, full.indexOf('```mermaid') >= 0 ? full.indexOf('```mermaid') : coreEnd),
        ),
      ),
    ).toBe(true);
    expect(body).toMatch(/Trimmed to fit GitHub's 65,536-character limit for a comment: every trial/);
    await expect(upsert(3, composeComment(marker, body))).resolves.toMatchObject({ action: 'created' });
  });

  it('a core alone past the limit is cut at a whole line, with a note', () => {
    const body = renderComment(results, verdict, {}, 600);
    expect(body.length).toBeLessThanOrEqual(600);
    expect(body).toMatch(/more lines trimmed to fit GitHub's 65,536-character limit/);
  });
});
