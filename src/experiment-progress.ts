/**
 * The progress line of a measurement, on stderr and in the action's log. Everything in it only
 * goes up: the trial number, the elapsed time. What is left is an estimate from the time the
 * trials so far took (the profile's trial length before the first one ends). When an inconclusive
 * verdict may add trials, the line says how many at most, instead of a percentage that would
 * fall back when they are added.
 */

export interface ProgressState {
  /** Trials finished so far (all variants). */
  done: number;
  /** Trials planned up to the current look. */
  plannedNow: number;
  /** Trials the profile allows at most (max_trials × variants). */
  plannedMax: number;
  variantId: string;
  elapsedS: number;
  /** Load seconds of one trial, warm-up included (for the estimate before any trial ended). */
  trialS: number;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function clock(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function progressLine(state: ProgressState): string {
  const perTrialS = state.done > 0 ? state.elapsedS / state.done : state.trialS;
  const leftS = Math.max(0, state.plannedNow - state.done) * perTrialS;
  const most =
    state.plannedMax > state.plannedNow
      ? ` (up to ${state.plannedMax} trials, ~${clock(Math.max(0, state.plannedMax - state.done) * perTrialS)} left, if the verdict stays inconclusive)`
      : '';
  return `trial ${state.done + 1}/${state.plannedNow} · ${state.variantId} · ${clock(state.elapsedS)} elapsed · ~${clock(leftS)} left${most}`;
}
