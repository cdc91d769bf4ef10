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

const PROFILE_NAME = /^[a-z0-9-]{1,100}$/;

/**
 * The hidden marker of a profile's comment. The name is checked again here (the profile schema
 * and the hand-off schema already allow only [a-z0-9-]+): a marker is matched as a whole line,
 * and a name with spaces, `-->` or a newline could make one profile's marker hold another's.
 */
export function commentMarker(profileName: string): string {
  if (!PROFILE_NAME.test(profileName))
    throw new Error(`profile name ${JSON.stringify(profileName.slice(0, 120))} cannot name a comment: expected [a-z0-9-]+`);
  return `<!-- meshgate:profile=${profileName} -->`;
}

/**
 * Whether `body` carries `marker` as its own line (meshgate writes it as the first line). A marker
 * quoted inside other text — a forged string in a report, a user quoting the bot — does not count:
 * `includes` would let one profile's comment be taken for another's.
 */
export function hasMarkerLine(body: string, marker: string): boolean {
  return body.split('\n').some((line) => line.replace(/\r$/, '') === marker);
}

/** The first comment by `author` that carries `marker` on a line of its own. */
export function findStickyComment<T extends IssueComment>(
  comments: Iterable<T>,
  { marker, author }: { marker: string; author: string },
): T | undefined {
  for (const comment of comments)
    if (comment.user?.login === author && hasMarkerLine(comment.body ?? '', marker)) return comment;
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
  if (!hasMarkerLine(request.body, request.marker)) throw new Error('sticky comment body lacks its marker line');
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
