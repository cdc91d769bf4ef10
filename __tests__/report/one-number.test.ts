// test-group: unit
// Issue #34 item 1, "one number everywhere": one run's verdict is rendered on every surface (the
// terminal, the comment's tables and its details, verdict.json, the HTML report, the job outputs);
// each row's before, after, change and interval are read back from the text of each surface and
// must be the same numbers everywhere, agree with verdict.json at the printed digits, and agree
// with each other (after = before × (1 + change)). Rows judged at a stricter level name it.
import { describe, expect, it } from '@jest/globals';
import { measureOutputs } from '../../src/action/outputs.js';
import { renderComment } from '../../src/report/comment/comment.js';
import { METRIC_LABELS } from '../../src/report/format.js';
import { renderHtmlReport } from '../../src/report/html/report.js';
import { renderVerdictText } from '../../src/report/text.js';
import { renderVariantSummary, VARIANT_SUMMARY_CAPTION } from '../../src/report/variant-summary.js';
import { median } from '../../src/stats/descriptive.js';
import { parseVerdictText, type VerdictRow } from '../../src/verdict/schema.js';
import { commentScenarios } from '../__fixtures__/comments.js';

/** One row as a surface prints it. */
interface Shown {
  before: string;
  after: string;
  change: string;
  lower?: string;
  upper?: string;
  /** The level the interval names (" at 98%"), when it names one. */
  level?: string;
}

const LABEL_TO_METRIC = new Map(Object.entries(METRIC_LABELS).map(([metric, label]) => [label, metric]));
const HTML_METRICS: Record<string, string> = {
  'p50 latency': 'p50',
  'p90 latency': 'p90',
  'p99 latency': 'p99',
  'p99.9 latency': 'p999',
  'error rate': 'errorRate',
  'data-plane CPU per 1k requests': 'proxyCpuMsPer1kRequests',
  'data-plane memory': 'proxyMemoryMib',
  'data-plane instructions per request (counted, not timed)': 'instructionsPerRequest',
};

const key = (variant: string, comparedWith: string, metric: string) =>
  `${variant} | ${comparedWith} | ${metric}`;
const number = (text: string) => Number(text.replace(/,/g, '').replace('−', '-').replace(/[%+]/g, ''));

/**
 * "10.01 → 12.05 ms" and "+20.4% (+18.2 … +22.2 at 98%)" into their numbers (lenient about units
 * and brackets, so that a surface that drifted still parses and its numbers are compared).
 */
function parseCells(levels: string, change: string): Shown | undefined {
  const l = /^(—|[\d,.]+)%?(?: [^→]*)? → ([\d,.]+)%?/.exec(levels.trim());
  const c = /^([+−][\d.]+)(?:%| pp)(?:\s*[([](.*)[)\]])?(†)?$/.exec(change.trim());
  if (!l || !c) return undefined;
  const shown: Shown = { before: l[1], after: l[2], change: c[1] };
  const interval = /^([+−][\d.]+)%?(?: …|,) ([+−][\d.]+)%?(?: at ([\d.]+)%)?$/.exec(c[2] ?? '');
  if (interval) {
    shown.lower = interval[1];
    shown.upper = interval[2];
    if (interval[3]) shown.level = interval[3];
  }
  if (c[3]) shown.level = '†';
  return shown;
}

function terminalRows(text: string): Map<string, Shown> {
  const rows = new Map<string, Shown>();
  let pair: [string, string] | undefined;
  const footnote = /^† interval at ([\d.]+)%/m.exec(text)?.[1];
  for (const line of text.split('\n')) {
    const heading = /^(?:Head vs base build|Mesh overhead|Allowances): (\S+) vs (.+)$/.exec(line);
    if (heading) pair = [heading[1], heading[2]];
    const cells = line.split(/ {2,}/);
    if (!pair || cells.length < 5 || cells[0] === 'status') continue;
    const metric = LABEL_TO_METRIC.get(cells[1].trim());
    const shown = metric && parseCells(cells[2], cells[3]);
    if (!shown) continue;
    if (shown.level === '†') shown.level = footnote;
    rows.set(key(pair[0], pair[1], metric), shown);
  }
  return rows;
}

function commentTableRows(markdown: string): Map<string, Shown> {
  const rows = new Map<string, Shown>();
  let pair: [string, string] | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^### (?:Head vs base build|Mesh overhead|Allowances): (\S+) vs (.+)$/.exec(line);
    if (heading) pair = [heading[1], heading[2]];
    else if (line.startsWith('### ')) pair = undefined;
    const cells = line.split(' | ');
    if (!pair || !line.startsWith('| ') || cells.length < 5) continue;
    const metric = LABEL_TO_METRIC.get(cells[1]);
    const shown = metric && parseCells(cells[2], cells[3]);
    if (shown) rows.set(key(pair[0], pair[1], metric), shown);
  }
  return rows;
}

