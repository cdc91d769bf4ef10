/**
 * Getting the report to the pull request: update or create the sticky comment, or, when the token
 * cannot comment (a fork's read-only token, detected from the event or by a 403), upload the
 * hand-off artifact for a `workflow_run` workflow and say so.
 */
import { errorMessage } from '../errors.js';
import { isPermissionError } from '../github/client.js';
import { upsertStickyComment } from '../github/comment.js';
import type { OverallVerdict } from '../verdict/schema.js';
import type { ActionDeps } from './deps.js';
import type { CommentPolicy } from './inputs.js';

export interface PublishRequest {
  policy: CommentPolicy;
  author: string;
  issueNumber: number;
  marker: string;
  body: string;
  verdict: OverallVerdict;
  /** Whether the token is known to be read-only (fork PR). */
  readOnlyToken: boolean;
  /** Upload the hand-off artifact; returns a note for the summary. Absent: no fallback. */
  handoff?: () => Promise<string>;
}

export interface PublishResult {
  commentUrl?: string;
  notes: string[];
}

/** on-regression creates a comment only for a regression, but always refreshes an earlier one. */
export function mayCreateComment(policy: CommentPolicy, verdict: OverallVerdict): boolean {
  return policy === 'always' || (policy === 'on-regression' && verdict === 'regression');
}

export async function publishComment(
  deps: Pick<ActionDeps, 'client' | 'context' | 'log'>,
  request: PublishRequest,
): Promise<PublishResult> {
  if (request.policy === 'never') return { notes: [] };
  const fallBack = async (why: string): Promise<PublishResult> => {
    if (!request.handoff) return { notes: [`The report could not be posted as a comment (${why}).`] };
    try {
      return { notes: [await request.handoff()] };
    } catch (error) {
      deps.log.warn(`could not upload the comment hand-off artifact: ${errorMessage(error)}`);
      return { notes: [`The report could not be posted (${why}) nor handed off as an artifact.`] };
    }
  };
  if (request.readOnlyToken) return fallBack('a pull request from a fork gets a read-only token');
  try {
    const result = await upsertStickyComment(deps.client, {
      repo: deps.context.repo,
      issueNumber: request.issueNumber,
      marker: request.marker,
      author: request.author,
      body: request.body,
      createIfMissing: mayCreateComment(request.policy, request.verdict),
    });
    if (result.action === 'skipped') {
      deps.log.info(`no comment: ${result.reason} (comment: ${request.policy}, verdict ${request.verdict})`);
      return { notes: [] };
    }
    deps.log.info(`${result.action} comment ${result.url}`);
    return { commentUrl: result.url, notes: [] };
  } catch (error) {
    if (isPermissionError(error)) {
      deps.log.warn(
        `the token cannot comment on #${request.issueNumber} (${errorMessage(error)}); give the job \`pull-requests: write\`, or comment from a workflow_run workflow`,
      );
      return fallBack('the token may not comment');
    }
    deps.log.warn(`could not comment on #${request.issueNumber}: ${errorMessage(error)}`);
    return { notes: [] };
  }
}
