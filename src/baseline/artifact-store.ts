/**
 * `baseline: artifact`: baselines are artifacts named meshgate-baseline-<profile>, uploaded by runs
 * on pushes to the default branch. A pull request's run looks for the newest run that counts as
 * a baseline (github/runs.ts: BASELINE_RUN_RULE) on the PR's base branch, preferring the run of
 * the PR's merge-base commit, and says which one it used.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../errors.js';
import type { ArtifactRef, ArtifactTransport } from '../github/artifacts.js';
import type { GitHubClient } from '../github/client.js';
import { runPageUrl, type RunContext } from '../github/context.js';
import {
  mergeBaseSha,
  orderBaselineCandidates,
  BASELINE_RUN_RULE,
  baselineRuns,
  workflowIdOfRun,
  type BaselineCandidate,
} from '../github/runs.js';
import { IncompatibleSchemaError } from '../results/compat.js';
import { parseResults } from '../results/io.js';
import type { Logger } from '../util/log.js';
import {
  baselineArtifactName,
  describeBaselineOrigin,
  foreignProfileProblem,
  type BaselineOrigin,
  type BaselineStore,
} from './store.js';

/** Runs to try before giving up (each costs one API call). */
const MAX_CANDIDATES = 10;
/** The file inside the artifact. */
export const BASELINE_FILE = 'results.json';

export interface ArtifactStoreOptions {
  client: GitHubClient;
  context: RunContext;
  transport: ArtifactTransport;
  log: Logger;
  retentionDays?: number;
}

export function artifactBaselineStore(options: ArtifactStoreOptions): BaselineStore {
  const { context, transport, log } = options;
  return {
    kind: 'artifact',
    async load(profileName) {
      const pr = context.pullRequest;
      if (!pr)
        return { status: 'missing', note: 'No baseline: baselines are looked up for pull requests only.' };
      const name = baselineArtifactName(profileName);
      let found: Awaited<ReturnType<typeof findArtifact>>;
      try {
        found = await findArtifact(options, name);
      } catch (error) {
        const warning = `could not look up baseline artifact ${name}: ${errorMessage(error)} (does the token have \`actions: read\`?); continuing with same-job comparisons`;
        log.warn(warning);
        return {
          status: 'unusable',
          warning,
          note: `⚠️ The baseline \`${name}\` could not be looked up; only same-job comparisons decide.`,
        };
      }
      if (found?.expired)
        return {
          status: 'missing',
          note: `No live baseline: the artifact \`${name}\` of [run #${found.expired.runNumber}](${runPageUrl(context, found.expired.id)}) has expired (artifact retention); the next push to \`${pr.baseRef}\` saves a new one. Only same-job comparisons decide.`,
        };
      if (!found)
        return {
          status: 'missing',
          note: `No baseline yet: none of the ${BASELINE_RUN_RULE} (\`${pr.baseRef}\`) has an artifact \`${name}\`. Only same-job comparisons decide.`,
        };
      const { artifact, run } = found;
      const runUrl = runPageUrl(context, run.id);
      const where = `artifact ${name} of run ${run.id} (${runUrl})`;
      try {
        const results = await downloadResults(transport, artifact);
        const problem = foreignProfileProblem(results, profileName);
        if (problem) throw new Error(problem);
        const origin: BaselineOrigin = {
          kind: 'artifact',
          artifactName: name,
          runId: run.id,
          runNumber: run.runNumber,
          headSha: run.headSha,
          baseRef: pr.baseRef,
          matchesMergeBase: run.matchesMergeBase,
          conclusion: run.conclusion,
        };
        return {
          status: 'found',
          results,
          origin,
          note: describeBaselineOrigin(origin, (id) => runPageUrl(context, id)),
        };
      } catch (error) {
        const warning = `baseline ${where} is unusable: ${errorMessage(error)}; continuing with same-job comparisons`;
        log.warn(warning);
        // Another release's format (an upgrade of meshgate in this PR, or on the base branch): say
        // so, and when the next baseline comes; the check itself goes on without it.
        const why =
          error instanceof IncompatibleSchemaError
            ? ` was ${error.reason}. It is skipped; the next push to \`${pr.baseRef}\` saves a baseline in this format`
            : ' is unusable';
        return {
          status: 'unusable',
          warning,
          note: `⚠️ The baseline artifact \`${name}\` of [run #${run.runNumber}](${runUrl})${why}; only same-job comparisons decide.`,
        };
      }
    },
    async save(results, resultsFile) {
      const name = baselineArtifactName(results.profile.name);
      if (basename(resultsFile) !== BASELINE_FILE)
        throw new Error(`the baseline file must be called ${BASELINE_FILE}`);
      const { id } = await transport.upload(name, [resultsFile], dirname(resultsFile), options.retentionDays);
      log.info(`saved baseline artifact ${name}${id ? ` (id ${id})` : ''}`);
      return `Baseline saved as artifact \`${name}\` of this run.`;
    },
  };
}

async function findArtifact(
  { client, context, transport, log }: ArtifactStoreOptions,
  name: string,
): Promise<
  | { artifact: ArtifactRef; run: BaselineCandidate; expired?: undefined }
  | { artifact?: undefined; run?: undefined; expired: BaselineCandidate }
  | undefined
> {
  const pr = context.pullRequest!;
  const workflowId = await workflowIdOfRun(client, context.repo, context.runId);
  const mergeBase = await mergeBaseSha(client, context.repo, pr.baseSha, pr.headSha);
  log.debug(
    `baseline: workflow ${workflowId}, base branch ${pr.baseRef}, merge base ${mergeBase ?? 'unknown'}`,
  );
  const query = { repo: context.repo, workflowId, branch: pr.baseRef };
  const runs = [
    ...(mergeBase ? await baselineRuns(client, { ...query, headSha: mergeBase, perPage: 5 }) : []),
    ...(await baselineRuns(client, query)),
  ];
  const candidates = orderBaselineCandidates(runs, { mergeBase, excludeRunId: context.runId }).slice(
    0,
    MAX_CANDIDATES,
  );
  let expired: BaselineCandidate | undefined;
  for (const run of candidates) {
    const artifacts = (await transport.listForRun(run.id, name)).filter((a) => a.name === name);
    const artifact = artifacts.find((a) => !a.expired);
    if (artifact) return { artifact, run };
    if (artifacts.length > 0) expired ??= run;
    log.debug(`baseline: run ${run.id} has no live artifact ${name}`);
  }
  return expired && { expired };
}

/** Download into a fresh directory, read results.json, validate it with zod. */
async function downloadResults(transport: ArtifactTransport, artifact: ArtifactRef) {
  const directory = await mkdtemp(join(tmpdir(), 'meshgate-baseline-'));
  try {
    await transport.download(artifact, directory, [BASELINE_FILE]);
    let text: string;
    try {
      text = await readFile(join(directory, BASELINE_FILE), 'utf8');
    } catch {
      throw new Error(`it has no ${BASELINE_FILE}`);
    }
    return parseResults(text, BASELINE_FILE);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
