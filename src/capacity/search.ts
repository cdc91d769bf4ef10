/**
 * The capacity search of one variant, as a pure state machine: which rate to try next, and what
 * the steps so far say about the capacity (the highest rate at which the SLO holds).
 *
 * 1. Ramp: start at min_rps and double after every pass (capped at max_rps). A fail at min_rps
 *    ends the search: the capacity is below min_rps. A pass at max_rps ends it too: the capacity
 *    is at least max_rps.
 * 2. Bisect: between the highest passing rate L and the lowest failing rate U, try their geometric
 *    mean (rates are whole numbers), until U / L − 1 ≤ precision.
 *
 * Why this shape: doubling reaches any capacity in log2(max/min) steps without first loading the
 * system at max_rps (an overloaded server carries its backlog into the next step's warm-up), and
 * bisecting on a log scale makes every step halve the relative uncertainty, which is what the
 * precision is stated in: from one doubling (U / L = 2) to 5% takes four steps.
 * The capacity is reported as L, a rate that was measured to hold; the true one lies in [L, U).
 */

export const RAMP_FACTOR = 2;

export type StopReason = 'precision' | 'above_max' | 'below_min' | 'resolution' | 'time';

export interface SearchSettings {
  minRps: number;
  maxRps: number;
  precision: number;
}

export interface SearchState {
  /** Highest rate at which the SLO held (undefined: none yet). */
  lowerRps?: number;
  /** Lowest rate above lowerRps at which it did not (undefined: none yet). */
  upperRps?: number;
  /** The rate of the next step, while the search goes on. */
  nextRps?: number;
  /** Why the search ended, once it has. */
  stop?: StopReason;
}

export function startSearch(settings: SearchSettings): SearchState {
  return { nextRps: settings.minRps };
}

/** U / L − 1, or undefined while either end is missing. */
export function bracketWidth(state: Pick<SearchState, 'lowerRps' | 'upperRps'>): number | undefined {
  return state.lowerRps !== undefined && state.upperRps !== undefined ? state.upperRps / state.lowerRps - 1 : undefined;
}

/** The state after a step at `rps` passed or failed. */
export function afterStep(state: SearchState, settings: SearchSettings, rps: number, passed: boolean): SearchState {
  if (state.stop) return state;
  const lowerRps = passed ? Math.max(rps, state.lowerRps ?? 0) : state.lowerRps;
  const upperRps = passed ? state.upperRps : Math.min(rps, state.upperRps ?? Infinity);
  const bracket = { lowerRps, upperRps };
  if (lowerRps === undefined) return { ...bracket, stop: 'below_min' };
  if (upperRps === undefined) {
    if (lowerRps >= settings.maxRps) return { ...bracket, stop: 'above_max' };
    return { ...bracket, nextRps: Math.min(settings.maxRps, roundRate(lowerRps * RAMP_FACTOR)) };
  }
  if (upperRps / lowerRps - 1 <= settings.precision) return { ...bracket, stop: 'precision' };
  const middle = roundRate(Math.sqrt(lowerRps * upperRps));
  // Whole rates cannot split a bracket like 3 … 4 any further.
  if (middle <= lowerRps || middle >= upperRps) return { ...bracket, stop: 'resolution' };
  return { ...bracket, nextRps: middle };
}

/** Whole requests per second. */
const roundRate = (rps: number): number => Math.round(rps);

/** The search ended without finishing (the time budget ran out). */
export const outOfTime = (state: SearchState): SearchState =>
  state.stop ? state : { lowerRps: state.lowerRps, upperRps: state.upperRps, stop: 'time' };

/** Steps a search may need in the worst case, without retries: for planning and messages. */
export function worstCaseSteps(settings: SearchSettings): number {
  const ramp = Math.ceil(Math.log2(settings.maxRps / settings.minRps)) + 1;
  const bisect = Math.max(0, Math.ceil(Math.log2(Math.log(RAMP_FACTOR) / Math.log(1 + settings.precision))));
  return ramp + bisect;
}
