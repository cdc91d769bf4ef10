/**
 * A series as a text chart: one column per baseline (oldest left), values on `heightRows` rows,
 * the segment levels between steps drawn as a line, and a ▲ under each step. Only numbers and
 * fixed symbols: the chart can go into a terminal or a markdown code block as it is.
 */
import type { SeriesTrend } from '../trend/analyse.js';
import { maxOf, minOf } from '../util/extent.js';

const POINT = '●';
const LEVEL = '─';

export function formatLevel(value: number, ratio: boolean): string {
  return ratio ? value.toFixed(3) : `${value.toPrecision(3)} ms`;
}

export function renderTrendChart(series: SeriesTrend, heightRows = 8): string {
  const values = series.points.map((p) => p.value);
  if (values.length === 0) return '(no baselines)';
  const low = minOf(values);
  const high = maxOf(values);
  const span = high - low || Math.abs(high) || 1;
  const rowOf = (value: number) => Math.round(((value - low) / span) * (heightRows - 1));
  const grid = Array.from({ length: heightRows }, () => Array<string>(values.length).fill(' '));
  // Segment levels first, so points draw over them.
  const cuts = [0, ...series.steps.map((s) => series.points.indexOf(s.at)), values.length];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const segment = values.slice(cuts[i], cuts[i + 1]);
    const level = Math.exp(segment.reduce((sum, v) => sum + Math.log(v), 0) / segment.length);
    for (let col = cuts[i]; col < cuts[i + 1]; col++) grid[heightRows - 1 - rowOf(level)][col] = LEVEL;
  }
  values.forEach((value, col) => (grid[heightRows - 1 - rowOf(value)][col] = POINT));
  const ratio = series.normalisedBy !== undefined;
  const labels = grid.map((_, row) => {
    const value = low + (span * (heightRows - 1 - row)) / (heightRows - 1);
    return row === 0 || row === heightRows - 1 ? formatLevel(value, ratio) : '';
  });
  const width = maxOf(labels.map((l) => l.length));
  const lines = grid.map((cells, row) => `${labels[row].padStart(width)} ┤${cells.join('')}`.trimEnd());
  const axis = Array<string>(values.length).fill('─');
  const marks = Array<string>(values.length).fill(' ');
  for (const step of series.steps) {
    const col = series.points.indexOf(step.at);
    axis[col] = '┬';
    marks[col] = '▲';
  }
  lines.push(`${' '.repeat(width)} └${axis.join('')}`);
  if (series.steps.length > 0) lines.push(`${' '.repeat(width)}  ${marks.join('').trimEnd()}`);
  return lines.join('\n');
}