/** The details' table: "| head/none vs base/none · p99 | 10.01 → 12.05 ms | …" (levels only). */
function commentDetailRows(markdown: string): Map<string, Pick<Shown, 'before' | 'after'>> {
  const rows = new Map<string, Pick<Shown, 'before' | 'after'>>();
  for (const match of markdown.matchAll(/^\| (\S+) vs (.+?) · (.+?) \| (.+?) \|/gm)) {
    const metric = LABEL_TO_METRIC.get(match[3]);
    const levels = /^(—|[\d,.]+)%?(?: [^→]*)? → ([\d,.]+)%?/.exec(match[4]);
    if (metric && levels) rows.set(key(match[1], match[2], metric), { before: levels[1], after: levels[2] });
  }
  return rows;
}

/** The comment's "numbers behind this chart": the charted change of each judged percentile. */
function commentChartRows(markdown: string): Map<string, Omit<Shown, 'before' | 'after'>> {
  const rows = new Map<string, Omit<Shown, 'before' | 'after'>>();
  const metrics: Record<string, string> = { '50': 'p50', '90': 'p90', '99': 'p99', '99.9': 'p999' };
  for (const block of markdown.matchAll(/^<sub>(\S+) vs (\S+), [\s\S]*?<\/details>/gm))
    for (const m of block[0].matchAll(
      /^\| p([\d.]+) \| ([+−][\d.]+) \| ([+−][\d.]+) … ([+−][\d.]+)(?: at ([\d.]+)%)? \|$/gm,
    ))
      if (metrics[m[1]])
        rows.set(key(block[1], block[2], metrics[m[1]]), {
          change: m[2],
          lower: m[3],
          upper: m[4],
          ...(m[5] ? { level: m[5] } : {}),
        });
  return rows;
}

function htmlRows(html: string): Map<string, Shown> {
  const rows = new Map<string, Shown>();
  const text = (cell: string) =>
    cell
      .replace(/<br>/g, ' ')
      .replace(/<[^>]+>/g, '')
      .replace(/&nbsp;/g, ' ')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  for (const table of html.matchAll(/<table class="checks">([\s\S]*?)<\/table>/g))
    for (const tr of table[1].matchAll(/<tr>(<td[\s\S]*?)<\/tr>/g)) {
      // By position (verdict, comparison, metric, before, after, change), whatever the labels say.
      const [, comparison, metricName, before, after, change] = [
        ...tr[1].matchAll(/data-label="[^"]+"><span>([\s\S]*?)<\/span><\/t[dh]>/g),
      ].map((m) => text(m[1]));
      const pair = /^\S+: (\S+) vs (.+)$/.exec(comparison ?? '');
      const metric = HTML_METRICS[metricName ?? ''];
      const shown = parseCells(`${before?.replace(/ .*$/, '')} → ${after}`, change ?? '');
      if (pair && metric && shown) rows.set(key(pair[1], pair[2], metric), shown);
    }
  return rows;
}

/** Half a unit of the last printed digit of `text`. */
const halfUnit = (text: string) => 0.5 * 10 ** -(text.split('.')[1]?.length ?? 0);

function expectMatchesRow(shown: Shown, row: VerdictRow, where: string) {
  const scale = row.unit === 'fraction' ? 100 : 1;
  const near = (text: string, value: number | null, what: string) => {
    if (text === '—') return expect({ where, what, value }).toEqual({ where, what, value: null });
    expect({
      where,
      what,
      off: Math.abs(number(text) - (value ?? NaN) * scale) <= halfUnit(text) + 1e-9,
    }).toEqual({
      where,
      what,
      off: true,
    });
  };
  near(shown.before, row.baseline, 'before');
  near(shown.after, row.current, 'after');
  if (row.unit !== 'fraction') {
    near(shown.change, row.change === null ? null : row.change * 100, 'change');
    if (shown.lower !== undefined) near(shown.lower, (row.changeLower ?? NaN) * 100, 'lower');
    if (shown.upper !== undefined) near(shown.upper, (row.changeUpper ?? NaN) * 100, 'upper');
    // The judged interval names its level whenever it is not the table's.
    expect({ where, level: shown.level }).toEqual({
      where,
      level: row.lookConfidence !== undefined ? String(+(row.confidence * 100).toFixed(1)) : undefined,
    });
  }
}

