import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createGitHubClient, isPermissionError } from '../../src/github/client.js';
import {
  commentMarker,
  findStickyComment,
  upsertStickyComment,
  type IssueComment,
} from '../../src/github/comment.js';
import { GitHubApiStandIn } from '../__stand-ins__/github-api.js';

const marker = commentMarker('echo-p99');
const bot = 'github-actions[bot]';
const comment = (id: number, login: string, body: string): IssueComment => ({
  id,
  body,
  html_url: `u${id}`,
  user: { login },
});

describe('findStickyComment', () => {
  it.each([
    ['no comments', [], undefined],
    ['marker by another author', [comment(1, 'mallory', marker)], undefined],
    ['author without marker', [comment(1, bot, 'hello')], undefined],
    ['marker of another profile', [comment(1, bot, commentMarker('echo-p999'))], undefined],
    [
      'first match wins',
      [comment(1, 'x', marker), comment(2, bot, `${marker}\nold`), comment(3, bot, marker)],
      2,
    ],
    ['deleted user', [{ id: 4, body: marker, html_url: '', user: null }], undefined],
    // A marker quoted inside another profile's report (a forged string) is not that comment's marker.
    ['marker inside a line', [comment(5, bot, `${commentMarker('other')}\n| runner | x ${marker} |`)], undefined],
    ['marker with a suffix', [comment(6, bot, `${marker} pass`)], undefined],
    ['marker on a later line', [comment(7, bot, `intro\n${marker}\nbody`)], 7],
    ['marker with a CRLF line end', [comment(8, bot, `${marker}\r\nbody`)], 8],
  ])('%s', (_name, comments, expectedId) => {
    expect(findStickyComment(comments as IssueComment[], { marker, author: bot })?.id).toBe(expectedId);
  });
});

describe('commentMarker', () => {
  it.each(['', 'x y', 'a-->', 'x\n<!-- meshgate:profile=y -->', 'UPPER', 'x'.repeat(101)])('refuses the name %j', (name) => {
    expect(() => commentMarker(name)).toThrow('cannot name a comment');
  });
});

describe('upsertStickyComment against the API stand-in', () => {
  const api = new GitHubApiStandIn();
  beforeAll(() => api.start());
  afterAll(() => api.stop());
  const repo = { owner: api.owner, repo: api.repo };
  const request = (issueNumber: number, body: string, createIfMissing = true) => ({
    repo,
    issueNumber,
    marker,
    author: bot,
    body: `${marker}\n${body}`,
    createIfMissing,
  });

  it('creates once, then updates in place', async () => {
    const client = createGitHubClient('token-1', api.url);
    const first = await upsertStickyComment(client, request(1, 'first'));
    const second = await upsertStickyComment(client, request(1, 'second'));
    expect(first.action).toBe('created');
    expect(second).toMatchObject({ action: 'updated', id: (first as { id: number }).id });
    expect(api.commentsOn(1).map((c) => c.body)).toEqual([`${marker}\nsecond`]);
  });

  it('finds its comment behind more than 100 others (pagination)', async () => {
    for (let i = 0; i < 130; i++)
      api.addComment(2, i % 2 ? 'octocat' : bot, i === 7 ? marker : `comment ${i}`);
    const ours = api.addComment(2, bot, `${marker}\nold report`);
    for (let i = 0; i < 20; i++) api.addComment(2, 'octocat', 'later');
    const result = await upsertStickyComment(
      createGitHubClient('token-1', api.url),
      request(2, 'new report'),
    );
    expect(result).toMatchObject({ action: 'updated', id: ours.id });
    expect(api.commentsOn(2)).toHaveLength(151);
    const pages = api.requests
      .filter((r) => r.path.endsWith('/issues/2/comments'))
      .map((r) => r.query.get('page') ?? '1');
    expect(pages).toEqual(['1', '2']);
  });

  it("leaves another author's marked comment alone", async () => {
    api.addComment(3, 'mallory', `${marker}\nspoof`);
    const result = await upsertStickyComment(createGitHubClient('token-1', api.url), request(3, 'real'));
    expect(result.action).toBe('created');
    expect(api.commentsOn(3).map((c) => c.login)).toEqual(['mallory', bot]);
  });

  it('on-regression after a pass: updates an existing comment but creates none', async () => {
    const client = createGitHubClient('token-1', api.url);
    expect(await upsertStickyComment(client, request(4, 'pass', false))).toMatchObject({ action: 'skipped' });
    expect(api.commentsOn(4)).toHaveLength(0);
  });

  it('a read-only token gets a 403 that isPermissionError recognises', async () => {
    api.readOnlyTokens.add('fork-token');
    const error = await upsertStickyComment(createGitHubClient('fork-token', api.url), request(5, 'x')).catch(
      (e: unknown) => e,
    );
    expect(isPermissionError(error)).toBe(true);
    expect(api.commentsOn(5)).toHaveLength(0);
  });

  it("answered every request in the shapes of GitHub's OpenAPI description", () => {
    expect(api.specViolations).toEqual([]);
  });
});
