/**
 * measure mode: look up the baseline, measure the profile, judge, save the baseline on the
 * default branch, publish the report (comment or fork hand-off, job summary), compute outputs.
 * Returns the failure line instead of failing, so main.ts stays the only place that fails.
 */
import { join } from 'node:path';
import { createBaselineStore } from '../baseline/create.js';
import type { BaselineStore } from '../baseline/store.js';
import { errorMessage } from '../errors.js';
import { commentMarker } from '../github/comment.js';
import type { PullRequestInfo, RunContext } from '../github/context.js';
import { pullRequestHead } from '../github/runs.js';
import { composeComment, composeSummary } from '../github/report-body.js';
import { renderComment } from '../report/comment/comment.js';
import { validateProfileFiles } from '../profile/file-validation.js';
import { profileWarnings } from '../profile/warnings.js';
import { renderHtmlReport } from '../report/html/report.js';
import { historyForPullRequest, historyForPush } from '../history/action-steps.js';
import { measureIntoFile } from '../results/measured-file.js';
import type { Results } from '../results/schema.js';
import { prepareOutput, writeFileAtomic } from '../system/output-file.js';
import type { Verdict } from '../verdict/schema.js';
import type { Logger } from '../util/log.js';
import type { ActionDeps } from './deps.js';
import { publishDiagnostics } from './diagnostics-upload.js';
import { diagnosticsOf } from '../platform/registry.js';
import { uploadHandoff } from './handoff-upload.js';
import { uploadReport } from './report-upload.js';
import type { Settings } from './inputs.js';
import { measureOutputs } from './outputs.js';
import { POST_STATE } from './post-cleanup.js';
import { publishComment } from './publish.js';
import type { ActionOutcome } from './outputs.js';
import { pathFromRepositoryRoot } from '../util/repo-path.js';

/**
 * The PR's current head when it is no longer the commit this run measured (a late run must not
 * overwrite the comment of a newer one); undefined when it is the same or cannot be read.
 */
async function newerPullRequestHead(deps: ActionDeps, pr: PullRequestInfo): Promise<string | undefined> {
  try {
    const head = await pullRequestHead(deps.client, deps.context.repo, pr.number);
    return head.headSha !== pr.headSha ? head.headSha : undefined;
  } catch {
    return undefined;
  }
}

export function shouldSaveBaseline(settings: Settings, context: RunContext): boolean {
  return settings.saveBaseline === 'auto' ? context.isDefaultBranchPush : settings.saveBaseline;
}

/** The one line setFailed shows, or undefined when the gate passes. */
export function gateFailure(settings: Settings, verdict: Verdict, profileName: string): string | undefined {
  if (verdict.verdict === 'regression' && settings.failOnRegression)
    return `meshgate ${profileName}: performance regression: ${verdict.reason}`;
  if (verdict.verdict === 'inconclusive' && settings.failOnInconclusive)
    return `meshgate ${profileName}: inconclusive (fail-on-inconclusive is on): ${verdict.reason}`;
  return undefined;
}

export function runLinks(runUrl: string) {
  return [
    { label: 'workflow run', url: runUrl },
    { label: 'artifacts', url: `${runUrl}#artifacts` },
  ];
}

async function saveBaseline(
  store: BaselineStore,
  results: Results,
  file: string,
  log: Logger,
): Promise<string> {
  try {
    return await log.group('save baseline', () => store.save(results, file));
  } catch (error) {
    log.warn(`could not save the baseline: ${errorMessage(error)}`);
    return `⚠️ The baseline could not be saved: ${errorMessage(error)}`;
  }
}

