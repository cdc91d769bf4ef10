/**
 * The one way each kind of number is written, shared by the verdict's notes and every renderer
 * (terminal, comment, HTML report): the same value prints the same digits wherever it appears.
 */

const sign = (value: number) => (value >= 0 ? '+' : '−');

/** A relative change at one decimal, without the % sign: "+20.4", "−3.1". */
export function signedPercentNumber(fraction: number): string {
  return `${sign(fraction)}${Math.abs(fraction * 100).toFixed(1)}`;
}

/** A relative change at one decimal: "+20.4%", "−3.1%". */
export function signedPercent(fraction: number): string {
  return `${signedPercentNumber(fraction)}%`;
}

/** An interval of a relative change, in percent at one decimal: "+18.2 … +22.2". */
export function percentInterval(lower: number, upper: number): string {
  return `${signedPercentNumber(lower)} … ${signedPercentNumber(upper)}`;
}

/**
 * Decimals for a level: four significant digits, so that the change recomputed from two shown
 * levels agrees with the shown change to a tenth of a percent.
 */
export function levelDecimals(level: number): number {
  const abs = Math.abs(level);
  if (abs >= 1000) return 0;
  if (abs >= 100) return 1;
  if (abs >= 10) return 2;
  return 3;
}

/** A difference of two latency levels in ms: "+1.58 ms", "−0.31 ms", at the levels' precision. */
export function signedMs(ms: number, level = Math.abs(ms)): string {
  return `${sign(ms)}${Math.abs(ms).toFixed(levelDecimals(level))} ms`;
}

/** A minimum detectable change (a half-width, as a fraction) at one decimal: "±37.8%". */
export function plusMinusPercent(fraction: number): string {
  return `±${Math.abs(fraction * 100).toFixed(1)}%`;
}

/** A level alone at four significant digits (the digits it has in a row): 42.00, 873.1, 0.498. */
export function formatLevelNumber(value: number): string {
  return value.toFixed(levelDecimals(value));
}
