/** Descriptive statistics over plain arrays. Empty input gives NaN, never an exception. */

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : sum(values) / values.length;
}

export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Quantile of already sorted values, linear interpolation between order statistics (type 7). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function median(values: readonly number[]): number {
  return quantileSorted(sortedCopy(values), 0.5);
}

/** Sample variance (n − 1 denominator); NaN below two values. */
export function variance(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  const centre = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - centre) ** 2;
  return squares / (values.length - 1);
}

export function standardDeviation(values: readonly number[]): number {
  return Math.sqrt(variance(values));
}

/**
 * Coefficient of variation: sample standard deviation over the mean. NaN below two values or
 * when the mean is 0 (all-zero error counts have no meaningful CV).
 */
export function coefficientOfVariation(values: readonly number[]): number {
  const centre = mean(values);
  if (values.length < 2 || centre === 0) return NaN;
  return standardDeviation(values) / Math.abs(centre);
}
