/**
 * One SVG plot, rendered as text on the server side. Why not a charting library in the page:
 * the report must open from an artifact zip with no network and stay small, the same results must
 * give the same bytes (diffable, testable without a browser), and the plots needed here — lines
 * and points on linear or log axes — take a few hundred lines. The page's only script toggles
 * series from the legend; every plot also renders without it.
 *
 * Markup contract (tests and users' scripts rely on it): each plot is `<svg data-plot="ID">`,
 * each series one `<g data-series="SERIES">` inside it.
 */
import { attrs, esc, px } from './markup.js';
import { linearScale, logScale, type Scale, type Tick } from './scale.js';

export interface Point {
  x: number;
  y: number;
  /** Tooltip text of the point's marker. */
  title?: string;
}

export interface Series {
  id: string;
  /** Legend entry that toggles this series; series of one variant may share one (default: id). */
  group?: string;
  label: string;
  color: string;
  /** Separate polylines (e.g. one per trial, so that gaps between trials are not bridged). */
  runs: Point[][];
  line?: boolean;
  /** A marker on every point of `runs`. */
  markers?: boolean;
  /** Markers at chosen points only (e.g. the labelled percentiles). */
  marks?: Point[];
  dashed?: boolean;
  /** A faint line: joins markers without competing with them. */
  thin?: boolean;
  /** A shaded band between two curves over the same x values (a confidence band). */
  area?: { lower: Point[]; upper: Point[] };
}

/** A shaded stretch of the x axis, e.g. one trial on a timeline. */
export interface Band {
  x0: number;
  x1: number;
  color: string;
  title: string;
}

export interface Axis {
  label: string;
  log?: boolean;
  domain: [number, number];
  ticks: Tick[];
}

export interface PlotSpec {
  id: string;
  title: string;
  /** One or two sentences: what is drawn and how to read it. */
  description: string;
  x: Axis;
  y: Axis;
  series: Series[];
  bands?: Band[];
  widthPx?: number;
  heightPx?: number;
  /** Extra legend entries explaining line styles, e.g. solid = p99. */
  styleKey?: { label: string; dashed?: boolean }[];
}

const WIDTH_PX = 640;
const MARGIN = { left: 70, right: 36, top: 14, bottom: 48 };

const safeId = (id: string) => id.replace(/[^a-zA-Z0-9_-]/g, '-');

