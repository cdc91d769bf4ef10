/**
 * The sequential design: the looks a profile plans (trials per variant at each), where a results
 * file stands in that plan, and whether the experiment should go on after a look. Shared by the
 * experiment and by a verdict computed later (`meshgate check`), so both use the same per-look
 * confidence.
 */
import { isCapacityRun } from '../capacity/describe.js';
import type { Profile } from '../profile/types.js';
import type { Results } from '../results/schema.js';
import { planLooks } from '../stats/sequential.js';
import { minOf } from '../util/extent.js';
import { decide, needsMoreTrials } from './decide.js';

/** Trials per variant at each look of a profile's sequential design. */
export function lookPlan(profile: Pick<Profile, 'trials' | 'maxTrials'>): number[] {
  return planLooks(profile.trials, Math.max(profile.trials, profile.maxTrials));
}

/** Where a results file stands in its profile's plan: this look and the planned number. */
export function lookOf(results: Results): { look: number; maxLooks: number } {
  // A capacity search has no looks: its steps are not trials added while a verdict is inconclusive.
  if (isCapacityRun(results)) return { look: 1, maxLooks: 1 };
  const profile = results.profile as unknown as Partial<Profile>;
  const trials = minOf(results.variants.map((v) => v.trials.length));
  if (typeof profile.trials !== 'number' || typeof profile.maxTrials !== 'number')
    return { look: 1, maxLooks: 1 };
  const looks = lookPlan({ trials: profile.trials, maxTrials: profile.maxTrials });
  const reached = looks.filter((n) => n <= trials).length;
  return { look: Math.max(1, reached), maxLooks: looks.length };
}

/** For the experiment: after look `look`, should more trials run? */
export function shouldExtend(results: Results, look: number, maxLooks: number, baseline?: Results): boolean {
  return needsMoreTrials(decide(results, { baseline, look, maxLooks }));
}

/** Options for measure() that run the profile's sequential design (extend while inconclusive). */
export function sequentialDesign(
  profile: Pick<Profile, 'trials' | 'maxTrials'>,
  baseline?: Results,
): { looks: number[]; shouldExtend: (results: Results, look: number) => boolean } {
  const looks = lookPlan(profile);
  return { looks, shouldExtend: (results, look) => shouldExtend(results, look, looks.length, baseline) };
}
