/**
 * "Next steps" under the verdict: the commands that reproduce the run on a laptop and, when the
 * verdict is inconclusive, what would resolve it and what that costs in seconds of load.
 *
 * The cost is an estimate from the interval's half-width h at n pairs, which shrinks about as
 * 1/√n: to bring it to the width w the rule needs, n' ≈ n·(h/w)². The width needed depends on why
 * the row is inconclusive (verdict/rule.ts): a likely regression must clear κ·θ (κ = 0.25) with its
 * lower bound, so w = estimate − ln(1 + κθ); a noisy row must keep its upper bound under λ·θ
 * (λ = 2), so w = ln(1 + λθ) − estimate, and its half-width under θ to be judged at all (a pass
 * means judged, verdict/ratio-row.ts), so w ≤ ln(1 + θ). Rough by design: the noise itself is
 * estimated. Error-rate rows are counts: what resolves them is requests, not pairs.
 */
import type { Results } from '../../results/schema.js';
import { DEFAULT_RULE } from '../../verdict/rule.js';
import { studentTQuantile } from '../../stats/distributions.js';
import type { VerdictRow, Verdict } from '../../verdict/schema.js';
import { METRIC_LABELS } from '../format.js';
import { inlineText } from '../safe-text.js';
import { plusMinusPercent } from '../../util/numbers.js';
import { MESHGATE_VERSION } from '../../version.js';
import { displayStatus, thresholdFraction } from '../status.js';

export interface ResolutionEstimate {
  /** Pairs per comparison the worst inconclusive row would need; null when none would do. */
  pairsNeeded: number | null;
  pairsNow: number;
  /** Extra trials per variant, and the seconds of load (with warm-ups) they take. */
  extraTrialsPerVariant: number | null;
  secondsOfLoad: number | null;
  /** The profile's cap on trials. */
  maxTrials: number | null;
}

interface LoadShape {
  durationS?: number;
  warmupS?: number;
}

const MAX_REASONABLE_PAIRS = 1000;

function pairsNeededFor(check: VerdictRow): number | null {
  const threshold = thresholdFraction(check);
  if (threshold === null || check.change === null || check.changeLower === null || check.changeUpper === null)
    return null;
  const estimate = Math.log1p(check.change);
  const halfWidth = (Math.log1p(check.changeUpper) - Math.log1p(check.changeLower)) / 2;
  const room =
    displayStatus(check) === 'unproven'
      ? estimate - Math.log1p(DEFAULT_RULE.significanceFraction * threshold)
      : Math.min(Math.log1p(DEFAULT_RULE.noiseFraction * threshold) - estimate, Math.log1p(threshold));
  if (!(room > 0) || !(halfWidth > 0) || check.pairs < 2) return null;
  let needed = check.pairs * (halfWidth / room) ** 2;
  // A noisy row is judged at a stricter level (verdict/rule.ts) until its spread at the look's level
  // narrows to θ; from there on the look's level, and its narrower interval, apply (roughly: the
  // interval's half-width stands in for the bulk's).
  if (check.lookConfidence !== undefined && check.lookConfidence < check.confidence) {
    const df = check.pairs - 1;
    const narrower =
      studentTQuantile(1 - (1 - check.lookConfidence) / 2, df) /
      studentTQuantile(1 - (1 - check.confidence) / 2, df);
    const quiet = Math.min(room, Math.log1p(threshold));
    needed = Math.min(needed, check.pairs * ((halfWidth * narrower) / quiet) ** 2);
  }
  needed = Math.ceil(needed);
  return needed > MAX_REASONABLE_PAIRS ? null : Math.max(needed, check.pairs + 1);
}

