/**
 * Settings that are valid but cannot do what a profile is for. Printed as warnings by `validate`,
 * `run` and the action; they do not stop the run.
 */
import type { Profile } from './types.js';

export function profileWarnings(profile: Profile, file: string): string[] {
  const warnings: string[] = [];
  // A capacity search runs steps, not trials (src/capacity/): trials do not apply to it.
  if (profile.trials < 3 && !profile.load.capacity)
    warnings.push(
      `${file}: trials: ${profile.trials} trial${profile.trials === 1 ? '' : 's'} per variant ${profile.trials === 1 ? 'cannot estimate the noise: every verdict will be inconclusive' : 'give an interval so wide that most verdicts will be inconclusive'}; use at least 3 (6 recommended)`,
    );
  return warnings;
}
