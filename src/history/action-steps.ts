/**
 * The history's two steps in the action, behind one call each so that src/action only holds the
 * seam: on a push to the default branch, add the run to the data branch and render the trend
 * and the dashboard; on a pull request, read the branch (never write it) for the comment's
 * context line. Neither ever fails the run: a problem is a warning and a note.
 */
import { errorMessage } from '../errors.js';
import type { RunContext } from '../github/context.js';
import type { Results } from '../results/schema.js';
import type { Verdict } from '../verdict/schema.js';
import type { Logger } from '../util/log.js';
import { readBranchRecords } from './branch-store.js';
import { runnerOf, type RunFacts } from './build-record.js';
import { historyContextLine } from './context-line.js';
import { recordPushRun, type PushRunOutcome } from './push-path.js';
import { githubRemote } from './remote.js';
import { skippedNotice } from './trend-summary.js';

export interface HistorySettings {
  /** Opt-in (input `history`): needs `contents: write` on push runs. */
  enabled: boolean;
  /** The data branch (input `history-branch`). */
  branch: string;
  /** Records kept per profile (input `history-keep`). */
  keep: number;
}

interface StepInput {
  history: HistorySettings;
  context: RunContext;
  token: string;
  results: Results;
  log: Logger;
  env?: NodeJS.ProcessEnv;
}

function factsOf(context: RunContext, env: NodeJS.ProcessEnv): RunFacts {
  return {
    commit: context.sha,
    repository: `${context.repo.owner}/${context.repo.repo}`,
    runId: context.runId,
    runAttempt: context.runAttempt,
    runnerEnvironment: env.RUNNER_ENVIRONMENT,
    runnerOs: env.RUNNER_OS,
    runnerArch: env.RUNNER_ARCH,
  };
}

/**
 * Push events on the default branch only: never pull requests (nor, therefore, forks), nor manual
 * or scheduled runs (they measure main too, but the history is one record per pushed commit).
 */
export async function historyForPush(
  input: StepInput & { verdict: Verdict; directory: string },
): Promise<PushRunOutcome | undefined> {
  const { history, context } = input;
  if (!history.enabled || !context.isDefaultBranchPush || context.eventName !== 'push' || context.pullRequest)
    return undefined;
  return input.log.group('history', () =>
    recordPushRun({
      store: { remote: githubRemote(context, input.token), branch: history.branch, keep: history.keep },
      results: input.results,
      verdict: input.verdict,
      facts: factsOf(context, input.env ?? process.env),
      directory: input.directory,
      log: input.log,
      serverUrl: context.serverUrl,
    }),
  );
}

/** The comment's context line on a pull request, or undefined (no history, or it could not be read). */
export async function historyForPullRequest(input: StepInput): Promise<{ line?: string; notes: string[] }> {
  const { history, context, log } = input;
  if (!history.enabled || !context.pullRequest) return { notes: [] };
  return log.group('history', () => readForPullRequest(input));
}

async function readForPullRequest(input: StepInput): Promise<{ line?: string; notes: string[] }> {
  const { history, context, log } = input;
  try {
    const read = await readBranchRecords(
      githubRemote(context, input.token),
      history.branch,
      input.results.profile.name,
    );
    for (const line of read.skipped.slice(0, 20)) log.warn(`history: skipped ${line}`);
    const runner = runnerOf(input.results, factsOf(context, input.env ?? process.env));
    const line = historyContextLine(read.records, input.results, runner, history.branch);
    return {
      line,
      notes: skippedNotice(read.skipped).length > 0 ? [skippedNotice(read.skipped).join('\n')] : [],
    };
  } catch (error) {
    log.warn(`could not read the history on ${history.branch}: ${errorMessage(error)}`);
    return { notes: [] };
  }
}