export function estimateResolution(results: Results, verdict: Verdict): ResolutionEstimate {
  const rows = verdict.checks.filter(
    (check) =>
      check.gating &&
      check.verdict === 'inconclusive' &&
      check.comparison !== 'absolute' &&
      check.metric !== 'errorRate',
  );
  const needs = rows.map(pairsNeededFor);
  const pairsNow = Math.min(...rows.map((row) => row.pairs), Infinity);
  const profile = results.profile as { load?: LoadShape; maxTrials?: number };
  const maxTrials = typeof profile.maxTrials === 'number' ? profile.maxTrials : null;
  if (rows.length === 0 || needs.some((need) => need === null))
    return {
      pairsNeeded: null,
      pairsNow: Number.isFinite(pairsNow) ? pairsNow : 0,
      extraTrialsPerVariant: null,
      secondsOfLoad: null,
      maxTrials,
    };
  const pairsNeeded = Math.max(...(needs as number[]));
  const extra = Math.max(0, pairsNeeded - pairsNow);
  const perTrialS = (profile.load?.durationS ?? 0) + (profile.load?.warmupS ?? 0);
  return {
    pairsNeeded,
    pairsNow,
    extraTrialsPerVariant: extra,
    secondsOfLoad: perTrialS > 0 ? Math.round(extra * results.variants.length * perTrialS) : null,
    maxTrials,
  };
}

/** A profile name safe to print inside a code block (results files are untrusted). */
export function profileFileName(results: Results): string {
  const name = results.profile.name;
  return /^[a-z0-9][a-z0-9-]{0,62}$/.test(name) ? `${name}.yaml` : 'PROFILE.yaml';
}

/** The installed CLI, as the README has people run it (the npm package, this major version). */
export const CLI_COMMAND = `npx meshgate@${MESHGATE_VERSION.split('.')[0]}`;

/**
 * One word a POSIX shell reads back unchanged and that no program takes for an option: results
 * files are untrusted, and these words are pasted into shells. Anything else is not printed.
 */
export function isInertWord(value: string): boolean {
  return /^[A-Za-z0-9_@%+=:,./][A-Za-z0-9_@%+=:,./-]{0,299}$/.test(value) && !value.split('/').includes('..');
}

/** The options of `meshgate import` its recorded arguments may hold (cli/commands/import.ts). */
const IMPORT_FLAGS = new Set(['--variant', '--profile', '--name', '--hlog-unit', '--out']);

/**
 * Commands that repeat the measurement and the verdict from the repository's root with the
 * installed CLI: `run` of the profile the results came from (its path from the root, as results
 * record it), or the `meshgate import` that made them; then `check`.
 */
export function reproduceCommands(results: Results, withBaseline: boolean): string[] {
  const origin = results.origin;
  const check = `${CLI_COMMAND} check results.json${withBaseline ? ' --baseline base-results.json' : ''} --markdown comment.md`;
  if (
    origin?.importArgs &&
    origin.importArgs.length > 0 &&
    origin.importArgs.every((arg) => IMPORT_FLAGS.has(arg) || isInertWord(arg))
  )
    return [`${CLI_COMMAND} import ${origin.importArgs.join(' ')}`, check];
  const profile =
    origin?.profile && isInertWord(origin.profile) ? origin.profile : `PATH/TO/${profileFileName(results)}`;
  return [`${CLI_COMMAND} run ${profile} --out results.json`, check];
}

/** Imported results: no profile of meshgate's decides their trials (fortio, Nighthawk, logs did). */
export function isImported(results: Results): boolean {
  const imported = (results.profile as { imported?: unknown }).imported;
  return Boolean(results.origin?.importArgs) || (Array.isArray(imported) && imported.length > 0);
}

