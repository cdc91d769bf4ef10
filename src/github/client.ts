/**
 * The GitHub REST client: @actions/github's Octokit (with pagination), pointed at GITHUB_API_URL
 * (GitHub Enterprise, or the local stand-in in tests). The token never appears in logs.
 */
import { getOctokit } from '@actions/github';

export type GitHubClient = ReturnType<typeof getOctokit>;

export function createGitHubClient(token: string, apiUrl: string): GitHubClient {
  return getOctokit(token, { baseUrl: apiUrl });
}

/** HTTP status of an Octokit request error, if it is one. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A 401, 403 or 404 when writing: the token is read-only, as on pull requests from forks, or lacks
 * `pull-requests: write`. GitHub answers 404 rather than 403 where admitting that a private
 * resource exists would leak it, so a write refused that way is a permission problem too.
 */
export function isPermissionError(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 403 || status === 401 || status === 404;
}
