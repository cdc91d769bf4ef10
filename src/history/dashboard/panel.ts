/**
 * One series of the history as a panel: an SVG of its points in run order (each point a link to
 * its commit, its tooltip naming commit, time and run), the level of each segment between change
 * points, a dashed line and the short SHA at each change point, and a table twin whose rows link
 * to each commit and run. Values and positions only: every string is escaped.
 */
import { esc, num, px } from '../../report/html/markup.js';
import { linearScale, linearTicks, niceDomain } from '../../report/html/scale.js';
import { describeStep, seriesTitle } from '../../report/trend-text.js';
import type { SeriesTrend } from '../../trend/analyse.js';
import type { StoredRecord } from '../samples.js';
import { recordLinks } from './links.js';

const WIDTH = 760;
const HEIGHT = 300;
const M = { left: 64, right: 20, top: 26, bottom: 44 };

const safeId = (id: string) => id.replace(/[^a-zA-Z0-9_-]/g, '-');
const link = (href: string | undefined, text: string) =>
  href ? `<a href="${esc(href)}">${esc(text)}</a>` : esc(text);

export function renderPanel(
  series: SeriesTrend,
  records: readonly StoredRecord[],
  total: number,
  serverUrl?: string,
): string {
  const id = `${safeId(series.variant)}-${series.metric}`;
  const ratio = series.normalisedBy !== undefined;
  const unit = ratio ? '' : ' ms';
  const title = seriesTitle(series);
  const points = series.points;
  const stepsText = series.skipped
    ? `Not analysed: ${series.skipped}.`
    : series.steps.length === 0
      ? 'No step: the series is flat within its noise.'
      : series.steps.map((step) => describeStep(series, step, total)).join(' · ');
  if (points.length === 0)
    return `<figure class="plot" id="plot-${id}"><figcaption><h3>${esc(title)}</h3><p>${esc(stepsText)}</p></figcaption></figure>`;
  const right = WIDTH - M.right;
  const bottom = HEIGHT - M.bottom;
  const x = linearScale([0, Math.max(1, total - 1)], [M.left + 6, right - 6]);
  const domain = niceDomain(
    points.map((p) => p.value),
    { zero: false },
  );
  const y = linearScale(domain, [bottom, M.top]);
  const yTicks = linearTicks(domain).filter((t) => t.value >= domain[0] && t.value <= domain[1]);
  const xTicks = linearTicks([1, total], (v) => String(Math.round(v))).filter((t) =>
    Number.isInteger(t.value),
  );
  const grid = yTicks
    .map((t) => `<line x1="${M.left}" x2="${right}" y1="${px(y(t.value))}" y2="${px(y(t.value))}"/>`)
    .join('');
  const labels = [
    ...yTicks.map(
      (t) => `<text x="${M.left - 6}" y="${px(y(t.value) + 4)}" text-anchor="end">${esc(t.label)}</text>`,
    ),
    ...xTicks.map(
      (t) => `<text x="${px(x(t.value - 1))}" y="${bottom + 18}" text-anchor="middle">${esc(t.label)}</text>`,
    ),
    `<text class="axis-label" x="${px((M.left + right) / 2)}" y="${HEIGHT - 6}" text-anchor="middle">run on the default branch (oldest left)</text>`,
    `<text class="axis-label" transform="translate(14 ${px((M.top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${ratio ? `${esc(series.metric)} ratio` : `${esc(series.metric)} (ms)`}</text>`,
  ].join('');
  // Segment levels (geometric means between change points), as the text chart draws them.
  const cuts = [0, ...series.steps.map((s) => points.indexOf(s.at)), points.length];
  const levels: string[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const segment = points.slice(cuts[i], cuts[i + 1]);
    const level = Math.exp(segment.reduce((sum, p) => sum + Math.log(p.value), 0) / segment.length);
    const x0 = x(segment[0].position) - 4;
    const x1 = x(segment[segment.length - 1].position) + 4;
    levels.push(
      `<line class="level" x1="${px(x0)}" x2="${px(x1)}" y1="${px(y(level))}" y2="${px(y(level))}"><title>level ${esc(num(level))}${unit}</title></line>`,
    );
  }
  const steps = series.steps.map((step) => {
    const at = x((step.previous.position + step.at.position) / 2);
    const record = records[step.at.position]?.record;
    const href = record ? recordLinks(record, serverUrl).commit : undefined;
    const label = `${(step.at.sha ?? '').slice(0, 7)} ${step.relativeChange >= 0 ? '+' : '−'}${Math.abs(step.relativeChange * 100).toFixed(1)}%`;
    const text = `<text class="step-label" x="${px(Math.min(at + 4, right - 4))}" y="${M.top - 8}" text-anchor="${at > right - 120 ? 'end' : 'start'}">${esc(label)}</text>`;
    return `<g class="step" data-step="${step.at.position}"><line x1="${px(at)}" x2="${px(at)}" y1="${M.top - 4}" y2="${bottom}"/>${href ? `<a href="${esc(href)}">${text}</a>` : text}</g>`;
  });
  const marks = points.map((p) => {
    const record = records[p.position]?.record;
    const links = record ? recordLinks(record, serverUrl) : {};
    const tip = `run ${p.position + 1}/${total}: ${num(p.value)}${unit} · commit ${(p.sha ?? '').slice(0, 12)} · ${p.createdAt}${record?.runId ? ` · run ${record.runId}` : ''}`;
    const circle = `<circle cx="${px(x(p.position))}" cy="${px(y(p.value))}" r="4"><title>${esc(tip)}</title></circle>`;
    return links.commit
      ? `<a href="${esc(links.commit)}" data-point="${p.position}">${circle}</a>`
      : `<g data-point="${p.position}">${circle}</g>`;
  });
  const svg = [
    `<svg data-plot="${esc(id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="t-${id}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="t-${id}">${esc(title)}</title>`,
    `<g class="grid">${grid}</g><rect class="frame" x="${M.left}" y="${M.top}" width="${right - M.left}" height="${bottom - M.top}"/>`,
    `<g class="ticks">${labels}</g><g class="levels">${levels.join('')}</g><g class="steps">${steps.join('')}</g>`,
    `<g class="series history" style="--c:#0072B2">${marks.join('')}</g></svg>`,
  ].join('');
  const rows = [...points].reverse().map((p) => {
    const record = records[p.position]?.record;
    const links = record ? recordLinks(record, serverUrl) : {};
    const stepped = series.steps.some((s) => s.at === p) ? ' class="stepped"' : '';
    return `<tr${stepped}><th scope="row">${p.position + 1}</th><td>${esc(num(p.value))}${unit}</td><td class="l">${link(links.commit, (p.sha ?? '–').slice(0, 12))}</td><td class="l">${link(links.run, record?.runId ? String(record.runId) : '–')}</td><td class="l nw">${esc(p.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''))}</td><td class="l">${esc(record?.verdict ?? '')}</td></tr>`;
  });
  const table = `<details class="data"><summary>Table: ${esc(title)}, newest first</summary><div class="scroll"><table><thead><tr><th scope="col">run</th><th scope="col">${ratio ? 'ratio' : 'ms'}</th><th scope="col" class="l">commit</th><th scope="col" class="l">workflow run</th><th scope="col" class="l">time (UTC)</th><th scope="col" class="l">verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`;
  return `<figure class="plot history-panel" id="plot-${id}"><figcaption><h3>${esc(title)}</h3><p>${esc(stepsText)}</p></figcaption><div class="canvas">${svg}</div>${table}</figure>`;
}
