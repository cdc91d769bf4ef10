/**
 * A regression on a row that was noisier than its threshold. The rule (decision.ts) wants the
 * estimate beyond θ and the interval's lower bound beyond θ/4; when the interval's half-width (the
 * row's minimum detectable effect) is wider than θ, an estimate beyond θ is an ordinary draw for
 * identical builds, and what keeps them from failing is the interval's level alone: up to about
 * (1 − confidence) / 2 of identical runs, 1 in 40 at 95%. On a 2-core runner at 1 ms of service,
 * p99 rows of identical builds failed in 1.3–1.9% of decisions (docs/method.md, "The rule on this
 * machine's own trials"). The note says so under the failing row, with what to do about it.
 */
import type { Check } from './verdict.js';

const LABEL: Record<string, string> = { p999: 'p99.9' };

export function noisyRegressionNotes(checks: readonly Check[], confidence: number): string[] {
  const oneIn = Math.round(2 / Math.max(1e-6, 1 - confidence));
  const notes: string[] = [];
  for (const c of checks) {
    const mde = c.minimumDetectableChange;
    if (!c.gating || c.verdict !== 'regression' || c.threshold?.kind !== 'increase' || mde == null) continue;
    if (mde <= c.threshold.maxIncrease) continue;
    notes.push(
      `${LABEL[c.metric] ?? c.metric} of ${c.variant} failed with a minimum detectable effect of ±${Math.round(mde * 100)}%, ` +
        `wider than its ${Math.round(c.threshold.maxIncrease * 100)}% threshold: at this noise identical builds can fail it too, ` +
        `up to about 1 run in ${oneIn} at ${+(confidence * 100).toFixed(1)}% confidence. ` +
        // Plain text: the comment escapes markdown in notes, so a code span would show its backticks.
        'A re-run tells; a profile with gate confidence 98% makes such failures rarer and detects less.',
    );
  }
  return notes;
}
