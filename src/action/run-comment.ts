/**
 * comment-from-artifact mode, for a `workflow_run` workflow that runs with the base repository's
 * token after a fork PR's measuring run: download each meshgate-pr-<profile> artifact of the
 * triggering run, validate it with zod, confirm its PR number through the API (the PR's head must
 * be the run's head SHA), render the report with this repository's code and comment.
 * Files from the artifact are only ever parsed as JSON; nothing from them reaches a shell.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBaselineOrigin } from '../baseline/store.js';
import { UserError, errorMessage } from '../errors.js';
import type { ArtifactRef } from '../github/artifacts.js';
import { commentMarker } from '../github/comment.js';
import { runPageUrl, type WorkflowRunInfo } from '../github/context.js';
import { HANDOFF_FILE, HANDOFF_PREFIX, HANDOFF_RESULTS_FILE, parseHandoff } from '../github/handoff.js';
import { composeComment } from '../github/report-body.js';
import { pullRequestHead } from '../github/runs.js';
import { renderComment } from '../report/comment/comment.js';
import { inlineText } from '../report/safe-text.js';
import { PROFILE_LIMITS } from '../profile/schema.js';
import { parseResults } from '../results/io.js';
import type { Results } from '../results/schema.js';
import { readBoundedText } from '../system/bounded-read.js';
import type { ActionDeps } from './deps.js';
import type { Settings } from './inputs.js';
import { trustedBaseline } from './handoff-baseline.js';
import { publishComment } from './publish.js';
import type { ActionOutcome } from './outputs.js';
import { runLinks } from './run-measure.js';

interface Commented {
  profile: string;
  pullRequest: number;
  verdict: string;
  commentUrl?: string;
}

/**
 * A fork's hand-off is read by the privileged comment job, so it is held to what a real run
 * makes: at most 16 MiB (a run of 12 trials × 4 variants with 1 s intervals is a few MB), checked
 * before it is read, and at most PROFILE_LIMITS.maxTrials trials per variant, checked before the
 * verdict is computed (a forged 7.8 MB file of 2 × 5,000 trials took 57 s and 2.9 GB here).
 */
export const MAX_HANDOFF_FILE_BYTES = 16 * 1024 * 1024;

async function readJson(directory: string, file: string, where: string): Promise<string> {
  try {
    return await readBoundedText(join(directory, file), {
      maxBytes: MAX_HANDOFF_FILE_BYTES,
      what: file,
      where,
    });
  } catch (error) {
    throw new Error(errorMessage(error));
  }
}

function checkTrialCounts(results: Results, where: string): void {
  const largest = results.variants.find((variant) => variant.trials.length > PROFILE_LIMITS.maxTrials);
  if (largest)
    throw new Error(
      `${where}: ${HANDOFF_RESULTS_FILE} holds ${largest.trials.length} trials of ${largest.id}, more than a run makes (${PROFILE_LIMITS.maxTrials})`,
    );
}

