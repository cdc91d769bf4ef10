/**
 * The baseline of a fork hand-off, fetched again from where the hand-off says it came from. The
 * hand-off artifact is written by a fork's run, so its copy of the baseline is the fork's to
 * forge; only the run it names is looked at, and only if that run counts as a baseline
 * (github/runs.ts: BASELINE_RUN_RULE) — a push run of this repository on the PR's base branch.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASELINE_FILE } from '../baseline/artifact-store.js';
import { baselineArtifactName, foreignProfileProblem, type BaselineOrigin } from '../baseline/store.js';
import { countsAsBaseline, runSummary } from '../github/runs.js';
import { IncompatibleSchemaError } from '../results/compat.js';
import { parseResults } from '../results/io.js';
import type { Results } from '../results/schema.js';
import type { ActionDeps } from './deps.js';

export type TrustedBaseline =
  { results: Results; origin: BaselineOrigin } | { results?: undefined; why: string };

export async function trustedBaseline(
  deps: Pick<ActionDeps, 'client' | 'context' | 'transport'>,
  origin: BaselineOrigin | null,
  profile: string,
  baseRef: string,
): Promise<TrustedBaseline> {
  if (!origin) return { why: 'the measuring run found none' };
  if (origin.kind === 'file')
    return {
      why: `the baseline file \`${origin.path}\` was read from the fork's checkout and cannot be trusted here`,
    };
  const name = baselineArtifactName(profile);
  if (origin.artifactName !== name)
    return { why: `the hand-off names artifact ${origin.artifactName}, not ${name}` };
  const { repo } = deps.context;
  const run = await runSummary(deps.client, repo, origin.runId);
  const problem =
    countsAsBaseline(run, repo) ??
    (run.headBranch === baseRef ? undefined : `it ran on ${run.headBranch}, not ${baseRef}`);
  if (problem) return { why: `run ${origin.runId} named by the hand-off is no baseline: ${problem}` };
  const artifact = (await deps.transport.listForRun(run.id, name)).find((a) => a.name === name && !a.expired);
  if (!artifact) return { why: `run ${run.id} has no live artifact ${name}` };
  const directory = await mkdtemp(join(tmpdir(), 'meshgate-trusted-baseline-'));
  try {
    await deps.transport.download(artifact, directory, [BASELINE_FILE]);
    let results;
    try {
      results = parseResults(
        await readFile(join(directory, BASELINE_FILE), 'utf8'),
        `artifact ${name} of run ${run.id}: ${BASELINE_FILE}`,
      );
    } catch (error) {
      // Another release's format: the comment goes on without a baseline, and says why.
      if (error instanceof IncompatibleSchemaError)
        return { why: `artifact ${name} of run ${run.id} was ${error.reason}` };
      throw error;
    }
    const foreign = foreignProfileProblem(results, profile);
    if (foreign) return { why: `artifact ${name} of run ${run.id}: ${foreign}` };
    return {
      results,
      origin: { ...origin, runNumber: run.runNumber, headSha: run.headSha, conclusion: run.conclusion },
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
