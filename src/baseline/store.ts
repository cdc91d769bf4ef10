/**
 * Where baselines live. A BaselineStore finds the results to compare this run with, and saves
 * this run's results as the baseline of later runs. A missing baseline is never a failure; an
 * unusable one is a warning and the gate continues with the same-job comparisons.
 * Implementations: artifact-store.ts (GitHub artifacts), file-store.ts (a path), none (below).
 */
import { BASELINE_RUN_RULE } from '../github/runs.js';
import type { Results } from '../results/schema.js';

/** Where a baseline came from, as data (it travels in the fork hand-off artifact, and is re-described). */
export type BaselineOrigin =
  | {
      kind: 'artifact';
      artifactName: string;
      runId: number;
      runNumber: number;
      headSha: string;
      baseRef: string;
      /** The run built the PR's merge-base commit (otherwise: the newest run on the base branch). */
      matchesMergeBase: boolean;
      /** The run's conclusion (absent in hand-offs written before it was recorded). */
      conclusion?: string;
    }
  | { kind: 'file'; path: string };

/** One markdown sentence naming the baseline, for the comment and the summary. */
export function describeBaselineOrigin(origin: BaselineOrigin, runUrlOf: (runId: number) => string): string {
  if (origin.kind === 'file') return `Baseline: \`${origin.path}\`.`;
  const sha = origin.headSha.slice(0, 7);
  const which = origin.matchesMergeBase
    ? `the run for the PR's merge base \`${sha}\``
    : `the newest push run on \`${origin.baseRef}\` (commit \`${sha}\`; none for the merge base)`;
  const failed =
    origin.conclusion === 'failure'
      ? ' That run failed after saving its baseline (its own gate or a later step); its measurements still describe the branch.'
      : '';
  return `Baseline: [run #${origin.runNumber}](${runUrlOf(origin.runId)}), ${which}.${failed} Baselines come from ${BASELINE_RUN_RULE}.`;
}

export type BaselineLookup =
  | { status: 'found'; results: Results; origin: BaselineOrigin; note: string }
  | { status: 'missing'; note: string }
  | { status: 'unusable'; note: string; warning: string };

export interface BaselineStore {
  readonly kind: 'artifact' | 'file' | 'none';
  /** Find the baseline of a profile. Never throws for a missing or bad baseline. */
  load(profileName: string): Promise<BaselineLookup>;
  /** Store `results` (already written to `resultsFile`) as the profile's baseline; returns a note. */
  save(results: Results, resultsFile: string): Promise<string>;
}

export type BaselineSpec = { kind: 'artifact' } | { kind: 'file'; path: string } | { kind: 'none' };

/** Artifact that holds a profile's baseline (one per profile, from pushes to the default branch). */
export function baselineArtifactName(profileName: string): string {
  return `meshgate-baseline-${profileName}`;
}

/** Check that a parsed baseline belongs to the profile being gated. */
export function foreignProfileProblem(results: Results, profileName: string): string | undefined {
  const name = results.profile.name;
  return name === profileName ? undefined : `it holds results of profile "${name}", not "${profileName}"`;
}

export const noBaselineStore: BaselineStore = {
  kind: 'none',
  async load() {
    return {
      status: 'missing',
      note: 'Baseline comparison is off (`baseline: none`); only same-job comparisons decide.',
    };
  },
  async save() {
    return 'Not saved: `baseline: none`.';
  },
};
