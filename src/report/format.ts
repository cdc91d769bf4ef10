/**
 * Formatting of verdict rows shared by the terminal, the comment and the HTML report: a row's
 * numbers print with the same digits on each (the digits themselves live in util/numbers.ts).
 */
import type { VerdictRow, OverallVerdict, RowVerdict } from '../verdict/schema.js';
import { levelDecimals, percentInterval, plusMinusPercent, signedPercent } from '../util/numbers.js';
import { levelText } from '../verdict/rule.js';

const significant = (value: number, digits = 3): string => {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 10 ** digits
    ? Math.round(value).toLocaleString('en-US')
    : Number(value.toPrecision(digits)).toString();
};

export function formatValue(value: number | null, unit: VerdictRow['unit']): string {
  if (value === null) return '—';
  switch (unit) {
    case 'ms':
      return `${significant(value)} ms`;
    case 'rps':
      return `${significant(value, 4)} rps`;
    case 'fraction':
      return `${significant(value * 100, 2)}%`;
    case 'ratio':
      return `${significant(value)}×`;
    case 'MiB':
      return `${significant(value)} MiB`;
    case 'ms/1k requests':
      return `${significant(value)} ms/1k req`;
    case 'instructions/request':
      return `${Math.round(value).toLocaleString('en-US')} instr/req`;
  }
}

/** Relative change at one decimal, or for rates the difference in percentage points. */
export function formatChange(check: VerdictRow): string {
  if (check.metric === 'errorRate' || check.unit === 'fraction') {
    if (check.current === null || check.baseline === null) return '—';
    // Points at the levels' two decimals, so that it is the difference of the two shown rates.
    const points = (check.current - check.baseline) * 100;
    return `${points >= 0 ? '+' : '−'}${Math.abs(points).toFixed(2)} pp`;
  }
  return check.change === null ? '—' : signedPercent(check.change);
}

/**
 * The level a row was judged at when it is not the table's (a noisy row, judged stricter), as
 * " at 99.1%"; '' otherwise. Every surface that shows the interval names it the same way.
 */
export function judgedLevelSuffix(check: VerdictRow): string {
  return check.lookConfidence !== undefined ? ` at ${levelText(check.confidence)}` : '';
}

/** The judged interval of the change, "+18.2 … +22.2" (percent), its level named when stricter. */
export function formatInterval(check: VerdictRow): string {
  if (check.currentInterval)
    return `${formatValue(check.currentInterval.lower, 'fraction')} … ${formatValue(check.currentInterval.upper, 'fraction')}`;
  if (check.change === null) return '—';
  if (check.changeLower === null || check.changeUpper === null) return 'unbounded';
  return `${percentInterval(check.changeLower, check.changeUpper)}${judgedLevelSuffix(check)}`;
}

export function formatNoise(check: VerdictRow): string {
  const cv = (value: number | null) => (value === null ? '—' : `${significant(value * 100, 2)}%`);
  if (check.noise.baselineCv === null && check.noise.currentCv === null) return '—';
  const detectable = formatDetectable(check);
  return `${cv(check.noise.baselineCv)} / ${cv(check.noise.currentCv)}${detectable ? ` · MDE ${detectable}` : ''}`;
}

/** The minimum detectable change of a gated row ("±4.2%"), or '' when it has none. */
export function formatDetectable(check: VerdictRow): string {
  const mde = check.minimumDetectableChange;
  if (mde === undefined || mde === null || !check.gating) return '';
  return plusMinusPercent(mde);
}

export function formatThreshold(check: VerdictRow): string {
  const threshold = check.threshold;
  if (!threshold || !check.gating) return 'report only';
  switch (threshold.kind) {
    case 'increase':
      // A cross-job row's level is a ratio, but its floor is the latency change in ms.
      return `+${significant(threshold.maxIncrease * 100)}%${threshold.minDelta > 0 ? `, ≥ ${significant(threshold.minDelta, 2)} ${check.unit === 'ratio' ? 'ms' : check.unit}${threshold.minDeltaSource === 'measured' ? ' (run floor)' : ''}` : ''}`;
    case 'decrease':
      return `−${significant(threshold.maxDecrease * 100)}%`;
    case 'rate':
      return `≤ ${formatValue(threshold.max, 'fraction')}`;
    case 'ceiling':
      return `≤ ${significant(threshold.max)} ${check.unit}`;
  }
}

