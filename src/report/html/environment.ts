/** Where and how the run was measured: environment, the profile's load and gate, and method notes. */
import type { Results } from '../../results/schema.js';
import type { Verdict } from '../../verdict/schema.js';
import { dataTable, esc } from './markup.js';
import { redactProfile } from '../../util/secrets.js';

function environmentRows(results: Results): string[][] {
  const e = results.environment;
  const rows: [string, string | undefined][] = [
    ['platform', e.platform],
    ['runner', e.runner],
    ['operating system', e.os],
    ['kernel', e.kernel],
    ['CPU', `${e.cpuModel} × ${e.cpuCount}`],
    ['memory', `${e.memoryMib.toLocaleString('en-US')} MiB`],
    ['Node.js', e.node],
    ['meshgate', e.meshgate],
    ['Kubernetes', e.kubernetesVersion],
    ...Object.entries(e.meshVersions ?? {}).map(([mesh, version]): [string, string] => [
      `mesh ${mesh}`,
      version,
    ]),
    ['git commit', e.git?.sha],
    ['git ref', e.git?.ref],
    ['results created', results.createdAt],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
}

const METHOD_NOTES = [
  'Load is open-loop: requests are sent on a fixed schedule and latency is measured from each request’s intended send time, so a stalled server shows up in the tail instead of slowing the load down (no coordinated omission).',
  'Each variant is one build × data plane; variants run in interleaved trials (A B B A …) after a warm-up, so slow drift of the machine affects all variants alike.',
  'Histograms (HdrHistogram, 1 µs to 60 s, 3 significant digits) are merged by adding counts; percentiles are never averaged.',
  'The verdict compares per-trial values of variants measured in the same job, paired by run order, with a confidence interval on the relative change.',
];

export function renderEnvironment(results: Results, verdict: Verdict | undefined): string {
  const environment = dataTable('environment', ['item', 'value'], environmentRows(results), true);
  const profile = `<details class="data"><summary>Profile “${esc(results.profile.name)}” (normalised)</summary><pre>${esc(JSON.stringify(redactProfile(results.profile), null, 2))}</pre></details>`;
  const method = [
    ...METHOD_NOTES,
    ...(verdict
      ? [
          `Estimator: ${verdict.method.estimator}. Interval: ${verdict.method.interval}. Rule: ${verdict.method.rule}.`,
          ...verdict.notes,
        ]
      : []),
  ];
  return `${environment}${profile}<h3>Method</h3><ul class="notes">${method.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`;
}
