/**
 * Same-job comparisons, both paired by run order (pairing.ts):
 *  - build:    head/<mesh> against base/<mesh> — did the pull request change performance?
 *  - overhead: <build>/<mesh> against <build>/none — what does the data plane cost?
 * Latency metrics with a threshold gate; the others are reported. Throughput is compared only for
 * closed-loop runs (in open loop it is the requested rate). Proxy CPU per 1,000 requests and
 * memory are reported for mesh variants when the platform measured them.
 */
import type { GateSpec, LatencyMetric, ThresholdSpec } from '../profile/types.js';
import type { Variant } from '../results/schema.js';
import type { DecisionRule } from './rule.js';
import { ceilingRow } from './ceiling.js';
import { logRatios, pairedEffect } from '../stats/effect.js';
import { median } from '../stats/descriptive.js';
import { measuredFloor } from '../stats/noise-floor.js';
import { isClosedLoop, pairTrials, pairedValues, variantValues, type TrialMetric } from '../stats/pairing.js';
import { ratioRow } from './ratio-row.js';
import type { VerdictRow, ComparisonKind } from './schema.js';

export const LATENCY_METRICS: readonly LatencyMetric[] = ['p50', 'p90', 'p99', 'p999'];

export interface PairedComparison {
  kind: Extract<ComparisonKind, 'build' | 'overhead'>;
  baseline: Variant;
  current: Variant;
  /** Latency thresholds that gate this comparison (gate.latency or gate.overhead). */
  thresholds: Partial<Record<LatencyMetric, ThresholdSpec>>;
  gate: GateSpec;
  /** Interval confidence at this look. */
  confidence: number;
  rule: DecisionRule;
}

type PairSides = Pick<PairedComparison, 'kind' | 'baseline' | 'current' | 'confidence' | 'rule'>;

function pairedRow(
  comparison: PairSides,
  metric: TrialMetric,
  threshold: VerdictRow['threshold'],
  unit: VerdictRow['unit'],
): VerdictRow {
  const { pairs } = pairTrials(comparison.baseline, comparison.current);
  const values = pairedValues(pairs, metric);
  const ratios = logRatios(values.baseline, values.current);
  return ratioRow({
    comparison: comparison.kind,
    metric,
    unit,
    variant: comparison.current.id,
    comparedWith: comparison.baseline.id,
    baselineValues: variantValues(comparison.baseline, metric),
    currentValues: variantValues(comparison.current, metric),
    effect: pairedEffect(ratios, comparison.confidence, comparison.rule),
    effectAt: (confidence) => pairedEffect(ratios, confidence, comparison.rule),
    confidence: comparison.confidence,
    threshold,
    gating: threshold !== null,
    rule: comparison.rule,
  });
}

/** A latency threshold row's settings: the profile's min_delta, or the run's measured floor. */
export function increaseThreshold(spec: ThresholdSpec, floorMs: () => number): VerdictRow['threshold'] {
  return spec.minDeltaMs !== undefined
    ? {
        kind: 'increase',
        maxIncrease: spec.maxIncrease,
        minDelta: spec.minDeltaMs,
        minDeltaSource: 'profile',
      }
    : { kind: 'increase', maxIncrease: spec.maxIncrease, minDelta: floorMs(), minDeltaSource: 'measured' };
}

/** Latency (and, for closed-loop runs, throughput) rows of one paired comparison. */
export function comparePaired(comparison: PairedComparison): VerdictRow[] {
  const rows = LATENCY_METRICS.map((metric) => {
    const spec = comparison.thresholds[metric];
    const threshold = spec
      ? increaseThreshold(spec, () => measuredFloor(comparison.baseline, comparison.current, metric).floorMs)
      : null;
    return pairedRow(comparison, metric, threshold, 'ms');
  });
  if (comparison.kind === 'build' && isClosedLoop(comparison.baseline) && isClosedLoop(comparison.current)) {
    const spec = comparison.gate.throughput;
    rows.push(
      pairedRow(
        comparison,
        'throughput',
        spec ? { kind: 'decrease', maxDecrease: spec.maxDecrease } : null,
        'rps',
      ),
    );
  }
  return rows;
}

/**
 * Resource rows of a mesh variant: paired against the same mesh on the base build when both were
 * measured (gated by gate.dataplane), and against the ceilings of gate.overhead.cpu / .memory
 * (none has no proxy, so the data plane's own cost is judged against a ceiling, ceiling.ts);
 * with neither a base nor a ceiling, the level alone, reported.
 */
export function resourceRows(
  current: Variant,
  baseBuild: Variant | undefined,
  confidence: number,
  rule: DecisionRule,
  gate?: Pick<GateSpec, 'dataPlane' | 'overheadResources'>,
): VerdictRow[] {
  const rows: VerdictRow[] = [];
  const metrics = [
    ['proxyCpuMsPer1kRequests', 'ms/1k requests', 'cpu'],
    ['proxyMemoryMib', 'MiB', 'memory'],
  ] as const;
  for (const [metric, unit, key] of metrics) {
    const currentValues = variantValues(current, metric);
    if (currentValues.length === 0) continue;
    const baselineValues = baseBuild ? variantValues(baseBuild, metric) : [];
    const ceiling = gate?.overheadResources?.[key];
    if (ceiling)
      rows.push(
        ceilingRow({
          variant: current.id,
          metric,
          unit,
          values: currentValues,
          max: ceiling.max,
          confidence,
          rule,
        }),
      );
    if (baseBuild && baselineValues.length > 0) {
      const spec = gate?.dataPlane?.[key];
      const threshold = spec
        ? {
            kind: 'increase' as const,
            maxIncrease: spec.maxIncrease,
            minDelta: spec.minDelta,
            minDeltaSource: 'profile' as const,
          }
        : null;
      rows.push(
        pairedRow({ kind: 'build', baseline: baseBuild, current, confidence, rule }, metric, threshold, unit),
      );
      continue;
    }
    if (ceiling) continue;
    const level = median(currentValues);
    rows.push(
      ratioRow({
        comparison: 'overhead',
        metric,
        unit,
        variant: current.id,
        comparedWith: 'none (no proxy)',
        baselineValues: [],
        currentValues,
        levels: { baseline: NaN, current: level },
        effect: { estimate: NaN, lower: -Infinity, upper: Infinity, pairs: currentValues.length },
        confidence,
        threshold: null,
        gating: false,
        rule,
      }),
    );
    const last = rows[rows.length - 1];
    last.reason = `${level.toPrecision(3)} ${unit} (median of ${currentValues.length} trials); reported only`;
  }
  return rows;
}