export const METRIC_LABELS: Record<VerdictRow['metric'], string> = {
  p50: 'p50',
  p90: 'p90',
  p99: 'p99',
  p999: 'p99.9',
  throughput: 'throughput',
  errorRate: 'error rate',
  proxyCpuMsPer1kRequests: 'proxy CPU',
  proxyMemoryMib: 'proxy memory',
  capacityRps: 'capacity at SLO',
  // Counted, not timed: the comment and the terminal say which rows the machine cannot blur.
  instructionsPerRequest: 'instr/req (counted)',
};

export const ROW_STATUS: Record<RowVerdict, string> = {
  pass: '✅ pass',
  regression: '❌ regression',
  inconclusive: '⚠️ inconclusive',
  improvement: '🚀 improvement',
  info: 'ℹ️ info',
};

export const OVERALL_STATUS: Record<OverallVerdict, string> = {
  pass: '✅ pass',
  regression: '❌ regression',
  inconclusive: '⚠️ inconclusive',
};

export const COMPARISON_TITLES: Record<VerdictRow['comparison'], string> = {
  build: 'Head vs base build (same job, paired trials)',
  overhead: 'Data-plane overhead: mesh vs none (same job, paired trials)',
  absolute: 'Allowances',
  'cross-job': 'Against the baseline run (cross-job, ratio of ratios)',
};

/** Rows grouped by comparison, in a fixed order. */
export function groupRows(checks: readonly VerdictRow[]): Array<[VerdictRow['comparison'], VerdictRow[]]> {
  const order: Array<VerdictRow['comparison']> = ['build', 'overhead', 'absolute', 'cross-job'];
  return order
    .map(
      (kind) =>
        [kind, checks.filter((c) => c.comparison === kind)] as [VerdictRow['comparison'], VerdictRow[]],
    )
    .filter(([, rows]) => rows.length > 0);
}

const UNIT_SUFFIX: Record<VerdictRow['unit'], string> = {
  ms: ' ms',
  rps: ' rps',
  fraction: '',
  ratio: '×',
  MiB: ' MiB',
  'ms/1k requests': ' ms/1k req',
  'instructions/request': ' instr',
};

/**
 * One level of a row ("12.05 ms"), at the precision both of its levels share: the same digits as
 * in formatLevels, for surfaces that show "before" and "after" in columns of their own.
 */
export function formatLevel(check: VerdictRow, side: 'baseline' | 'current'): string {
  const value = check[side];
  if (value === null) return '—';
  if (check.unit === 'fraction') return `${(value * 100).toFixed(2)}%`;
  return `${levelNumber(value, rowDecimals(check))}${UNIT_SUFFIX[check.unit]}`;
}

function rowDecimals(check: VerdictRow): number {
  const level = Math.max(Math.abs(check.baseline ?? 0), Math.abs(check.current ?? 0));
  // Rates and instruction counts in the hundreds and above are whole numbers.
  if ((check.unit === 'rps' || check.unit === 'instructions/request') && level >= 100) return 0;
  return levelDecimals(level);
}

const levelNumber = (value: number, decimals: number): string =>
  decimals === 0 ? Math.round(value).toLocaleString('en-US') : value.toFixed(decimals);

/**
 * "before → after" at one fixed precision, read from the row as it is (verdict/ratio-row.ts made
 * `current` the judged change applied to `baseline`, so the two numbers and the change agree).
 * Error rates show the two measured rates; their change is the difference in points.
 */
export function formatLevels(check: VerdictRow): string {
  if (check.unit === 'fraction') {
    const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);
    return `${pct(check.baseline)} → ${pct(check.current)}`;
  }
  const decimals = rowDecimals(check);
  const text = (v: number | null) => (v === null ? '—' : levelNumber(v, decimals));
  return `${text(check.baseline)} → ${text(check.current)}${UNIT_SUFFIX[check.unit]}`;
}

/** "+20.0% (+17.1 … +22.9)": the change and its judged interval, in percent at one decimal. */
export function formatChangeWithInterval(check: VerdictRow): string {
  if (check.metric === 'errorRate' || check.unit === 'fraction') {
    const change = formatChange(check);
    return check.currentInterval ? `${change} (${formatJudgedInterval(check)})` : change;
  }
  if (check.change === null) return '—';
  return `${signedPercent(check.change)} (${formatInterval(check)})`;
}

/** The interval part of formatChangeWithInterval alone ('' when the row has none). */
export function formatJudgedInterval(check: VerdictRow): string {
  if (check.metric === 'errorRate' || check.unit === 'fraction')
    return check.currentInterval ? `rate ≤ ${(check.currentInterval.upper * 100).toFixed(2)}%` : '';
  return check.change === null ? '' : formatInterval(check);
}