export async function runMeasure(settings: Settings, deps: ActionDeps): Promise<ActionOutcome> {
  const { log, context } = deps;
  const profile = await deps.loadProfile(settings.profilePath!);
  validateProfileFiles(profile, settings.profilePath!);
  for (const warning of profileWarnings(profile, settings.profilePath!)) log.warn(warning);
  deps.saveState(
    POST_STATE,
    JSON.stringify({ platform: settings.platform ?? profile.platform, profile: profile.name }),
  );
  const directory = join(settings.resultsDir, profile.name);
  // Every file the step writes is checked (its folder created) before the baseline and the load.
  const paths = {
    results: await prepareOutput(join(directory, 'results.json'), 'results-dir'),
    verdict: await prepareOutput(join(directory, 'verdict.json'), 'results-dir'),
    report: await prepareOutput(join(directory, 'report.md'), 'results-dir'),
    html: await prepareOutput(join(directory, 'report.html'), 'results-dir'),
  };

  const store = createBaselineStore(settings.baseline, {
    ...deps,
    workingDirectory: settings.workingDirectory,
    retentionDays: settings.retentionDays,
  });
  const lookup = await log.group('baseline', () => store.load(profile.name));
  log.info(lookup.note);

  const baseline = lookup.status === 'found' ? lookup.results : undefined;
  let results: Results;
  try {
    results = await measureIntoFile(
      paths.results,
      log,
      (checkpoint) =>
        deps.measure(profile, {
          log,
          signal: deps.signal,
          platform: settings.platform,
          baseline,
          checkpoint,
        }),
      settings.profilePath
        ? { profile: pathFromRepositoryRoot(settings.profilePath, settings.workingDirectory) }
        : undefined,
    );
  } catch (error) {
    // A cluster step that failed left a diagnostics bundle: one artifact, linked from the summary.
    const diagnostics = diagnosticsOf(error);
    if (diagnostics)
      throw await publishDiagnostics(error, diagnostics, {
        profile: profile.name,
        transport: deps.transport,
        runUrl: context.runUrl,
        retentionDays: settings.retentionDays,
        writeSummary: deps.writeSummary,
        log,
      });
    throw error;
  }
  const judgement = deps.judge(results, { baseline });
  await writeFileAtomic(paths.verdict, `${JSON.stringify(judgement.verdict, null, 2)}\n`);
  log.info(judgement.text);

  await writeFileAtomic(paths.html, renderHtmlReport(results, judgement.verdict));

  const notes: string[] = [];
  if (shouldSaveBaseline(settings, context))
    notes.push(await saveBaseline(store, results, paths.results, log));
  // The history (opt-in): push runs on the default branch write it, pull requests read it.
  const historyInput = { history: settings.history, context, token: settings.token, results, log };
  const pushHistory = await historyForPush({ ...historyInput, verdict: judgement.verdict, directory });
  const prHistory = await historyForPullRequest(historyInput);
  if (pushHistory) notes.push(...pushHistory.notes);
  const dashboard = pushHistory?.dashboardFile ? [pushHistory.dashboardFile] : [];
  const reportLink = await log.group('upload report', () =>
    uploadReport(deps.transport, {
      profile: profile.name,
      directory,
      files: [paths.html, paths.results, paths.verdict, ...dashboard],
      runUrl: context.runUrl,
      retentionDays: settings.retentionDays,
      log,
    }),
  );

  // The comment body is what `meshgate check --markdown` writes for the same results; the run's
  // links and where the baseline came from are the only parts only GitHub knows.
  const body = renderComment(results, judgement.verdict, {
    // Where the baseline came from, or why there is none (expired, not saved yet, off): our text.
    // (with `baseline: none` the comment reads as `meshgate check` without --baseline does).
    baselineOrigin: settings.baseline.kind === 'none' ? undefined : lookup.note,
    links: [...(reportLink ? [reportLink] : []), ...runLinks(context.runUrl)],
    historyContext: prHistory.line,
  });
  const pr = context.pullRequest;
  const newerHead = pr ? await newerPullRequestHead(deps, pr) : undefined;
  if (newerHead)
    log.warn(`#${pr!.number} has moved on to ${newerHead}; leaving its comment to that commit's run`);
  const published = newerHead
    ? {
        notes: [
          `Not commented: #${pr!.number} has moved on to commit \`${newerHead.slice(0, 7)}\` since this run started; the run for that commit updates the comment.`,
        ],
        commentUrl: undefined,
      }
    : pr
      ? await log.group('comment', () =>
          publishComment(deps, {
            policy: settings.comment,
            author: settings.commentAuthor,
            issueNumber: pr.number,
            marker: commentMarker(profile.name),
            body: composeComment(commentMarker(profile.name), body),
            verdict: judgement.verdict.verdict,
            readOnlyToken: pr.isFork,
            handoff: () =>
              uploadHandoff(deps.transport, {
                directory: join(directory, 'handoff'),
                pullRequest: pr,
                results,
                lookup,
                retentionDays: settings.retentionDays,
              }),
          }),
        )
      : { notes: [] };

  const report = composeSummary(body, [
    ...(lookup.status === 'found' ? [] : [lookup.note]),
    ...notes,
    ...prHistory.notes,
    ...published.notes,
  ]);
  await writeFileAtomic(paths.report, report);
  // The trend goes to the job summary only: report.md stays the comment's body and its notes.
  await deps.writeSummary(pushHistory?.summary ? `${report.trimEnd()}\n\n${pushHistory.summary}` : report);
  return {
    outputs: measureOutputs(results, judgement.verdict, paths, {
      commentUrl: published.commentUrl,
      baselineRunId:
        lookup.status === 'found' && lookup.origin.kind === 'artifact' ? lookup.origin.runId : undefined,
    }),
    failure: gateFailure(settings, judgement.verdict, profile.name),
  };
}
