/**
 * One colour per variant, the same in every plot. Okabe–Ito's colour-blind-safe set (without its
 * yellow and black, which vanish on white and on dark backgrounds), then Tableau's brown and grey.
 */
import type { Results } from '../../results/schema.js';

const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#8C564B', '#7F7F7F'];

export type Colors = ReadonlyMap<string, string>;

export function variantColors(results: Results): Colors {
  return new Map(results.variants.map((variant, index) => [variant.id, PALETTE[index % PALETTE.length]]));
}
