/**
 * A regression on a row that was noisier than its threshold. The rule (decision.ts) wants the
 * estimate beyond θ and the interval's lower bound beyond θ/4; when the interval's half-width (the
 * row's minimum detectable effect) is wider than θ, an estimate beyond θ is an ordinary draw for
 * identical builds, and what keeps them from failing is the interval's level alone. Such a row is
 * judged at a stricter level (95% → 98%), so identical builds fail it in about (1 − level) / 2 of
 * runs, 1 in 100. On a 2-core runner at 1 ms of service, p99 rows of identical builds failed in
 * 0.5–0.8% of resampled decisions that way (docs/method.md, "The rule on this machine's own
 * trials"). The note says so under the failing row, with what to do about it.
 */
import { noisyRowConfidence, type DecisionRule } from './decision.js';
import type { Check } from './verdict.js';

const LABEL: Record<string, string> = { p999: 'p99.9' };
const level = (confidence: number) => `${+(confidence * 100).toFixed(1)}%`;

export function noisyRegressionNotes(
  checks: readonly Check[],
  confidence: number,
  rule: DecisionRule,
): string[] {
  const judgedAt = noisyRowConfidence(confidence, rule);
  const oneIn = Math.round(2 / Math.max(1e-6, 1 - judgedAt));
  const notes: string[] = [];
  for (const c of checks) {
    const mde = c.minimumDetectableChange;
    if (!c.gating || c.verdict !== 'regression' || c.threshold?.kind !== 'increase' || mde == null) continue;
    if (mde <= c.threshold.maxIncrease) continue;
    const stricter =
      judgedAt > confidence
        ? `, so it was judged at ${level(judgedAt)} rather than ${level(confidence)}`
        : '';
    notes.push(
      `${LABEL[c.metric] ?? c.metric} of ${c.variant} failed with a minimum detectable effect of ±${Math.round(mde * 100)}%, ` +
        `wider than its ${Math.round(c.threshold.maxIncrease * 100)}% threshold${stricter}: at this noise identical builds can fail it too, ` +
        `about 1 run in ${oneIn}. ` +
        // Plain text: the comment escapes markdown in notes, so a code span would show its backticks.
        'A re-run tells; more trials (trials, max_trials) or a quieter runner narrow the interval.',
    );
  }
  return notes;
}
