/**
 * renderHtmlReport: results (and the verdict) → one self-contained HTML page with the verdict,
 * the capacity search's steps (capacity profiles),
 * percentile-distribution plots per comparison, per-trial plots in run order, per-second
 * timelines, data-plane and control-plane resources, and the environment — every plot with a table twin.
 */
import type { Results } from '../../results/schema.js';
import type { Verdict } from '../../verdict/schema.js';
import { isCapacityRun } from '../../capacity/describe.js';
import { renderCapacity } from './capacity.js';
import { renderChangePlots } from './change.js';
import { renderControlPlane } from './control-plane.js';
import { renderCost } from './cost.js';
import { renderEnvironment } from './environment.js';
import { esc } from './markup.js';
import { renderPage } from './page.js';
import { variantColors } from './palette.js';
import { renderPercentilePlots } from './percentiles.js';
import { renderResources } from './resources.js';
import { renderTimelines } from './timeline.js';
import { renderTrialPlots, trialsIntro } from './trials.js';
import { renderVerdict } from './verdict.js';
import { trialCountText } from '../trial-count.js';

const SECTIONS = [
  ['verdict', 'Verdict'],
  ['capacity', 'Capacity search'],
  ['change', 'Change by percentile'],
  ['percentiles', 'Latency by percentile'],
  ['trials', 'Trials in run order'],
  ['timeline', 'Timeline'],
  ['resources', 'Data-plane resources'],
  ['cost', 'Instructions per request (counted)'],
  ['control-plane', 'Control-plane resources'],
  ['environment', 'Environment and method'],
] as const;

/** Format name → its precision in a few words (verdict/notes/imported-precision.ts says more). */
const IMPORTED_PRECISION: Record<string, string> = {
  fortio: 'fortio, coarse buckets',
  nighthawk: 'Nighthawk, a percentile ladder',
  'hdrhistogram-log': 'HdrHistogram logs, full precision',
};

const precisionOf = (format: unknown): string =>
  typeof format === 'string' && Object.hasOwn(IMPORTED_PRECISION, format)
    ? IMPORTED_PRECISION[format]
    : 'other tools';

function loadSummary(results: Results): string {
  const profile = results.profile as {
    load?: {
      rps?: number;
      connections?: number;
      durationS?: number;
      warmupS?: number;
      protocol?: string;
      capacity?: { minRps?: unknown; maxRps?: unknown };
    };
  };
  const load = profile.load;
  const parts = [trialCountText(results)];
  // Imported: the source tool's precision, in the header (the note under Method says why).
  const imported = (results.profile as { imported?: unknown }).imported;
  if (Array.isArray(imported) && imported.length > 0)
    parts.push(
      `imported from ${imported.length} file(s): ${[...new Set(imported.map((entry) => precisionOf((entry as { format?: unknown } | null)?.format)))].join(', ')}`,
    );
  if (load) {
    const capacity = load.capacity;
    if (capacity && typeof capacity.minRps === 'number' && typeof capacity.maxRps === 'number')
      parts.push(`capacity search ${capacity.minRps}–${capacity.maxRps} requests/s open-loop`);
    else if (typeof load.rps === 'number')
      parts.push(load.rps > 0 ? `${load.rps} requests/s open-loop` : 'as fast as possible (closed loop)');
    if (typeof load.connections === 'number') parts.push(`${load.connections} connections`);
    if (typeof load.durationS === 'number')
      parts.push(
        `${load.durationS} s per ${capacity ? 'step trial' : 'trial'}${typeof load.warmupS === 'number' ? ` after ${load.warmupS} s warm-up` : ''}`,
      );
    if (load.protocol) parts.push(load.protocol);
  }
  parts.push(`on ${results.environment.platform}`);
  return parts.join(' · ');
}

export function renderHtmlReport(results: Results, verdict?: Verdict): string {
  const colors = variantColors(results);
  const sha = results.environment.git?.sha;
  const bodies: Record<(typeof SECTIONS)[number][0], string> = {
    verdict: renderVerdict(verdict),
    capacity: renderCapacity(results, colors),
    change: renderChangePlots(results, verdict, colors),
    // A capacity run's trials are steps at different rates: merging them makes no distribution.
    percentiles: isCapacityRun(results) ? '' : renderPercentilePlots(results, colors),
    trials: trialsIntro(results) + renderTrialPlots(results, colors),
    timeline: renderTimelines(results, colors),
    resources: renderResources(results, colors),
    cost: renderCost(results, verdict),
    'control-plane': renderControlPlane(results),
    environment: renderEnvironment(results, verdict),
  };
  // A section with nothing to show is left out, and so is its link.
  const shown = SECTIONS.filter(([id]) => bodies[id] !== '');
  const header = `<header><h1>meshgate report: ${esc(results.profile.name)}</h1><p class="sub">${esc(loadSummary(results))}${sha ? ` · commit <code>${esc(sha.slice(0, 12))}</code>` : ''} · ${esc(results.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</p><nav>${shown.map(([id, title]) => `<a href="#${id}">${esc(title)}</a>`).join('')}</nav></header>`;
  const sections = shown.map(
    ([id, title]) => `<section id="${id}"><h2>${esc(title)}</h2>\n${bodies[id]}\n</section>`,
  );
  return renderPage(`meshgate report: ${results.profile.name}`, [header, ...sections].join('\n'));
}
