/**
 * The capacity search in the HTML report (capacity profiles): one plot of every step's trials —
 * requested rate across, the SLO's first latency percentile up, log scales, a point per trial
 * and the SLO as a dashed line — and the table of every
 * step of every variant, in the order it ran, with its verdict and why.
 */
import { capacitySpecOf, describeSlo } from '../../capacity/describe.js';
import type { LatencyMetric } from '../../profile/types.js';
import { describeEfficiency, efficiencyRows } from '../../capacity/efficiency.js';
import type { Results, Variant } from '../../results/schema.js';
import { renderPlot, type Series } from './chart.js';
import { attrs, esc, num } from './markup.js';
import type { Colors } from './palette.js';
import { logDomain, logTicks, snugLogDomain } from './scale.js';

const LABEL: Record<LatencyMetric, string> = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9' };

interface StepPoint {
  variant: Variant;
  step: number;
  rps: number;
  trialIndex: number;
  value: number;
  verdict: string;
}

function stepPoints(variant: Variant, metric: LatencyMetric): StepPoint[] {
  return (variant.capacity?.steps ?? []).flatMap((step, s) =>
    step.trials.flatMap((index) => {
      const trial = variant.trials[index];
      return trial
        ? [
            {
              variant,
              step: s + 1,
              rps: step.rps,
              trialIndex: index,
              value: trial.latencyMs[metric],
              verdict: step.verdict,
            },
          ]
        : [];
    }),
  );
}

export function renderCapacity(results: Results, colors: Colors): string {
  const searched = results.variants.filter((v) => v.capacity);
  if (searched.length === 0) return '';
  const spec = capacitySpecOf(results);
  const metrics = Object.keys(spec?.slo.latencyMs ?? {}) as LatencyMetric[];
  const metric: LatencyMetric = metrics[0] ?? 'p99';
  const limitMs = spec?.slo.latencyMs[metric];
  const points = searched.flatMap((variant) => stepPoints(variant, metric));
  const xDomain = snugLogDomain([...points.map((p) => p.rps), ...(spec ? [spec.minRps, spec.maxRps] : [])]);
  const yDomain = logDomain([...points.map((p) => p.value), ...(limitMs ? [limitMs] : [])]);
  const series: Series[] = searched.flatMap((variant): Series[] => {
    const own = points.filter((p) => p.variant === variant);
    const mark = (p: StepPoint) => ({
      x: p.rps,
      y: p.value,
      title: `${variant.id} step ${p.step} at ${p.rps} rps, trial ${p.trialIndex + 1}: ${LABEL[metric]} ${num(p.value)} ms (${p.verdict})`,
    });
    const color = colors.get(variant.id) ?? '#555';
    return [{ id: variant.id, label: variant.id, color, runs: [own.map(mark)], markers: true, line: false }];
  });
  if (limitMs !== undefined)
    series.push({
      id: 'slo',
      label: `SLO ${LABEL[metric]} ≤ ${num(limitMs)} ms`,
      color: '#888',
      runs: [
        [
          { x: xDomain[0], y: limitMs },
          { x: xDomain[1], y: limitMs },
        ],
      ],
      dashed: true,
    });
  // The capacity found: a dashed vertical line in the variant's colour at the highest rate that
  // held the SLO, toggled with the variant's points.
  for (const variant of searched) {
    const found = variant.capacity!.lowerRps;
    if (found === null || found < xDomain[0] || found > xDomain[1]) continue;
    series.push({
      id: `capacity:${variant.id}`,
      group: variant.id,
      label: `${variant.id} capacity ${num(found)} rps`,
      color: colors.get(variant.id) ?? '#555',
      runs: [
        [
          { x: found, y: yDomain[0], title: `${variant.id}: capacity at the SLO ${num(found)} rps` },
          { x: found, y: yDomain[1], title: `${variant.id}: capacity at the SLO ${num(found)} rps` },
        ],
      ],
      dashed: true,
    });
  }
  const rows = searched.flatMap((variant) =>
    (variant.capacity?.steps ?? []).map((step, s) => {
      const trials = step.trials.map((i) => variant.trials[i]).filter((t) => t !== undefined);
      return [
        variant.id,
        String(s + 1),
        String(step.rps),
        trials.map((t) => String(t.sequence + 1)).join(', '),
        trials.map((t) => num(t.latencyMs[metric])).join(', '),
        trials.map((t) => `${t.errors}/${t.requests}`).join(', '),
        `${step.verdict}${step.borderline ? ' (borderline, re-run)' : ''}`,
        step.reason,
      ];
    }),
  );
  const table = stepTable(
    'Every step of every capacity search',
    ['variant', 'step', 'rate (rps)', 'run #', `${LABEL[metric]} (ms)`, 'errors/requests', 'verdict', 'why'],
    rows,
  );
  const plot = renderPlot(
    {
      id: 'capacity-steps',
      title: `${LABEL[metric]} of every step's trials by requested rate`,
      description: `Each point is one trial of the capacity search${spec ? ` (SLO: ${describeSlo(spec.slo)})` : ''}; the grey dashed line is the SLO's ${LABEL[metric]} ceiling, and a dashed vertical line in a variant's colour marks the capacity it found (the highest rate that held the SLO). Which steps held the whole SLO (errors and rate too) is in the table below and in each point's tooltip.`,
      x: { label: 'requested rate (requests/s)', log: true, domain: xDomain, ticks: logTicks(xDomain) },
      y: { label: `${LABEL[metric]} latency (ms)`, log: true, domain: yDomain, ticks: logTicks(yDomain) },
      series,
    },
    table,
  );
  const answers = searched.map((variant) => {
    const c = variant.capacity!;
    const found =
      c.lowerRps === null
        ? `below ${c.upperRps} rps`
        : c.upperRps === null
          ? `at least ${c.lowerRps} rps`
          : `${c.lowerRps} rps (missed at ${c.upperRps} rps, ${num((c.precision ?? 0) * 100)}%)`;
    return `<li><strong>${esc(variant.id)}</strong>: ${esc(found)} after ${esc(c.steps.length)} steps; stopped: ${esc(c.stop.replace('_', ' '))}</li>`;
  });
  // The efficiency index of each mesh (docs/method.md), from the results alone.
  const efficiency = efficiencyRows(results).map((row) => `<li>${esc(describeEfficiency(row))}</li>`);
  return `<ul class="capacity">${[...answers, ...efficiency].join('')}</ul>${plot}`;
}

/**
 * The steps as a table that becomes one card per row at phone width (the `checks` layout of the
 * verdict's table): eight columns with a sentence in the last do not fit 400 px side by side.
 */
function stepTable(caption: string, columns: string[], rows: string[][]): string {
  const head = columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = row.map((cell, i) => {
        const tag = i === 0 ? 'th scope="row"' : 'td';
        return `<${tag}${attrs({ 'data-label': columns[i], class: i === columns.length - 1 ? 'reason' : undefined })}><span>${esc(cell)}</span></${tag.split(' ')[0]}>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<details class="data" open><summary>Table: ${esc(caption)}</summary><div class="scroll"><table class="checks"><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div></details>`;
}
