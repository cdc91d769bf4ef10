/**
 * The mesh's control plane (istiod, linkerd-destination …) per trial, where the platform sampled
 * it: a table of medians per variant and component, and the per-trial figures in run order.
 * Reported only: a control plane serves the whole cluster, so its figures are the trial's time,
 * not one variant's cost.
 */
import type { ControlPlaneUse, Results } from '../../results/schema.js';
import { median } from '../../stats/descriptive.js';
import { dataTable, esc, num } from './markup.js';
import { maxOf } from '../../util/extent.js';

export function renderControlPlane(results: Results): string {
  const rows: { variant: string; component: string; sequence: number; use: ControlPlaneUse }[] = [];
  for (const variant of results.variants)
    for (const trial of variant.trials)
      for (const use of trial.controlPlane ?? [])
        rows.push({ variant: variant.id, component: use.component, sequence: trial.sequence, use });
  if (rows.length === 0) return '';
  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = `${row.variant}\u0000${row.component}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const summary = [...groups.values()].map((group) => [
    group[0].variant,
    group[0].component,
    String(group.length),
    num(median(group.map((r) => r.use.cpuMillicores))),
    `${num(median(group.map((r) => r.use.memoryMibMean)))} / ${num(maxOf(group.map((r) => r.use.memoryMibPeak)))}`,
  ]);
  const perTrial = [...rows]
    .sort((a, b) => a.sequence - b.sequence || a.component.localeCompare(b.component))
    .map((r) => [
      r.variant,
      String(r.sequence + 1),
      r.component,
      String(r.use.pods),
      num(r.use.cpuMillicores),
      num(r.use.memoryMibMean),
      num(r.use.memoryMibPeak),
    ]);
  return [
    dataTable(
      'control-plane resources during each variant’s trials (medians over trials; peak memory is the highest)',
      ['variant', 'component', 'trials', 'CPU (m)', 'memory mean / peak (MiB)'],
      summary,
      true,
    ),
    dataTable(
      'control-plane resources per trial',
      ['variant', 'run #', 'component', 'pods', 'CPU (m)', 'memory mean (MiB)', 'memory peak (MiB)'],
      perTrial,
    ),
    `<p class="note">${esc(
      'Measured from the kubelets’ cAdvisor at the start and the end of each trial, all containers of each component’s pods. A control plane serves every namespace of the cluster, so these figures are reported, never gated.',
    )}</p>`,
  ].join('\n');
}
