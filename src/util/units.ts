/** Parsing of the profile's human units: durations ("15s", "500ms", "1m", "250us") and percentages ("10%"). */

const DURATION = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)$/;
const FACTOR_MS: Record<string, number> = { us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration string, or undefined when it is not one (e.g. "1m30", "5", "-1s"). */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * FACTOR_MS[match[2]];
}

/** A duration in the shortest exact unit: 1500 → "1500ms", 60000 → "60s", 0.25 → "250us". */
export function formatDurationMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  if (Number.isInteger(ms)) return `${ms}ms`;
  return `${Math.round(ms * 1000)}us`;
}

const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;

/** A fraction from "10%" (→ 0.1); undefined when it is not a percentage. */
export function parsePercent(text: string): number | undefined {
  const match = PERCENT.exec(text.trim());
  return match ? Number(match[1]) / 100 : undefined;
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}
