/**
 * What a row and a run are called where people read them. The statistics say pass, regression,
 * inconclusive, improvement or info; readers also need to know *why* a row is inconclusive: a
 * change that looks material but is not yet shown real ("likely regression, not yet shown") is not
 * the same as an interval too wide to say anything ("too noisy to judge": the interval is wider
 * than the threshold it is judged against), and neither is "not measured" (nothing to judge: a
 * capacity search that never held at min_rps, no requests). The verdict names which one
 * (`undecided`, written by the rule that wrote the reason). None is ever worded as a pass.
 */
import type { VerdictRow, OverallVerdict, Undecided, Verdict } from '../verdict/schema.js';

/** A comparison's heading, the same words in the comment and the terminal table. */
export const COMPARISON_HEADINGS: Record<VerdictRow['comparison'], string> = {
  build: 'Head vs base build',
  overhead: 'Mesh overhead',
  absolute: 'Allowances',
  'cross-job': 'Against the baseline run',
};

export type DisplayStatus =
  'regression' | 'unproven' | 'noisy' | 'unmeasured' | 'pass' | 'improvement' | 'info';

export const DISPLAY_LABEL: Record<DisplayStatus, string> = {
  regression: '❌ regression',
  unproven: '❔ likely regression, not yet shown',
  noisy: '❔ too noisy to judge',
  unmeasured: '❔ not measured',
  pass: '✅ pass',
  improvement: '🚀 improvement',
  info: 'ℹ️ report only',
};

/**
 * Short words for the terminal's 10-column status (no emoji, fixed meaning): the same statuses as
 * DISPLAY_LABEL, shortened only where a word would not fit ("too noisy" to judge, "not shown"
 * yet, "unmeasured" for not measured); the reason lines under the table use the whole words.
 */
export const DISPLAY_WORD: Record<DisplayStatus, string> = {
  regression: 'REGRESSION',
  unproven: 'not shown',
  noisy: 'too noisy',
  unmeasured: 'unmeasured',
  pass: 'pass',
  improvement: 'improved',
  info: 'info',
};

/** The threshold of a row as a fraction, when it is relative. */
export function thresholdFraction(check: VerdictRow): number | null {
  const threshold = check.threshold;
  if (!threshold) return null;
  if (threshold.kind === 'increase') return threshold.maxIncrease;
  if (threshold.kind === 'decrease') return threshold.maxDecrease;
  return null;
}

/** Width of a row's interval as a fraction (upper − lower); Infinity when unbounded. */
export function intervalWidth(check: VerdictRow): number {
  if (check.currentInterval) return check.currentInterval.upper - check.currentInterval.lower;
  if (check.changeLower === null || check.changeUpper === null) return Infinity;
  return check.changeUpper - check.changeLower;
}

const UNDECIDED_STATUS: Record<Undecided, DisplayStatus> = {
  'too-noisy': 'noisy',
  'not-yet-shown': 'unproven',
  'not-measured': 'unmeasured',
};

export function displayStatus(check: VerdictRow): DisplayStatus {
  switch (check.verdict) {
    case 'regression':
    case 'pass':
    case 'improvement':
      return check.verdict;
    case 'info':
      // A gating row that judged nothing is not "report only": nothing was measured to judge.
      return check.gating ? 'unmeasured' : 'info';
    case 'inconclusive': {
      // The rule that wrote the reason named its kind (verdict/rule.ts); status and reason agree.
      if (check.undecided) return UNDECIDED_STATUS[check.undecided];
      // Files written before `undecided`: an estimate beyond the threshold is what "not yet shown"
      // reasons say; anything else is too noisy.
      const threshold = thresholdFraction(check);
      if (threshold === null || check.change === null) return 'noisy';
      // A drop (capacity, throughput) is beyond its threshold below −θ; an increase above +θ.
      return (check.threshold?.kind === 'decrease' ? check.change < -threshold : check.change > threshold)
        ? 'unproven'
        : 'noisy';
    }
  }
}

/** "1 variant", "2 variants". */
export const plural = (count: number, singular: string, pluralForm = `${singular}s`): string =>
  `${count} ${count === 1 ? singular : pluralForm}`;

export interface StatusCounts {
  regression: number;
  unproven: number;
  noisy: number;
  unmeasured: number;
  pass: number;
  improvement: number;
  gating: number;
}

export function countStatuses(verdict: Verdict): StatusCounts {
  const counts: StatusCounts = {
    regression: 0,
    unproven: 0,
    noisy: 0,
    unmeasured: 0,
    pass: 0,
    improvement: 0,
    gating: 0,
  };
  for (const check of verdict.checks) {
    if (!check.gating) continue;
    counts.gating++;
    const status = displayStatus(check);
    if (status !== 'info') counts[status]++;
  }
  return counts;
}

/**
 * "1 regression, 2 too noisy to judge, 6 passed (of 9 gating checks)". Every gating check lands in
 * one count, so the sentence never reads " (of 2 gating checks)" with nothing before it.
 */
export function countsSentence(counts: StatusCounts): string {
  if (counts.gating === 0) return 'no gating checks';
  const parts: string[] = [];
  if (counts.regression) parts.push(plural(counts.regression, 'regression'));
  if (counts.unproven)
    parts.push(`${counts.unproven} likely regression${counts.unproven === 1 ? '' : 's'} not yet shown`);
  if (counts.noisy) parts.push(`${counts.noisy} too noisy to judge`);
  if (counts.unmeasured) parts.push(`${counts.unmeasured} not measured`);
  if (counts.improvement) parts.push(plural(counts.improvement, 'improvement'));
  if (counts.pass) parts.push(`${counts.pass} passed`);
  const counted =
    counts.regression + counts.unproven + counts.noisy + counts.unmeasured + counts.improvement + counts.pass;
  if (counted < counts.gating) parts.push(`${counts.gating - counted} not judged`);
  return `${parts.join(', ')} (of ${plural(counts.gating, 'gating check')})`;
}

export const OVERALL_LABEL: Record<OverallVerdict, string> = {
  pass: '✅ pass',
  regression: '❌ regression',
  inconclusive: '❔ inconclusive',
};

/** What the gate does with the pull request, in words that never call inconclusive a pass. */
export function gateEffect(verdict: OverallVerdict): string {
  switch (verdict) {
    case 'regression':
      return 'the gate fails this pull request';
    case 'inconclusive':
      return 'not judged: the gate neither passes nor fails on performance (it does not block unless fail-on-inconclusive is set)';
    case 'pass':
      return 'the gate passes';
  }
}
