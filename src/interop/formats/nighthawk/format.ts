/** Nighthawk's JSON output: detection and precision. */
import { isObject, type ImportFormat } from '../types.js';
import { importNighthawk } from './reader.js';

const NIGHTHAWK_PRECISION =
  "percentile ladder: counts exact, each of Nighthawk's ladder percentiles kept to 3 significant digits, " +
  'values between two steps placed at the upper one; latency from the actual send';

export const nighthawkFormat: ImportFormat = {
  name: 'nighthawk',
  content: 'json',
  noun: 'a Nighthawk JSON output',
  mark: `Nighthawk's (no "results" field)`,
  detect: ({ json }) => isObject(json) && 'results' in json,
  read: ({ json, file }) => ({
    precision: NIGHTHAWK_PRECISION,
    groups: [{ tag: '', trials: [importNighthawk(json, file)] }],
  }),
};
