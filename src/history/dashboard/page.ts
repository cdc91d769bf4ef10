/**
 * The history dashboard: one self-contained HTML page (the report's page shell: inline CSS, a
 * content-security policy that forbids every request, no external script) with one panel per
 * series of the newest TREND_WINDOW records, change points marked, each point linking to its
 * commit. Written next to the report as an artifact; docs/history.md shows how to publish it.
 */
import { esc } from '../../report/html/markup.js';
import { renderPage } from '../../report/html/page.js';
import type { LatencyMetric } from '../../profile/types.js';
import { historyTrend, historyWindow } from '../trend-summary.js';
import type { StoredRecord } from '../samples.js';
import { renderPanel } from './panel.js';

const EXTRA_CSS = `<style>
svg .level{stroke:var(--muted);stroke-width:2;opacity:.8}
svg .step line{stroke:var(--regression);stroke-width:1.5;stroke-dasharray:5 4}svg .step text{fill:var(--regression);font-weight:600;font-size:13px}
svg .history circle{fill:var(--c);stroke:var(--bg);stroke-width:1.5}svg a circle:hover{r:6}
.history-panel{border-top:1px solid var(--border);padding-top:.6em}
td.l,th.l{text-align:left}tr.stepped{background:var(--panel);font-weight:600}
ul.skipped{color:var(--muted);font-size:.85rem}
.history-panel .canvas svg{max-width:980px}
@media (max-width:600px){.history-panel .canvas svg{font-size:26px}.history-panel svg .axis-label{display:none}svg .step text{font-size:24px}svg .history circle{r:6}}
</style>`;

export interface DashboardOptions {
  profile: string;
  /** Where the records came from (a branch or a folder), for the header. */
  source: string;
  skipped?: readonly string[];
  serverUrl?: string;
  metrics?: readonly LatencyMetric[];
}

export function renderDashboard(records: readonly StoredRecord[], options: DashboardOptions): string {
  const window = historyWindow(records);
  const metrics = options.metrics ?? ['p99', 'p50'];
  const first = window[0]?.record.createdAt.slice(0, 10);
  const last = window[window.length - 1]?.record.createdAt.slice(0, 10);
  const sections = metrics.map((metric) => {
    const report = historyTrend(window, metric);
    const panels = report.series.map((series) =>
      renderPanel(series, window, window.length, options.serverUrl),
    );
    return `<section id="metric-${metric}"><h2>${esc(metric)}</h2>${panels.join('\n') || '<p>No series.</p>'}</section>`;
  });
  const method = window.length > 0 ? historyTrend(window.slice(0, 2), 'p99').method : '';
  const skipped = options.skipped ?? [];
  const header = `<header><h1>meshgate history: ${esc(options.profile)}</h1><p class="sub">${window.length} of ${records.length} record(s) from ${esc(options.source)}${first ? ` · ${esc(first)} – ${esc(last)}` : ''}. Mesh variants are drawn as their ratio to the same build without a mesh, measured in each job (runner speed cancels); variants without a mesh raw, in ms. Each panel draws the runs on the default branch, oldest left; each point links to its commit, and the table under it also to its run.</p><nav>${metrics.map((m) => `<a href="#metric-${m}">${esc(m)}</a>`).join('')}</nav></header>`;
  const notes = [
    method ? `<p class="note">Change points: ${esc(method)}.</p>` : '',
    skipped.length > 0
      ? `<p class="note">${skipped.length} file(s) skipped (not valid meshgate records):</p><ul class="skipped">${skipped
          .slice(0, 20)
          .map((s) => `<li>${esc(s.slice(0, 300))}</li>`)
          .join('')}</ul>`
      : '',
  ].join('');
  const body =
    window.length === 0
      ? `${header}<p>No records yet.</p>${notes}`
      : `${header}${EXTRA_CSS}\n${sections.join('\n')}\n${notes}`;
  return renderPage(`meshgate history: ${options.profile}`, body);
}
