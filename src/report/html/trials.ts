/**
 * Per-trial plots: each metric against the run order (the trial's `sequence`), one series per
 * variant. Interleaving shows as alternating colours, drift as a slope shared by all variants, an
 * outlier as one point away from its variant's others.
 */
import type { Results, Trial } from '../../results/schema.js';
import { renderPlot, type Series } from './chart.js';
import { dataTable, esc, num } from './markup.js';
import type { Colors } from './palette.js';
import { linearTicks, niceDomain } from './scale.js';
import { maxOf, minOf } from '../../util/extent.js';

interface Metric {
  key: string;
  title: string;
  unit: string;
  /** Short y-axis label. */
  axis: string;
  value(trial: Trial): number | undefined;
}

const LATENCY_METRICS: Metric[] = [
  { key: 'p50', title: 'p50 latency', unit: 'ms', axis: 'p50 (ms)', value: (t) => t.latencyMs.p50 },
  { key: 'p90', title: 'p90 latency', unit: 'ms', axis: 'p90 (ms)', value: (t) => t.latencyMs.p90 },
  { key: 'p99', title: 'p99 latency', unit: 'ms', axis: 'p99 (ms)', value: (t) => t.latencyMs.p99 },
  { key: 'p999', title: 'p99.9 latency', unit: 'ms', axis: 'p99.9 (ms)', value: (t) => t.latencyMs.p999 },
  {
    key: 'throughput',
    title: 'Throughput',
    unit: 'requests/s',
    axis: 'requests/s',
    value: (t) => t.actualRps,
  },
];
const ERROR_METRIC: Metric = {
  key: 'error-rate',
  title: 'Error rate',
  unit: '%',
  axis: 'errors (%)',
  value: (t) => (t.requests > 0 ? (100 * t.errors) / t.requests : 0),
};
const RESOURCE_METRICS: Metric[] = [
  {
    key: 'cpu',
    title: 'Data-plane CPU per 1,000 requests',
    unit: 'ms',
    axis: 'CPU per 1k requests (ms)',
    value: (t) => t.resources?.cpuMsPer1kRequests,
  },
  {
    key: 'memory',
    title: 'Data-plane memory (mean)',
    unit: 'MiB',
    axis: 'memory (MiB)',
    value: (t) => t.resources?.memoryMibMean,
  },
];

/**
 * Whether throughput moved enough to be worth a plot: in open loop it is the requested rate, a
 * flat line, unless the target could not keep up (spread above 2% of the median).
 */
export function throughputVaries(results: Results): boolean {
  const trials = results.variants.flatMap((v) => v.trials);
  if (trials.some((t) => t.requestedRps === 0)) return true;
  const rates = trials.map((t) => t.actualRps).filter(Number.isFinite);
  if (rates.length === 0) return false;
  const top = maxOf(rates);
  return top > 0 && (top - minOf(rates)) / top > 0.02;
}

/** The metrics worth a plot for these results: latency always, the others when they show something. */
export function trialMetrics(results: Results): Metric[] {
  const trials = results.variants.flatMap((v) => v.trials);
  return [
    ...LATENCY_METRICS.filter((metric) => metric.key !== 'throughput' || throughputVaries(results)),
    ...(trials.some((t) => t.errors > 0) ? [ERROR_METRIC] : []),
    ...(trials.some((t) => t.resources) ? RESOURCE_METRICS : []),
  ];
}

export function renderTrialPlots(results: Results, colors: Colors): string {
  const runLength = Math.max(1, ...results.variants.flatMap((v) => v.trials.map((t) => t.sequence + 1)));
  const xDomain: [number, number] = [0.5, runLength + 0.5];
  const xTicks = linearTicks([1, runLength], (v) => String(v), 8).filter((t) => Number.isInteger(t.value));
  const plots = trialMetrics(results).map((metric) => {
    const series: Series[] = results.variants.map((variant) => {
      const points = [...variant.trials]
        .sort((a, b) => a.sequence - b.sequence)
        .flatMap((t) => {
          const value = metric.value(t);
          if (value === undefined) return [];
          const title = `${variant.id} trial ${t.index + 1} (run #${t.sequence + 1}): ${num(value)} ${metric.unit}`;
          return [{ x: t.sequence + 1, y: value, title }];
        });
      return {
        id: variant.id,
        label: variant.id,
        color: colors.get(variant.id)!,
        runs: [points],
        markers: true,
        thin: true,
      };
    });
    const drawn = series.filter((s) => s.runs[0].length > 0);
    const yDomain = niceDomain(
      drawn.flatMap((s) => s.runs[0].map((p) => p.y)),
      { zero: metric.key === 'error-rate' },
    );
    const plot = {
      id: `trials-${metric.key}`,
      title: `${metric.title} per trial, in run order`,
      description: 'Each point is one trial, placed by when it ran; lines join the trials of one variant.',
      x: { label: 'trial in run order (#)', domain: xDomain, ticks: xTicks },
      y: { label: metric.axis, domain: yDomain, ticks: linearTicks(yDomain) },
      series: drawn,
      heightPx: 280,
    };
    const rows = drawn
      .flatMap((s) => s.runs[0].map((p) => ({ variant: s.id, ...p })))
      .sort((a, b) => a.x - b.x)
      .map((p) => [String(p.x), p.variant, num(p.y)]);
    return renderPlot(
      plot,
      dataTable(`${metric.title} per trial`, ['run #', 'variant', `${metric.title} (${metric.unit})`], rows),
    );
  });
  return `<div class="grid">${plots.join('\n')}</div>`;
}

export const trialsIntro = (results: Results): string =>
  `<p>${esc(results.variants.map((v) => v.trials.length).reduce((a, b) => a + b, 0))} trials in ${esc(results.variants.length)} variants. Hover a point for its trial; click a legend entry to hide a variant.</p>`;
