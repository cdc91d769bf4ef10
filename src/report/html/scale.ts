/** Axis scales and tick choice for the SVG plots. */
import { maxOf, minOf } from '../../util/extent.js';

export interface Tick {
  value: number;
  label: string;
}

export interface Scale {
  (value: number): number;
  domain: [number, number];
}

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const span = d1 - d0 || 1;
  const scale = ((value: number) => range[0] + ((value - d0) / span) * (range[1] - range[0])) as Scale;
  scale.domain = domain;
  return scale;
}

export function logScale(domain: [number, number], range: [number, number]): Scale {
  const inner = linearScale([Math.log10(domain[0]), Math.log10(domain[1])], range);
  const scale = ((value: number) => inner(Math.log10(Math.max(value, domain[0])))) as Scale;
  scale.domain = domain;
  return scale;
}

/** A round step near span/target: 1, 2, 2.5 or 5 × 10^k. */
export function niceStep(span: number, target = 5): number {
  if (!(span > 0)) return 1;
  const raw = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= raw)! * magnitude;
  return Number(step.toPrecision(6));
}

/** A domain from `min` (or the data's minimum) up to a round value above the data's maximum. */
export function niceDomain(
  values: number[],
  options: { zero?: boolean; target?: number } = {},
): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let low = minOf(finite);
  let high = maxOf(finite);
  if (high === low) {
    // A flat series sits in the middle of the plot, not on its edge.
    const pad = low === 0 ? 1 : Math.abs(low) * 0.05;
    high += pad;
    if (options.zero === false) low -= pad;
  }
  // Values that cannot be negative (latency, rates, bytes) get no axis below zero: rounding the
  // margin down to a wide step drew a p90 axis from −500 ms (issue #34).
  const nonNegative = minOf(finite) >= 0;
  if (options.zero !== false) low = Math.min(0, low);
  else low -= (high - low) * 0.02;
  const step = niceStep(high - low, options.target);
  const round = (value: number) => Number(value.toPrecision(12));
  const floor = round(Math.floor(low / step) * step);
  return [nonNegative ? Math.max(0, floor) : floor, round(Math.ceil((high * 1.02) / step) * step)];
}

/** Labels with as many decimals as the step has: 0, 5, 10 or 0.25, 0.5, 0.75. */
export function stepFormat(step: number): (value: number) => string {
  const decimals = (String(Number(step.toPrecision(6))).split('.')[1] ?? '').length;
  return (value) => value.toFixed(Math.min(decimals, 6));
}

export function linearTicks(
  domain: [number, number],
  format?: (value: number) => string,
  target = 5,
): Tick[] {
  const step = niceStep(domain[1] - domain[0], target);
  format ??= stepFormat(step);
  const ticks: Tick[] = [];
  for (let value = Math.ceil(domain[0] / step) * step; value <= domain[1] + step * 1e-9; value += step) {
    const rounded = Number(value.toPrecision(12));
    ticks.push({ value: rounded, label: format(rounded) });
  }
  return ticks;
}

/** A log domain around positive values, widened to 1-2-5 steps. */
export function logDomain(values: number[]): [number, number] {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return [0.1, 1];
  const low = minOf(positive);
  const high = maxOf(positive);
  const steps = [1, 2, 5, 10];
  const floor = (v: number) => {
    const m = 10 ** Math.floor(Math.log10(v));
    return [...steps].reverse().find((s) => s * m <= v)! * m;
  };
  const ceil = (v: number) => {
    const m = 10 ** Math.floor(Math.log10(v));
    return steps.find((s) => s * m >= v)! * m;
  };
  const domain: [number, number] = [
    Number(floor(low * 0.95).toPrecision(6)),
    Number(ceil(high * 1.05).toPrecision(6)),
  ];
  return domain[0] === domain[1] ? [domain[0] / 2, domain[1] * 2] : domain;
}

/**
 * A log domain whose top sits close above the data (at most ~10% beyond it, on a 1-1.1-1.2-1.5-2
 * … step) instead of the next 1-2-5 step: a search bounded by max_rps 1,000 gets an axis to
 * 1,100, not 2,000.
 */
export function snugLogDomain(values: number[]): [number, number] {
  const [low] = logDomain(values);
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return [low, 1];
  const high = maxOf(positive) * 1.02;
  const magnitude = 10 ** Math.floor(Math.log10(high));
  const steps = [1, 1.1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 10];
  const top = Number((steps.find((s) => s * magnitude >= high)! * magnitude).toPrecision(6));
  return top > low ? [low, top] : [low, low * 2];
}

/**
 * Ticks of a log axis: 1-2-5 per decade, and when the domain spans less than a decade, finer
 * linear steps, so that a plot from 1 to 2 ms has more than its two ends labelled.
 */
export function logTicks(
  domain: [number, number],
  format: (value: number) => string = (v) => String(v),
): Tick[] {
  const [low, high] = domain;
  if (high / low < 10) return linearTicks(domain, undefined, 6).filter((t) => t.value > 0);
  const ticks: Tick[] = [];
  for (let exponent = Math.floor(Math.log10(low)); 10 ** exponent <= high; exponent++)
    for (const s of [1, 2, 5]) {
      const value = Number((s * 10 ** exponent).toPrecision(6));
      if (value >= low && value <= high) ticks.push({ value, label: format(value) });
    }
  return ticks;
}