function seriesMarkup(series: Series, x: Scale, y: Scale): string {
  const parts: string[] = [];
  if (series.area && series.area.lower.length > 1) {
    const outline = [...series.area.upper, ...[...series.area.lower].reverse()];
    const d = outline.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(x(p.x))} ${px(y(p.y))}`).join('');
    parts.push(`<path class="area" d="${d}Z"/>`);
  }
  if (series.line !== false) {
    const d = series.runs
      .filter((run) => run.length > 0)
      .map((run) => run.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(x(p.x))} ${px(y(p.y))}`).join(''))
      .join('');
    if (d) parts.push(`<path d="${d}"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
  }
  const marked = [...(series.markers ? series.runs.flat() : []), ...(series.marks ?? [])];
  for (const p of marked)
    parts.push(
      `<circle cx="${px(x(p.x))}" cy="${px(y(p.y))}" r="3.5">${p.title ? `<title>${esc(p.title)}</title>` : ''}</circle>`,
    );
  return `<g class="${series.thin ? 'series thin' : 'series'}"${attrs({ 'data-series': series.id, 'data-group': series.group ?? series.id, style: `--c:${series.color}` })}>${parts.join('')}</g>`;
}

export function renderSvg(spec: PlotSpec): string {
  const width = spec.widthPx ?? WIDTH_PX;
  const height = spec.heightPx ?? 320;
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const x = (spec.x.log ? logScale : linearScale)(spec.x.domain, [left, right]);
  const y = (spec.y.log ? logScale : linearScale)(spec.y.domain, [bottom, top]);
  const id = safeId(spec.id);
  const inX = (t: Tick) => t.value >= spec.x.domain[0] && t.value <= spec.x.domain[1];
  const inY = (t: Tick) => t.value >= spec.y.domain[0] && t.value <= spec.y.domain[1];
  const bands = (spec.bands ?? [])
    .map(
      (b) =>
        `<rect class="band" x="${px(x(b.x0))}" y="${top}" width="${px(Math.max(1, x(b.x1) - x(b.x0)))}" height="${bottom - top}" style="--c:${b.color}"><title>${esc(b.title)}</title></rect>`,
    )
    .join('');
  const grid = [
    ...spec.y.ticks
      .filter(inY)
      .map((t) => `<line x1="${left}" x2="${right}" y1="${px(y(t.value))}" y2="${px(y(t.value))}"/>`),
    ...spec.x.ticks
      .filter(inX)
      .map((t) => `<line x1="${px(x(t.value))}" x2="${px(x(t.value))}" y1="${top}" y2="${bottom}"/>`),
  ].join('');
  const labels = [
    ...spec.y.ticks
      .filter(inY)
      .map(
        (t) =>
          `<text x="${left - 6}" y="${px(y(t.value))}" dy="0.3em" text-anchor="end">${esc(t.label)}</text>`,
      ),
    ...spec.x.ticks.filter(inX).map(
      // Offsets in em: a phone draws the wide plots' labels larger (page.ts), and they keep clear of the frame.
      (t) =>
        `<text x="${px(x(t.value))}" y="${bottom + 4}" dy="0.95em" text-anchor="middle">${esc(t.label)}</text>`,
    ),
    `<text class="axis-label" x="${px((left + right) / 2)}" y="${height - 6}" text-anchor="middle">${esc(spec.x.label)}</text>`,
    `<text class="axis-label" transform="translate(16 ${px((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${esc(spec.y.label)}</text>`,
  ].join('');
  return [
    `<svg${attrs({ 'data-plot': spec.id, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `t-${id} d-${id}`, xmlns: 'http://www.w3.org/2000/svg' })}>`,
    `<title id="t-${id}">${esc(spec.title)}</title><desc id="d-${id}">${esc(spec.description)}</desc>`,
    `<defs><clipPath id="clip-${id}"><rect x="${left}" y="${top - 4}" width="${right - left}" height="${bottom - top + 8}"/></clipPath></defs>`,
    `<g class="bands">${bands}</g><g class="grid">${grid}</g>`,
    `<rect class="frame" x="${left}" y="${top}" width="${right - left}" height="${bottom - top}"/>`,
    `<g class="ticks">${labels}</g>`,
    `<g clip-path="url(#clip-${id})">${spec.series.map((s) => seriesMarkup(s, x, y)).join('')}</g>`,
    '</svg>',
  ].join('');
}

function legend(spec: PlotSpec): string {
  const groups = new Map<string, Series>();
  for (const s of spec.series) if (!groups.has(s.group ?? s.id)) groups.set(s.group ?? s.id, s);
  const items = [...groups].map(
    ([group, s]) =>
      `<li><button type="button"${attrs({ 'data-toggle': group, 'aria-pressed': 'true', style: `--c:${s.color}` })}><span class="swatch${s.line === false ? ' dot' : ''}"></span>${esc(s.group ? group : s.label)}</button></li>`,
  );
  const key = (spec.styleKey ?? []).map(
    (k) => `<li class="key"><span class="swatch${k.dashed ? ' dashed' : ''}"></span>${esc(k.label)}</li>`,
  );
  return `<ul class="legend">${[...items, ...key].join('')}</ul>`;
}

/** The plot in a figure: title, description, legend (click to hide a series), SVG, then `table`. */
export function renderPlot(spec: PlotSpec, table: string): string {
  const wide = spec.widthPx !== undefined && spec.widthPx > WIDTH_PX;
  // A phone hides a wide plot's axis titles (its labels are drawn large to stay readable, and
  // the titles would collide with them); this line says them instead (page.ts).
  const axes = wide ? `<p class="axes">x: ${esc(spec.x.label)} · y: ${esc(spec.y.label)}</p>` : '';
  return `<figure class="plot${wide ? ' wide' : ''}" id="plot-${safeId(spec.id)}"><figcaption><h3>${esc(spec.title)}</h3><p>${esc(spec.description)}</p></figcaption>${legend(spec)}<div class="canvas">${renderSvg(spec)}</div>${axes}${table}</figure>`;
}
