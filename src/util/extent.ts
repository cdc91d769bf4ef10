/**
 * Smallest and largest of many numbers. `Math.min(...values)` passes every value as an argument
 * and throws a RangeError past ~120,000 of them (a results file may hold 100,000 intervals per
 * trial); these loop. Like Math.min/max: Infinity / -Infinity for none, NaN if any is NaN.
 */
export function minOf(values: Iterable<number>): number {
  let low = Infinity;
  for (const value of values) {
    if (Number.isNaN(value)) return NaN;
    if (value < low) low = value;
  }
  return low;
}

export function maxOf(values: Iterable<number>): number {
  let high = -Infinity;
  for (const value of values) {
    if (Number.isNaN(value)) return NaN;
    if (value > high) high = value;
  }
  return high;
}
