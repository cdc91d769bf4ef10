/**
 * Sequential extension: when a verdict is inconclusive, the runner adds trial pairs and decides
 * again. Deciding at every look at the full α would raise the false-alarm rate with each peek,
 * so each look uses Pocock's constant nominal level: with K planned looks, every look tests at
 * the level that keeps the overall two-sided error at α (Pocock 1977; for α = 5%: 1 look 5%,
 * 2 looks 2.94%, 3 looks 2.21%, 4 looks 1.82%). Pocock rather than O'Brien–Fleming because the
 * gate wants early answers: O'Brien–Fleming makes the first look nearly impossible to pass.
 */
import { normalCdf, normalQuantile } from './distributions.js';

/** Pocock critical values for two-sided α = 0.05, K = 1..10 looks. */
const POCOCK_Z_5PCT = [1.96, 2.178, 2.289, 2.361, 2.413, 2.453, 2.485, 2.512, 2.535, 2.555];

/**
 * Confidence level to use at every look when `maxLooks` looks are planned. Pocock's constants
 * are tabulated for α = 5%; other levels scale the nominal α by the same factor, and beyond 10
 * looks Bonferroni (α / K) takes over. Both are conservative enough for a gate.
 */
export function confidencePerLook(confidence: number, maxLooks: number): number {
  const looks = Math.max(1, Math.floor(maxLooks));
  if (looks === 1) return confidence;
  const alpha = 1 - confidence;
  if (looks > POCOCK_Z_5PCT.length) return 1 - alpha / looks;
  const nominalAt5 = 2 * (1 - normalCdf(POCOCK_Z_5PCT[looks - 1]));
  return 1 - alpha * (nominalAt5 / 0.05);
}

/**
 * Trials per variant at each look: first `trials`, then `step` more at a time up to `maxTrials`.
 * The default step adds half the initial trials again, so 6 → 9 → 12 (three looks).
 */
export function planLooks(
  trials: number,
  maxTrials: number,
  step = Math.max(1, Math.ceil(trials / 2)),
): number[] {
  const looks = [Math.max(1, trials)];
  while (looks[looks.length - 1] < maxTrials) looks.push(Math.min(maxTrials, looks[looks.length - 1] + step));
  return looks;
}

/** Two-sided z for a confidence level (for messages and checks). */
export const zForConfidence = (confidence: number): number => normalQuantile(1 - (1 - confidence) / 2);
