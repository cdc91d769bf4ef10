/** Small helpers for writing HTML and SVG text: escaping, attributes and number formatting. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for HTML/SVG content and attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** ` name="value"` pairs; undefined and false are left out. */
export function attrs(values: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${esc(value)}"`))
    .join('');
}

/** A number with precision that follows its magnitude: 1234, 123, 12.3, 1.23, 0.123. */
export function num(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '0';
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** A signed percentage of a fraction: +12.3%, −4.0%. */
export function signedPct(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${fraction >= 0 ? '+' : '−'}${Math.abs(fraction * 100).toFixed(1)}%`;
}

/** Coordinates in SVG are rounded to 0.1 px: enough for any screen, and keeps the file small. */
export const px = (value: number): string => String(Math.round(value * 10) / 10);

/** A table with a caption: the accessible twin of a plot, folded into <details>. */
export function dataTable(
  caption: string,
  columns: string[],
  rows: (string | number)[][],
  open = false,
): string {
  const head = columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${esc(cell)}</th>` : `<td>${esc(cell)}</td>`)).join('')}</tr>`,
    )
    .join('\n');
  return `<details class="data"${open ? ' open' : ''}><summary>Table: ${esc(caption)}</summary><div class="scroll"><table><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div></details>`;
}
