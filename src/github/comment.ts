/**
 * One sticky comment per profile on a pull request: a hidden marker names the profile; the
 * comment is found by a paginated look-up (PRs can carry hundreds of comments), filtered by
 * marker and author, then updated in place or created. Matching is a pure function; the API
 * calls around it are thin.
 */
import type { GitHubClient } from './client.js';
import type { RepoRef } from './context.js';

export interface IssueComment {
  id: number;
  body?: string | null;
  html_url: string;
  user: { login: string } | null;
}

/** The hidden marker of a profile's comment. Profile names are [a-z0-9-]+, so no escaping is needed. */
export function commentMarker(profileName: string): string {
  return `<!-- meshgate:profile=${profileName} -->`;
}

/** The first comment by `author` that carries `marker` (on its own line or anywhere in the body). */
export function findStickyComment<T extends IssueComment>(
  comments: Iterable<T>,
  { marker, author }: { marker: string; author: string },
): T | undefined {
  for (const comment of comments)
    if (comment.user?.login === author && (comment.body ?? '').includes(marker)) return comment;
  return undefined;
}

export interface StickyCommentRequest {
  repo: RepoRef;
  issueNumber: number;
  marker: string;
  /** Login that owns the token's comments, e.g. github-actions[bot]. */
  author: string;
  /** Full body; must contain the marker. */
  body: string;
  /** false: only update an existing comment (comment: on-regression after a pass). */
  createIfMissing: boolean;
}

export type StickyCommentResult =
  { action: 'created' | 'updated'; id: number; url: string } | { action: 'skipped'; reason: string };

/** Walk the PR's comments page by page (100 per page) and stop at the first match. */
export async function findExistingComment(
  client: GitHubClient,
  request: Pick<StickyCommentRequest, 'repo' | 'issueNumber' | 'marker' | 'author'>,
): Promise<IssueComment | undefined> {
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    ...request.repo,
    issue_number: request.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    const match = findStickyComment(page.data as IssueComment[], request);
    if (match) return match;
  }
  return undefined;
}

export async function upsertStickyComment(
  client: GitHubClient,
  request: StickyCommentRequest,
): Promise<StickyCommentResult> {
  if (!request.body.includes(request.marker)) throw new Error('sticky comment body lacks its marker');
  const existing = await findExistingComment(client, request);
  if (existing) {
    const { data } = await client.rest.issues.updateComment({
      ...request.repo,
      comment_id: existing.id,
      body: request.body,
    });
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  if (!request.createIfMissing) return { action: 'skipped', reason: 'no earlier comment to update' };
  const { data } = await client.rest.issues.createComment({
    ...request.repo,
    issue_number: request.issueNumber,
    body: request.body,
  });
  return { action: 'created', id: data.id, url: data.html_url };
}
