/**
 * Percentile-distribution plots, the standard HdrHistogram view: x = 1/(1−q) on a log scale
 * (50% at 2, 99% at 100, 99.99% at 10,000), y = latency on a log scale. One plot per comparison the gate makes
 * (head vs base per mesh; each mesh vs no mesh for the head build), one line per variant, from
 * the variant's trials merged exactly.
 */
import { mergeEncoded, type Histogram } from '../../load/histogram.js';
import type { Results, Variant } from '../../results/schema.js';
import { renderPlot, type Series } from './chart.js';
import { dataTable, num, signedPct } from './markup.js';
import type { Colors } from './palette.js';
import { logDomain, logTicks } from './scale.js';

export interface Comparison {
  id: string;
  title: string;
  variants: Variant[];
}

/** The same pairs as the verdict's build and overhead rows; all variants when there are none. */
export function comparisons(results: Results): Comparison[] {
  const byId = new Map(results.variants.map((v) => [v.id, v] as const));
  const heads = results.variants.filter((v) => v.build === 'head');
  const list: Comparison[] = [];
  for (const head of heads) {
    const base = byId.get(`base/${head.mesh}`);
    if (base)
      list.push({
        id: `build-${head.mesh}`,
        title: `head vs base build, mesh ${head.mesh}`,
        variants: [base, head],
      });
  }
  const none = byId.get('head/none');
  const meshes = heads.filter((v) => v.mesh !== 'none');
  if (none && meshes.length > 0)
    list.push({
      id: 'overhead-head',
      title: 'data-plane overhead: head build, each mesh vs none',
      variants: [none, ...meshes],
    });
  if (list.length === 0) list.push({ id: 'all', title: 'all variants', variants: results.variants });
  return list;
}

const TICK_LABELS: Record<number, string> = {
  2: '50%',
  10: '90%',
  100: '99%',
  1000: '99.9%',
  10000: '99.99%',
  100000: '99.999%',
};
const TABLE_PERCENTILES = [50, 90, 99, 99.9, 99.99];
const STEPS_PER_DECADE = 20;

/** 1/(1−q) ↔ percentile. */
const percentileAt = (x: number) => 100 * (1 - 1 / x);

export function renderPercentilePlots(results: Results, colors: Colors): string {
  const merged = new Map<string, Histogram>(
    results.variants.map((v) => [v.id, mergeEncoded(v.trials.map((t) => t.histogram))]),
  );
  const plots = comparisons(results).map((comparison) => percentilePlot(comparison, merged, colors));
  return `<div class="grid">${plots.join('\n')}</div>`;
}

function percentilePlot(comparison: Comparison, merged: Map<string, Histogram>, colors: Colors): string {
  const histograms = comparison.variants.map((v) => merged.get(v.id)!);
  const maxCount = Math.max(1, ...histograms.map((h) => h.totalCount));
  const decades = Math.min(5, Math.max(2, Math.floor(Math.log10(maxCount))));
  const xMax = 10 ** decades;
  const ms = (h: Histogram, percentile: number) => h.getValueAtPercentile(percentile) / 1000;
  const series: Series[] = comparison.variants.map((variant, i) => {
    const h = histograms[i];
    const run = [];
    for (let step = 0; step <= decades * STEPS_PER_DECADE; step++) {
      const x = 10 ** (step / STEPS_PER_DECADE);
      if (h.totalCount === 0 || x > h.totalCount) break;
      run.push({ x, y: ms(h, percentileAt(x)) });
    }
    const marks = Object.keys(TICK_LABELS)
      .map(Number)
      .filter((x) => x > 1 && x <= Math.min(xMax, h.totalCount))
      .map((x) => ({
        x,
        y: ms(h, percentileAt(x)),
        title: `${variant.id} p${TICK_LABELS[x].replace('%', '')}: ${num(ms(h, percentileAt(x)))} ms`,
      }));
    return {
      id: variant.id,
      label: `${variant.id} (${h.totalCount.toLocaleString('en-US')} requests)`,
      color: colors.get(variant.id)!,
      runs: [run],
      marks,
    };
  });
  // A log latency axis: from 0 to the tail's 50 ms, the 1.22 vs 1.38 ms of a proxy at p50 would be
  // one line; on a log axis equal ratios are equal distances wherever they sit.
  const yDomain = logDomain(series.flatMap((s) => s.runs.flat().map((p) => p.y)));
  const plot = {
    id: `percentiles-${comparison.id}`,
    title: `Latency by percentile — ${comparison.title}`,
    description:
      'All trials of each variant merged. Further right is deeper into the tail: each grid line is ten times rarer than the last.',
    x: {
      label: 'percentile (log scale of 1/(1−q))',
      log: true,
      domain: [1, xMax] as [number, number],
      ticks: Object.entries(TICK_LABELS).map(([x, label]) => ({ value: Number(x), label })),
    },
    y: { label: 'latency (ms, log scale)', log: true, domain: yDomain, ticks: logTicks(yDomain) },
    series,
  };
  const columns = ['percentile', ...comparison.variants.map((v) => `${v.id} (ms)`)];
  const two = histograms.length === 2;
  // The merged histograms' own ratio, a different quantity from the verdict's paired change: named so.
  if (two) columns.push('merged ratio − 1');
  const row = (label: string, values: number[]) => [
    label,
    ...values.map(num),
    ...(two ? [signedPct(values[1] / values[0] - 1)] : []),
  ];
  const rows = [
    ...TABLE_PERCENTILES.map((q) =>
      row(
        `p${q}`,
        histograms.map((h) => (h.totalCount > 0 ? ms(h, q) : NaN)),
      ),
    ),
    row(
      'max',
      histograms.map((h) => (h.totalCount > 0 ? ms(h, 100) : NaN)),
    ),
  ];
  return renderPlot(
    plot,
    dataTable(
      `latency by percentile, ${comparison.title}: all trials of each variant merged (the verdict's changes are paired estimates, in its table)`,
      columns,
      rows,
    ),
  );
}
