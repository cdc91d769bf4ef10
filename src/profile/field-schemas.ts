/**
 * Field schemas shared by the profile's sections (schema.ts, capacity-schema.ts): durations with
 * a unit and percentages, each transformed into the normalised number (ms, fraction).
 */
import { z } from 'zod';
import { parseDurationMs, parsePercent } from '../util/units.js';

/** "250us", "500ms", "15s", "2m" (or 0) → milliseconds. */
export const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (value === 0) return 0;
  const ms = typeof value === 'string' ? parseDurationMs(value) : undefined;
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected a duration with a unit, like 250us, 500ms, 15s or 2m',
    });
    return z.NEVER;
  }
  return ms;
});

/**
 * "10%" or a fraction up to 1 (0.1). A bare number above 1 is an error, not a fraction: the
 * `max_increase: 10` that meant 10% would otherwise be +1000%.
 */
export const fraction = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'number' && value > 1) {
    ctx.addIssue({
      code: 'custom',
      message: `a bare number is a fraction (1 = 100%); write ${value}% for ${value} percent, or ${value / 100} as a fraction`,
    });
    return z.NEVER;
  }
  const parsed = typeof value === 'number' ? value : parsePercent(value);
  if (parsed === undefined || !Number.isFinite(parsed) || parsed < 0) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected a percentage like 10% (or a fraction from 0 to 1 like 0.1)',
    });
    return z.NEVER;
  }
  return parsed;
});
