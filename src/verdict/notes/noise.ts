/**
 * A regression on a row that was noisier than its threshold. The rule (verdict/rule.ts) wants the
 * estimate beyond θ and the interval's lower bound beyond θ/4; when the pairs' bulk spreads wider
 * than θ, an estimate beyond θ is an ordinary draw for identical builds, and what keeps them from
 * failing is the interval's level alone. Such a row is judged at a stricter level (95% → 98%), so
 * identical builds fail it in up to about (1 − level) / 2 of runs, 1 in 100. On a 2-core runner at
 * 1 ms of service, p99 rows of identical builds failed in 0.1–0.9% of resampled decisions that way
 * (docs/method.md, "The rule on this machine's own trials"). The note says so under the failing
 * row, with what to do about it. With the stricter level turned off (the rule's noisyAlphaFactor
 * at 1), it speaks of every failing row whose interval is wider than θ, at the look's level.
 */
import { levelText, noisyRowConfidence, type DecisionRule } from '../rule.js';
import { plusMinusPercent } from '../../util/numbers.js';
import type { VerdictRow } from '../schema.js';
import { metricName } from '../metric-names.js';

export function noisyRegressionNotes(
  checks: readonly VerdictRow[],
  confidence: number,
  rule: DecisionRule,
): string[] {
  const judgedAt = noisyRowConfidence(confidence, rule);
  const notes: string[] = [];
  for (const c of checks) {
    const mde = c.minimumDetectableChange;
    if (!c.gating || c.verdict !== 'regression' || c.threshold?.kind !== 'increase' || mde == null) continue;
    // Judged at the stricter level: the bulk of its pairs, not one outlier pair, was wider than θ (ratio-row.ts).
    const stricter = c.lookConfidence !== undefined;
    if (!stricter && (judgedAt > confidence || mde <= c.threshold.maxIncrease)) continue;
    const at = stricter ? judgedAt : confidence;
    notes.push(
      `${metricName(c.metric)} of ${c.variant} failed with a minimum detectable effect of ${plusMinusPercent(mde)}, ` +
        `wider than its ${Math.round(c.threshold.maxIncrease * 100)}% threshold` +
        (stricter
          ? `, so it was judged at ${levelText(judgedAt)} rather than ${levelText(confidence)}`
          : '') +
        `: at this noise identical builds can fail it too, about 1 run in ${Math.round(2 / Math.max(1e-6, 1 - at))}. ` +
        // Plain text: the comment escapes markdown in notes, so a code span would show its backticks.
        'A re-run tells; more trials (trials, max_trials) or a quieter runner narrow the interval.',
    );
  }
  return notes;
}
