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

/** Progress lines wrap nowhere in a 100-column terminal or the action's log (issue #34). */
export const PROGRESS_WIDTH = 100;

/**
 * `line(variant)` with the variant id shortened (an ellipsis marks the cut) so that the whole
 * line fits PROGRESS_WIDTH; the numbers are never cut, and a variant keeps at least 10 characters.
 */
export function fitVariant(line: (variant: string) => string, variantId: string): string {
  const room = Math.max(10, PROGRESS_WIDTH - Array.from(line('')).length);
  const chars = Array.from(variantId);
  return line(chars.length <= room ? variantId : `${chars.slice(0, room - 1).join('')}…`);
}

export function progressLine(state: ProgressState): string {
  const perTrialS = state.done > 0 ? state.elapsedS / state.done : state.trialS;
  const leftS = Math.max(0, state.plannedNow - state.done) * perTrialS;
  const most =
    state.plannedMax > state.plannedNow
      ? ` (if inconclusive: ≤ ${state.plannedMax} trials, ~${clock(Math.max(0, state.plannedMax - state.done) * perTrialS)})`
      : '';
  return fitVariant(
    (variant) =>
      `trial ${state.done + 1}/${state.plannedNow} · ${variant} · ${clock(state.elapsedS)} elapsed · ~${clock(leftS)} left${most}`,
    state.variantId,
  );
}

export interface StepProgressState {
  /** The step's number in its variant's search, from 1, and how many times it was re-run. */
  step: number;
  reruns: number;
  variantId: string;
  rps: number;
  elapsedS: number;
  /** Load seconds of the profile's max_time not yet spent. */
  budgetLeftS: number;
}

/**
 * A capacity step's line. The search stops when the steps' answers allow, not at a known end, so
 * the time shown is the max_time budget left (an upper bound), named as such — not an estimate.
 */
export function stepProgressLine(state: StepProgressState): string {
  return fitVariant(
    (variant) =>
      `step ${state.step}${state.reruns > 0 ? ` (re-run ${state.reruns})` : ''} · ${variant} at ${state.rps} requests/s · ${clock(state.elapsedS)} elapsed · budget: ${clock(state.budgetLeftS)} of load left`,
    state.variantId,
  );
}
