/** The user's repository as the history's git remote, with the job's token as git's credentials. */
import type { RunContext } from '../github/context.js';
import type { GitRemote } from './git.js';

export function githubRemote(context: Pick<RunContext, 'serverUrl' | 'repo'>, token: string): GitRemote {
  const base = `${context.serverUrl}/`;
  return {
    url: `${base}${context.repo.owner}/${context.repo.repo}.git`,
    // What actions/checkout configures: basic auth with the installation token.
    authHeader: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
    authScope: base,
  };
}
