/**
 * Rows and table of `bench:gate`: one row per complete gate decision, summarised per scenario
 * (verdict counts with Wilson 95% intervals, trials and load seconds per verdict, measured p99
 * ratio) and checked against issue 5's targets. Pure functions over plain data.
 */
import { wilsonInterval } from '../../src/stats/counts.js';
import { median } from '../../src/stats/descriptive.js';

export type ProfileKind = 'short' | 'default';

export interface DecisionRow {
  scenario: string;
  profile: ProfileKind;
  /** Head delay ÷ base delay injected at the servers (overhead scenario: none). */
  injectedRatio: number | null;
  /** Base build's server delay (ms); null for the overhead scenario. */
  baseDelayMs: number | null;
  index: number;
  verdict: 'pass' | 'regression' | 'inconclusive' | 'error';
  reason: string;
  trialsPerVariant: number;
  /** Σ over variants × trials of (duration + warm-up). */
  loadS: number;
  /** p99 row of the gating comparison: 1 + change, with its interval. */
  p99Ratio: number | null;
  p99RatioLower: number | null;
  p99RatioUpper: number | null;
  baseP99Ms: number | null;
  headP99Ms: number | null;
  baseCv: number | null;
  headCv: number | null;
  /** Each trial's p99 (ms) of the two compared variants, by trial index: for re-analysis. */
  baseTrialP99Ms: number[];
  headTrialP99Ms: number[];
  errors: number;
  wallS: number;
}

export interface Target {
  scenario: string;
  text: string;
  /** undefined: too few decisions to judge. */
  check(summary: Summary): boolean | undefined;
}

export interface Summary {
  scenario: string;
  injectedRatio: number | null;
  decisions: number;
  regressions: number;
  inconclusive: number;
  failed: number;
  meanTrials: number;
  meanLoadS: number;
  maxLoadS: number;
  medianBaseP99Ms: number | null;
  medianP99Ratio: number | null;
  meanWallS: number;
}

const present = (values: (number | null)[]) =>
  values.filter((v): v is number => v !== null && Number.isFinite(v));
const medianOrNull = (values: (number | null)[]) =>
  present(values).length > 0 ? median(present(values)) : null;
const meanOf = (values: number[]) =>
  values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : NaN;

export function summarise(rows: DecisionRow[], scenario: string): Summary {
  const mine = rows.filter((r) => r.scenario === scenario);
  const done = mine.filter((r) => r.verdict !== 'error');
  return {
    scenario,
    injectedRatio: mine[0]?.injectedRatio ?? null,
    decisions: done.length,
    regressions: done.filter((r) => r.verdict === 'regression').length,
    inconclusive: done.filter((r) => r.verdict === 'inconclusive').length,
    failed: mine.length - done.length,
    meanTrials: meanOf(done.map((r) => r.trialsPerVariant)),
    meanLoadS: meanOf(done.map((r) => r.loadS)),
    maxLoadS: done.length > 0 ? Math.max(...done.map((r) => r.loadS)) : NaN,
    medianBaseP99Ms: medianOrNull(done.map((r) => r.baseP99Ms)),
    medianP99Ratio: medianOrNull(done.map((r) => r.p99Ratio)),
    meanWallS: meanOf(done.map((r) => r.wallS)),
  };
}

/** "4.0% [1.1–19.5]": share of regression verdicts with its Wilson 95% interval. */
export function rateWithInterval(events: number, total: number): string {
  if (total === 0) return 'n/a';
  const w = wilsonInterval(events, total, 0.95);
  const pct = (x: number) => (100 * x).toFixed(1);
  return `${pct(events / total)}% [${pct(w.lower)}–${pct(w.upper)}]`;
}

/** Issue 5's targets (θ = 10% on p99). */
export function targets(minAaDecisions: number): Target[] {
  const share = (s: Summary) => s.regressions / s.decisions;
  return [
    {
      scenario: 'A/A',
      text: `0 regressions in ≥ ${minAaDecisions}`,
      check: (s) => (s.decisions < minAaDecisions ? undefined : s.regressions === 0),
    },
    {
      scenario: '+3%',
      text: 'never a regression',
      check: (s) => (s.decisions === 0 ? undefined : s.regressions === 0),
    },
    {
      scenario: '+15%',
      text: 'detected ≥ 95%',
      check: (s) => (s.decisions === 0 ? undefined : share(s) >= 0.95),
    },
    {
      scenario: '+20%',
      text: 'detected ≥ 99%',
      check: (s) => (s.decisions === 0 ? undefined : share(s) >= 0.99),
    },
  ];
}

export const LOAD_TARGET_S = 120;

const f = (value: number | null, digits: number) =>
  value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
const result = (pass: boolean | undefined) => (pass === undefined ? 'too few' : pass ? 'PASS' : 'FAIL');
const markdown = (rows: string[][]) => rows.map((cells) => `| ${cells.join(' | ')} |`).join('\n');

/** Table of the shortened-profile decisions, one line per scenario, with its target. */
export function countsTable(
  rows: DecisionRow[],
  scenarios: string[],
  allTargets: Target[],
): { table: string; results: (boolean | undefined)[] } {
  const header = [
    'scenario',
    'decisions',
    'regression',
    'rate [Wilson 95%]',
    'inconclusive',
    'trials/variant',
    'load s/verdict',
    'base p99 ms',
    'p99 ratio head/base',
    'target',
    'result',
  ];
  const results: (boolean | undefined)[] = [];
  const lines = scenarios.map((scenario) => {
    const s = summarise(rows, scenario);
    const target = allTargets.find((t) => t.scenario === scenario);
    if (target) results.push(target.check(s));
    const failed = s.failed > 0 ? ` (+${s.failed} failed)` : '';
    return [
      scenario,
      `${s.decisions}${failed}`,
      String(s.regressions),
      rateWithInterval(s.regressions, s.decisions),
      String(s.inconclusive),
      f(s.meanTrials, 1),
      f(s.meanLoadS, 1),
      f(s.medianBaseP99Ms, 2),
      f(s.medianP99Ratio, 3),
      target?.text ?? '(reported)',
      target ? result(target.check(s)) : '',
    ];
  });
  return { table: markdown([header, header.map(() => '---'), ...lines]), results };
}

/** Table of the default-profile decisions: one line each, then the load target. */
export function defaultTable(rows: DecisionRow[]): { table: string; pass: boolean | undefined } {
  const mine = rows.filter((r) => r.profile === 'default' && r.verdict !== 'error');
  const header = ['scenario', 'verdict', 'trials/variant', 'load s', 'p99 ratio head/base', 'wall s'];
  const lines = mine.map((r) => [
    r.scenario,
    r.verdict,
    String(r.trialsPerVariant),
    f(r.loadS, 0),
    f(r.p99Ratio, 3),
    f(r.wallS, 0),
  ]);
  const loads = mine.map((r) => r.loadS);
  const meanLoadS = meanOf(loads);
  const pass = mine.length === 0 ? undefined : meanLoadS <= LOAD_TARGET_S;
  const failed = rows.filter((r) => r.profile === 'default' && r.verdict === 'error').length;
  const summary = [
    'mean (max)',
    `${mine.length} decisions${failed > 0 ? `, ${failed} failed` : ''}`,
    f(meanOf(mine.map((r) => r.trialsPerVariant)), 1),
    `${f(meanLoadS, 0)} (${loads.length > 0 ? Math.max(...loads).toFixed(0) : 'n/a'})`,
    `target ≤ ${LOAD_TARGET_S} s mean`,
    result(pass),
  ];
  return { table: markdown([header, header.map(() => '---'), ...lines, summary]), pass };
}