async function commentFromHandoff(
  settings: Settings,
  deps: ActionDeps,
  run: WorkflowRunInfo,
  artifact: ArtifactRef,
): Promise<Commented | undefined> {
  const { context, log } = deps;
  const where = `artifact ${artifact.name} of run ${run.id}`;
  const directory = await mkdtemp(join(tmpdir(), 'meshgate-handoff-'));
  try {
    // Within ARTIFACT_LIMITS (github/artifacts.ts), and only the two files read here: the
    // hand-off's own copy of the baseline is never used (see below).
    await deps.transport.download(artifact, directory, [HANDOFF_FILE, HANDOFF_RESULTS_FILE]);
    const handoff = parseHandoff(await readJson(directory, HANDOFF_FILE, where), where);
    const results = parseResults(
      await readJson(directory, HANDOFF_RESULTS_FILE, where),
      `${where}: ${HANDOFF_RESULTS_FILE}`,
    );
    checkTrialCounts(results, where);
    if (artifact.name !== `${HANDOFF_PREFIX}${handoff.profile}` || results.profile.name !== handoff.profile)
      throw new Error(`${where}: its files name profile "${handoff.profile}" / "${results.profile.name}"`);
    if (handoff.headSha !== run.headSha)
      throw new Error(`${where}: it was made for commit ${handoff.headSha}, not the run's ${run.headSha}`);
    const pr = await pullRequestHead(deps.client, context.repo, handoff.pullRequest);
    if (pr.baseRepoFullName !== `${context.repo.owner}/${context.repo.repo}` || pr.headSha !== run.headSha) {
      log.warn(
        `${where}: pull request #${handoff.pullRequest} has head ${pr.headSha}, not the run's ${run.headSha}; not commenting`,
      );
      return undefined;
    }
    // The hand-off's own copy of the baseline (HANDOFF_BASELINE_FILE) is the fork's to forge: fetch
    // it again from the trusted run the hand-off names.
    const trusted = await trustedBaseline(deps, handoff.baseline, handoff.profile, pr.baseRef);
    if (!trusted.results && handoff.baseline) log.warn(`${where}: no trusted baseline: ${trusted.why}`);
    const judgement = deps.judge(results, { baseline: trusted.results });
    const marker = commentMarker(handoff.profile);
    const runUrl = runPageUrl(context, run.id);
    const body = composeComment(
      marker,
      renderComment(results, judgement.verdict, {
        baselineOrigin: trusted.results
          ? describeBaselineOrigin(trusted.origin, (id) => runPageUrl(context, id))
          : handoff.baseline
            ? `No trusted baseline: ${inlineText(trusted.why, 200)}; only comparisons measured in this job decide.`
            : undefined,
        links: runLinks(runUrl),
      }),
    );
    const published = await publishComment(deps, {
      policy: settings.comment,
      author: settings.commentAuthor,
      issueNumber: handoff.pullRequest,
      marker,
      body,
      verdict: judgement.verdict.verdict,
      readOnlyToken: false,
    });
    return {
      profile: handoff.profile,
      pullRequest: handoff.pullRequest,
      verdict: judgement.verdict.verdict,
      commentUrl: published.commentUrl,
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const SEVERITY = ['pass', 'inconclusive', 'regression'];

export async function runCommentFromArtifact(settings: Settings, deps: ActionDeps): Promise<ActionOutcome> {
  const run = deps.context.workflowRun;
  if (!run)
    throw new UserError(
      `mode comment-from-artifact runs in a workflow triggered by workflow_run, not by "${deps.context.eventName}"`,
    );
  const artifacts = (await deps.transport.listForRun(run.id)).filter(
    (a) => a.name.startsWith(HANDOFF_PREFIX) && !a.expired,
  );
  const done: Commented[] = [];
  for (const artifact of artifacts) {
    try {
      const commented = await deps.log.group(`comment from ${artifact.name}`, () =>
        commentFromHandoff(settings, deps, run, artifact),
      );
      if (commented) done.push(commented);
    } catch (error) {
      deps.log.warn(`skipped ${artifact.name}: ${errorMessage(error)}`);
    }
  }
  const lines =
    artifacts.length === 0
      ? [
          `Run [${run.id}](${runPageUrl(deps.context, run.id)}) left no \`${HANDOFF_PREFIX}*\` artifact: nothing to comment.`,
        ]
      : done.map(
          (d) =>
            `- \`${d.profile}\` on #${d.pullRequest}: **${d.verdict}**${d.commentUrl ? ` ([comment](${d.commentUrl}))` : ''}`,
        );
  await deps.writeSummary(
    `### meshgate comments\n\n${lines.join('\n') || 'No comment was posted (see the warnings).'}\n`,
  );
  const worst = done.map((d) => d.verdict).sort((a, b) => SEVERITY.indexOf(b) - SEVERITY.indexOf(a))[0];
  return {
    outputs: { verdict: worst ?? '', 'comment-url': done.find((d) => d.commentUrl)?.commentUrl ?? '' },
  };
}
