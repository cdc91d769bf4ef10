/**
 * How many trials the variants ran, for headings: "2 variants × 9 trials" only when each ran 9;
 * when the sequential design or an early end left them uneven, the total and the range per
 * variant ("2 variants, 16 trials: 7 to 9 each"), never one variant's count as everyone's.
 */
import type { Results } from '../results/schema.js';
import { plural } from './status.js';

export function trialCountText(results: Results): string {
  const counts = results.variants.map((v) => v.trials.length);
  const least = Math.min(...counts);
  const most = Math.max(...counts);
  const variants = plural(counts.length, 'variant');
  if (least === most) return `${variants} × ${plural(most, 'trial')}`;
  const total = counts.reduce((sum, n) => sum + n, 0);
  return `${variants}, ${plural(total, 'trial')}: ${least} to ${most} each`;
}
