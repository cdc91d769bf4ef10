/** Formatting of verdict rows shared by the markdown and terminal renderers. */
import type { VerdictRow, OverallVerdict, RowVerdict } from '../verdict/schema.js';

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

const signedPercent = (fraction: number): string => {
  const value = fraction * 100;
  const text = Math.abs(value) < 10 ? Math.abs(value).toFixed(1) : Math.abs(value).toFixed(0);
  return `${value >= 0 ? '+' : '−'}${text}%`;
};

/** Relative change, or for rates the difference in percentage points. */
export function formatChange(check: VerdictRow): string {
  if (check.metric === 'errorRate') {
    if (check.current === null || check.baseline === null) return '—';
    const points = (check.current - check.baseline) * 100;
    return `${points >= 0 ? '+' : '−'}${significant(Math.abs(points), 2)} pp`;
  }
  return check.change === null ? '—' : signedPercent(check.change);
}

export function formatInterval(check: VerdictRow): string {
  if (check.currentInterval)
    return `${formatValue(check.currentInterval.lower, 'fraction')} … ${formatValue(check.currentInterval.upper, 'fraction')}`;
  if (check.change === null) return '—';
  if (check.changeLower === null || check.changeUpper === null) return 'unbounded';
  return `${signedPercent(check.changeLower)} … ${signedPercent(check.changeUpper)}`;
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
  return `±${mde * 100 < 10 ? (mde * 100).toFixed(1) : (mde * 100).toFixed(0)}%`;
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
export function groupChecks(checks: readonly VerdictRow[]): Array<[VerdictRow['comparison'], VerdictRow[]]> {
  const order: Array<VerdictRow['comparison']> = ['build', 'overhead', 'absolute', 'cross-job'];
  return order
    .map(
      (kind) =>
        [kind, checks.filter((c) => c.comparison === kind)] as [VerdictRow['comparison'], VerdictRow[]],
    )
    .filter(([, rows]) => rows.length > 0);
}

/**
 * Decimals for the levels of one row: four significant digits, so that the change recomputed from
 * the two shown numbers agrees with the shown change to a tenth of a percent.
 */
function decimalsFor(level: number): number {
  const abs = Math.abs(level);
  if (abs >= 1000) return 0;
  if (abs >= 100) return 1;
  if (abs >= 10) return 2;
  return 3;
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
 * "before → after" at one fixed precision. For relative rows `after` is before × (1 + change):
 * the paired estimate applied to the level it is relative to, so the two numbers and the change
 * always agree (the medians of each side's trials, which need not, are in the details).
 * Error rates show the two measured rates; their change is the difference in points.
 */
export function formatLevels(check: VerdictRow): string {
  const before = check.baseline;
  if (check.unit === 'fraction') {
    const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);
    return `${pct(before)} → ${pct(check.current)}`;
  }
  const after = before !== null && check.change !== null ? before * (1 + check.change) : check.current;
  const decimals = decimalsFor(Math.max(Math.abs(before ?? 0), Math.abs(after ?? 0)));
  const text = (v: number | null) => (v === null ? '—' : v.toFixed(decimals));
  return `${text(before)} → ${text(after)}${UNIT_SUFFIX[check.unit]}`;
}

const signed1 = (fraction: number): string => {
  const value = fraction * 100;
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;
};

/** "+20.0% (+17.1 … +22.9)": the change and its interval, in percent at one decimal. */
export function formatChangeWithInterval(check: VerdictRow): string {
  if (check.metric === 'errorRate' || check.unit === 'fraction') {
    const change = formatChange(check);
    if (!check.currentInterval) return change;
    return `${change} (rate ≤ ${(check.currentInterval.upper * 100).toFixed(2)}%)`;
  }
  if (check.change === null) return '—';
  const interval =
    check.changeLower === null || check.changeUpper === null
      ? 'unbounded'
      : `${signed1(check.changeLower)} … ${signed1(check.changeUpper)}`;
  return `${signed1(check.change)}% (${interval})`;
}
