/**
 * Timelines across the run: p50/p99 and throughput per second, each trial a shaded band in its
 * variant's colour, so warm-up effects, drift, stalls and noisy neighbours show where they happened.
 */
import type { Results } from '../../results/schema.js';
import { renderPlot, type Band, type Series } from './chart.js';
import { dataTable, esc, num } from './markup.js';
import type { Colors } from './palette.js';
import { linearTicks, niceDomain } from './scale.js';
import { trialSpans, type SecondPoint, type TrialSpan } from './timeline-data.js';
import { maxOf } from '../../util/extent.js';

type Pick = (second: SecondPoint) => number;

function seriesFor(
  spans: TrialSpan[],
  id: string,
  group: string,
  color: string,
  pick: Pick,
  dashed = false,
): Series {
  const runs = spans.map((span) =>
    span.seconds.filter((s) => Number.isFinite(pick(s))).map((s) => ({ x: s.timeS, y: pick(s) })),
  );
  return { id, group, label: id, color, runs, dashed };
}

const WIDE_PX = 1100;
const MIN_SECONDS_PER_TRIAL = 5;

/** Open-loop per-second rates within ±5% of their median are a flat line: not worth a plot. */
function flat(values: number[]): boolean {
  if (values.length === 0) return true;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  return middle > 0 && sorted.every((v) => Math.abs(v / middle - 1) <= 0.05);
}

export function renderTimelines(results: Results, colors: Colors): string {
  const spans = trialSpans(results);
  if (!spans.some((span) => span.seconds.length > 0))
    return '<p class="note">No per-second intervals in these results (the load engine records them by default; importers of other tools may not). Only whole-trial figures are shown.</p>';
  // Trials of a few seconds give a few points per trial: the per-trial plots say it all.
  if (maxOf(spans.map((span) => span.seconds.length)) < MIN_SECONDS_PER_TRIAL) return '';
  const xDomain: [number, number] = [0, maxOf(spans.map((s) => s.endS))];
  const x = {
    label: 'time into the run (s)',
    domain: xDomain,
    ticks: linearTicks(xDomain, (v) => String(v), 8),
  };
  const bands: Band[] = spans.map((span) => ({
    x0: span.startS,
    x1: span.endS,
    color: colors.get(span.variant.id)!,
    title: `${span.variant.id} trial ${span.trial.index + 1} (run #${span.trial.sequence + 1})`,
  }));
  const byVariant = results.variants.map((variant) => ({
    variant,
    spans: spans.filter((s) => s.variant.id === variant.id),
  }));

  const latencySeries = byVariant.flatMap(({ variant, spans: own }) => [
    seriesFor(own, `${variant.id} p99`, variant.id, colors.get(variant.id)!, (s) => s.p99Ms),
    seriesFor(own, `${variant.id} p50`, variant.id, colors.get(variant.id)!, (s) => s.p50Ms, true),
  ]);
  const latencyDomain = niceDomain(latencySeries.flatMap((s) => s.runs.flat().map((p) => p.y)));
  const throughputSeries = byVariant.map(({ variant, spans: own }) =>
    seriesFor(own, variant.id, variant.id, colors.get(variant.id)!, (s) => s.requestsPerS),
  );
  const throughputDomain = niceDomain(throughputSeries.flatMap((s) => s.runs.flat().map((p) => p.y)));

  const rows = spans.flatMap((span) =>
    span.seconds.map((s) => ({
      time: s.timeS.toFixed(1),
      variant: span.variant.id,
      trial: String(span.trial.index + 1),
      s,
    })),
  );
  const latency = renderPlot(
    {
      id: 'timeline-latency',
      title: 'Latency per second across the run',
      description:
        'p99 (solid) and p50 (dashed) of each second; shaded bands are trials in their variant’s colour, gaps between them are warm-up and pauses.',
      x,
      y: { label: 'latency (ms)', domain: latencyDomain, ticks: linearTicks(latencyDomain) },
      series: latencySeries,
      bands,
      widthPx: WIDE_PX,
      heightPx: 360,
      styleKey: [{ label: 'p99' }, { label: 'p50', dashed: true }],
    },
    dataTable(
      'latency per second',
      ['time (s)', 'variant', 'trial', 'p50 (ms)', 'p99 (ms)'],
      rows.map((r) => [r.time, r.variant, r.trial, num(r.s.p50Ms), num(r.s.p99Ms)]),
    ),
  );
  const openLoop = results.variants.every((v) => v.trials.every((t) => t.requestedRps > 0));
  const throughputFlat = openLoop && flat(rows.map((r) => r.s.requestsPerS));
  const throughput = throughputFlat
    ? ''
    : renderPlot(
        {
          id: 'timeline-throughput',
          title: 'Throughput per second across the run',
          description:
            'Completed requests per second, counted by intended send time; a dip means requests that were due then finished late or failed.',
          x,
          y: { label: 'requests per second', domain: throughputDomain, ticks: linearTicks(throughputDomain) },
          series: throughputSeries,
          bands,
          widthPx: WIDE_PX,
          heightPx: 280,
        },
        dataTable(
          'throughput per second',
          ['time (s)', 'variant', 'trial', 'requests', 'requests/s'],
          rows.map((r) => [r.time, r.variant, r.trial, String(r.s.requests), num(r.s.requestsPerS)]),
        ),
      );
  const missing = spans.filter((s) => s.seconds.length === 0).length;
  const note =
    missing > 0
      ? `<p class="note">${esc(missing)} trial(s) have no per-second intervals and show as empty bands.</p>`
      : '';
  return `${latency}${throughput ? `\n${throughput}` : ''}${note}`;
}