describe('one number everywhere', () => {
  const scenarios = commentScenarios().filter((s) => ['regression', 'inconclusive', 'cost'].includes(s.name));

  it.each(scenarios.map((s) => [s.name, s] as const))(
    '%s: every surface shows each row with the same before, after, change and interval',
    (_name, { results, verdict: decided }) => {
      // verdict.json as written and read back: the surfaces render what later steps read.
      const verdict = parseVerdictText(JSON.stringify(decided), 'verdict.json');
      const surfaces = {
        terminal: terminalRows(renderVerdictText(verdict)),
        comment: commentTableRows(renderComment(results, verdict)),
        html: htmlRows(renderHtmlReport(results, verdict)),
      };
      const details = commentDetailRows(renderComment(results, verdict));
      for (const [surface, rows] of Object.entries({ ...surfaces, details }))
        expect({ surface, rows: rows.size >= 2 }).toEqual({ surface, rows: true });
      const relative = verdict.checks.filter((c) => c.unit !== 'fraction' && c.change !== null);
      expect(relative.length).toBeGreaterThan(3);
      // Every row with a change (a level reported alone has none to carry).
      for (const row of verdict.checks.filter((c) => c.change !== null || c.unit === 'fraction')) {
        const id = key(row.variant, row.comparedWith, row.metric);
        // verdict.json: the after is the judged change applied to the before.
        if (row.baseline !== null && row.change !== null && row.unit !== 'fraction')
          expect(row.current).toBeCloseTo(row.baseline * (1 + row.change), 9);
        const found = Object.entries(surfaces).flatMap(([name, rows]) =>
          rows.has(id) ? [[name, rows.get(id)!] as const] : [],
        );
        // The terminal and the HTML report show every row; the comment's tables the gating ones.
        expect({ id, on: found.map(([name]) => name).filter((n) => n !== 'comment') }).toEqual({
          id,
          on: ['terminal', 'html'],
        });
        for (const [name, shown] of found) {
          expectMatchesRow(shown, row, `${name}: ${id}`);
          // Same digits on every surface.
          expect({ id, name, shown }).toEqual({ id, name, shown: found[0][1] });
        }
        if (details.has(id))
          expect({ id, details: details.get(id) }).toEqual({
            id,
            details: { before: found[0][1].before, after: found[0][1].after },
          });
        // before → after and the change agree arithmetically, at the printed digits.
        const [, shown] = found[0];
        if (row.unit !== 'fraction' && shown.before !== '—') {
          const implied = (number(shown.after) / number(shown.before) - 1) * 100;
          const slack =
            (halfUnit(shown.after) / number(shown.after) + halfUnit(shown.before) / number(shown.before)) *
            100;
          expect({ id, agree: Math.abs(implied - number(shown.change)) <= slack * 1.01 + 0.05 }).toEqual({
            id,
            agree: true,
          });
        }
      }
      // The chart of the change by percentile plots the judged rows' own change and interval. Where
      // a counted, CPU, memory or capacity row decided, the comment charts that metric instead
      // (report/comment/metric-chart.ts), and its table carries the row's numbers.
      const charted = commentChartRows(renderComment(results, verdict));
      const latencyDecided = !verdict.checks.some(
        (c) => c.gating && c.unit !== 'ms' && c.unit !== 'fraction' && c.verdict !== 'pass',
      );
      if (latencyDecided) expect(charted.size).toBeGreaterThanOrEqual(4);
      else expect(renderComment(results, verdict)).toContain('```text');
      for (const [id, point] of charted) {
        const { before: _before, after: _after, ...row } = surfaces.terminal.get(id)!;
        expect({ id, chart: point }).toEqual({ id, chart: row });
      }
      // The job outputs: the gate's overhead estimate is the overhead row's change.
      const outputs = measureOutputs(results, verdict, { results: '', verdict: '', report: '' }, {});
      const overhead = verdict.checks.find(
        (c) => c.comparison === 'overhead' && c.metric === 'p99' && c.variant === 'head/nginx',
      );
      expect(outputs['overhead-p99']).toBe(
        overhead?.change == null ? '' : String(Number(overhead.change.toFixed(4))),
      );
      // A note that quotes a change quotes its row's: "head costs +0.041 ms p99 and +2.1% CPU".
      const cost = verdict.notes.find((n) => n.includes('head costs'));
      expect(cost !== undefined).toBe(_name === 'cost');
      if (cost) {
        const p99 = surfaces.terminal.get(key('head/nginx', 'base/nginx', 'p99'))!;
        const cpu = surfaces.terminal.get(key('head/nginx', 'base/nginx', 'proxyCpuMsPer1kRequests'))!;
        const delta = number(p99.after) - number(p99.before);
        const decimals = p99.after.split('.')[1]?.length ?? 0;
        expect(cost).toContain(
          `head costs ${delta >= 0 ? '+' : '−'}${Math.abs(delta).toFixed(decimals)} ms p99 and ${cpu.change}% CPU per request`,
        );
      }
    },
  );

  it("the variant table gives each variant's median of its trials, the same figure as a row's before", () => {
    const { results, verdict } = scenarios.find((s) => s.name === 'regression')!;
    const [caption, header, ...lines] = renderVariantSummary(results).split('\n');
    expect(caption).toBe(VARIANT_SUMMARY_CAPTION);
    const p99Column = header.split(/ {2,}/).indexOf('p99');
    const terminal = terminalRows(renderVerdictText(verdict));
    for (const variant of results.variants) {
      const cells = lines.find((line) => line.startsWith(`${variant.id} `))!.split(/ {2,}/);
      const shown = cells[p99Column];
      const trials = median(variant.trials.map((t) => t.latencyMs.p99));
      expect(Math.abs(Number(shown) - trials)).toBeLessThanOrEqual(halfUnit(shown));
      // Not the pooled histogram's figure (the fixture's merged summary differs from every trial's).
      expect(Number(shown)).not.toBe(variant.latencyMs.p99);
      for (const row of verdict.checks.filter((c) => c.comparedWith === variant.id && c.metric === 'p99')) {
        const before = terminal.get(key(row.variant, row.comparedWith, 'p99'))!.before;
        expect(Math.abs(Number(shown) - Number(before))).toBeLessThanOrEqual(
          halfUnit(shown) + halfUnit(before),
        );
      }
    }
  });

  it("the variant table's data-plane figures are the ones the rows judge (CPU per 1k requests, peak memory)", () => {
    const { results, verdict } = scenarios.find((s) => s.name === 'cost')!;
    const [, header, ...lines] = renderVariantSummary(results).split('\n');
    const terminal = terminalRows(renderVerdictText(verdict));
    const columns = { proxyCpuMsPer1kRequests: 'CPU ms/1k', proxyMemoryMib: 'MiB peak' };
    let compared = 0;
    for (const [metric, title] of Object.entries(columns)) {
      const column = header.split(/ {2,}/).indexOf(title);
      for (const row of verdict.checks.filter((c) => c.metric === metric && c.comparison === 'build')) {
        const shown = lines.find((line) => line.startsWith(`${row.comparedWith} `))!.split(/ {2,}/)[column];
        const before = terminal.get(key(row.variant, row.comparedWith, metric))!.before;
        expect({ metric, shown: Number(shown) }).toEqual({ metric, shown: Number(before) });
        compared++;
      }
    }
    expect(compared).toBe(2);
    // The HTML report's resources table: the same medians at the same digits.
    const html = renderHtmlReport(results, verdict);
    const start = html.indexOf('<caption>data-plane resources per variant');
    const table = html.slice(start, html.indexOf('</table>', start));
    for (const tr of table.matchAll(
      /<tr><th scope="row">([^<]+)<\/th><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g,
    )) {
      const cells = lines.find((line) => line.startsWith(`${tr[1]} `))!.split(/ {2,}/);
      const column = (title: string) => cells[header.split(/ {2,}/).indexOf(title)];
      expect({ variant: tr[1], cpu: tr[3], peak: tr[4].split(' / ')[1] }).toEqual({
        variant: tr[1],
        cpu: column('CPU ms/1k'),
        peak: column('MiB peak'),
      });
      compared++;
    }
    expect(compared).toBe(4);
  });

  it('names the stricter level of a noisy row on every surface', () => {
    const { results, verdict } = scenarios.find((s) => s.name === 'inconclusive')!;
    const noisy = verdict.checks.find((c) => c.lookConfidence !== undefined)!;
    expect(noisy).toBeDefined();
    const id = key(noisy.variant, noisy.comparedWith, noisy.metric);
    for (const rows of [
      terminalRows(renderVerdictText(verdict)),
      commentTableRows(renderComment(results, verdict)),
      htmlRows(renderHtmlReport(results, verdict)),
    ])
      expect(rows.get(id)?.level).toBe(String(+(noisy.confidence * 100).toFixed(1)));
  });
});
