/**
 * Data-plane CPU and memory per variant, where the platform measured them: one column per
 * variant, one point per trial (left to right in run order), and a table of medians.
 */
import type { ResourceUse, Results, Trial, Variant } from '../../results/schema.js';
import { median } from '../../stats/descriptive.js';
import { formatLevelNumber } from '../../util/numbers.js';
import { renderPlot, type Series } from './chart.js';
import { dataTable, esc, num } from './markup.js';
import type { Colors } from './palette.js';
import { linearTicks, niceDomain } from './scale.js';

type Measured = { variant: Variant; trials: (Trial & { resources: ResourceUse })[] };

const SPREAD = 0.5;

function stripPlot(
  id: string,
  title: string,
  axis: string,
  unit: string,
  measured: Measured[],
  colors: Colors,
  pick: (r: ResourceUse) => number,
): string {
  const series: Series[] = measured.map(({ variant, trials }, column) => {
    const ordered = [...trials].sort((a, b) => a.sequence - b.sequence);
    const points = ordered.map((t, k) => ({
      x: column + 1 + (ordered.length > 1 ? (k / (ordered.length - 1) - 0.5) * SPREAD : 0),
      y: pick(t.resources),
      title: `${variant.id} trial ${t.index + 1} (run #${t.sequence + 1}): ${num(pick(t.resources))} ${unit}`,
    }));
    return {
      id: variant.id,
      label: variant.id,
      color: colors.get(variant.id)!,
      runs: [points],
      markers: true,
      line: false,
    };
  });
  const yDomain = niceDomain(series.flatMap((s) => s.runs[0].map((p) => p.y)));
  const plot = {
    id,
    title: `${title[0].toUpperCase()}${title.slice(1)} per variant`,
    description: 'One point per trial, left to right in run order within each column.',
    x: {
      label: 'variant',
      domain: [0.4, measured.length + 0.6] as [number, number],
      ticks: measured.map((m, i) => ({ value: i + 1, label: m.variant.id })),
    },
    y: { label: `${axis} (${unit})`, domain: yDomain, ticks: linearTicks(yDomain) },
    series,
    heightPx: 280,
  };
  const rows = measured.flatMap(({ variant, trials }) =>
    [...trials]
      .sort((a, b) => a.sequence - b.sequence)
      .map((t) => [variant.id, String(t.sequence + 1), num(pick(t.resources))]),
  );
  return renderPlot(plot, dataTable(`${title} per trial`, ['variant', 'run #', `${title} (${unit})`], rows));
}

export function renderResources(results: Results, colors: Colors): string {
  const measured: Measured[] = results.variants
    .map((variant) => ({
      variant,
      trials: variant.trials.filter((t): t is Measured['trials'][number] => t.resources !== undefined),
    }))
    .filter((m) => m.trials.length > 0);
  // Nothing measured (no data plane, or the platform could not attribute it): no section.
  if (measured.length === 0) return '';
  // Four short columns, so that the table fits a phone; what measured it goes in a note below.
  const summaryRows = measured.map(({ variant, trials }) => {
    const of = (pick: (r: ResourceUse) => number) => trials.map((t) => pick(t.resources));
    return [
      variant.id,
      num(median(of((r) => r.cpuMillicores))),
      // CPU per 1k requests and peak memory are what the verdict's rows judge: the same medians,
      // at the same digits, as a row's before and the terminal's variant table.
      formatLevelNumber(median(of((r) => r.cpuMsPer1kRequests))),
      `${num(median(of((r) => r.memoryMibMean)))} / ${formatLevelNumber(median(of((r) => r.memoryMibPeak)))}`,
    ];
  });
  const summary = dataTable(
    'data-plane resources per variant (medians over trials)',
    ['variant', 'CPU (m)', 'CPU / 1k req (ms)', 'memory mean / peak (MiB)'],
    summaryRows,
    true,
  );
  const sources = measured.map(
    ({ variant, trials }) =>
      `${variant.id}: ${trials.length} of ${variant.trials.length} trials, ${[...new Set(trials.map((t) => t.resources.source))].join('; ')}`,
  );
  const plots = [
    stripPlot(
      'resources-cpu',
      'data-plane CPU',
      'CPU',
      'millicores',
      measured,
      colors,
      (r) => r.cpuMillicores,
    ),
    stripPlot(
      'resources-memory',
      'data-plane memory (mean over each trial)',
      'memory',
      'MiB',
      measured,
      colors,
      (r) => r.memoryMibMean,
    ),
  ];
  return `${summary}<p class="note">${esc(`Measured: ${sources.join(' · ')}. 1000 millicores (m) = one core busy for the whole trial.`)}</p><div class="grid">${plots.join('\n')}</div>`;
}