/** What would resolve an inconclusive verdict, as lines of markdown (empty when not inconclusive). */
export function resolutionAdvice(results: Results, verdict: Verdict): string[] {
  if (verdict.verdict !== 'inconclusive') return [];
  if (verdict.capacity) return capacityAdvice(verdict);
  const estimate = estimateResolution(results, verdict);
  const lines: string[] = [];
  const errorRows = verdict.checks.filter(
    (c) => c.gating && c.metric === 'errorRate' && c.verdict === 'inconclusive',
  );
  for (const check of errorRows)
    lines.push(
      `- **More requests**: ${inlineText(check.variant, 40)} error rate is judged on counts; more trials or a longer \`load.duration\` bring its interval${check.currentInterval ? ` (up to ${(check.currentInterval.upper * 100).toPrecision(2)}%)` : ''} under the allowance, or show it above.`,
    );
  for (const check of verdict.checks.filter(
    (c) => c.gating && c.metric !== 'errorRate' && displayStatus(c) === 'noisy',
  )) {
    const threshold = thresholdFraction(check);
    const mde = check.minimumDetectableChange;
    if (typeof mde === 'number' && Number.isFinite(mde) && threshold !== null)
      lines.push(
        `- **Too noisy**: ${inlineText(check.variant, 40)} ${METRIC_LABELS[check.metric]} could only detect a change beyond ${plusMinusPercent(mde)} at this noise; the threshold is ${(threshold * 100).toFixed(0)}%.`,
      );
  }
  const pairRows = verdict.checks.some(
    (c) =>
      c.gating && c.verdict === 'inconclusive' && c.metric !== 'errorRate' && c.comparison !== 'absolute',
  );
  if (!pairRows) {
    // Only counts (error rates) are undecided: more requests, above, is the advice.
  } else if (estimate.pairsNeeded !== null && estimate.extraTrialsPerVariant !== null) {
    const cost = estimate.secondsOfLoad !== null ? ` (about ${estimate.secondsOfLoad} s of load)` : '';
    // max_trials is a profile's: an imported result has none (its runs are the source tool's).
    const imported = isImported(results);
    const cap =
      !imported && estimate.maxTrials !== null && estimate.pairsNeeded > estimate.maxTrials
        ? `; raise \`max_trials\` to at least ${estimate.pairsNeeded} (it is ${estimate.maxTrials})`
        : '';
    lines.push(
      imported
        ? `- **More runs**: about ${estimate.pairsNeeded} runs per variant instead of ${estimate.pairsNow}, ${estimate.extraTrialsPerVariant} more each, imported together. An estimate: it assumes the run-to-run noise stays as it was.`
        : `- **More trials**: about ${estimate.pairsNeeded} trials per variant instead of ${estimate.pairsNow}, ${estimate.extraTrialsPerVariant} more each${cost}${cap}. An estimate: it assumes the trial-to-trial noise stays as it was.`,
    );
  } else
    lines.push(
      '- **More trials would not settle it** at this noise: the interval would have to shrink below what the estimate leaves room for.',
    );
  lines.push(
    '- **Less noise**: pin CPUs (`cpu_pinning: true` on `local`), run fewer things beside the job, or lengthen `load.duration` so each trial averages more requests; noise (CV) per side is in the details below.',
  );
  return lines;
}

/**
 * A capacity row is inconclusive when the two searches' brackets overlap (a finer search tells) or
 * when a search never held the SLO, not even at min_rps (nothing was measured: the range tells).
 */
function capacityAdvice(verdict: Verdict): string[] {
  const precision = verdict.capacity?.targetPrecision ?? 0;
  const never = (verdict.capacity?.variants ?? []).filter((v) => v.lowerRps === null);
  const missed = never.filter((v) => v.stop === 'below_min');
  const unmeasured = verdict.checks.some((c) => c.gating && displayStatus(c) === 'unmeasured');
  if (unmeasured && never.length > missed.length)
    return [
      `- **More \`load.capacity.max_time\`**: no rate tried on ${never.map((v) => inlineText(v.variant, 40)).join(', ')} held the SLO before its search stopped, so no capacity was measured; raise max_time, or lower min_rps so that the search starts where the SLO holds.`,
    ];
  if (unmeasured && missed.length > 0)
    return [
      `- **A lower \`load.capacity.min_rps\`**: the SLO did not hold on ${missed.map((v) => inlineText(v.variant, 40)).join(', ')} even at min_rps${missed[0].upperRps !== null ? ` (${missed[0].upperRps} rps)` : ''}, so no capacity was measured; lower min_rps, or relax \`load.capacity.slo\` if this system cannot meet it on this machine.`,
    ];
  return [
    `- **A finer search**: a smaller \`load.capacity.precision\` (it is ${(precision * 100).toFixed(1)}%) narrows each bracket, so that a real loss leaves them apart; raise \`max_time\` if a search ran out of it.`,
    '- **Less noise**: pin CPUs (`cpu_pinning: true` on `local`) or lengthen `load.duration`, so that fewer steps are borderline and re-run.',
  ];
}
