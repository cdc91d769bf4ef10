/**
 * A minimal GitHub-flavoured markdown renderer for the comment tests: the subset meshgate's comment
 * uses (ATX headings, paragraphs, pipe tables with alignment, block quotes, `-` lists, fenced code,
 * the `<details>`/`<summary>` HTML blocks, inline code, emphasis, links, `<sub>`, backslash escapes
 * and entities), following CommonMark/GFM's rules for each. No renderer ships in node_modules and
 * the test should not add one; where this one is stricter than GitHub (any other raw HTML is shown
 * as text, as GitHub's sanitiser would drop it), the test errs towards finding problems.
 * Also GitHub's markdown stylesheet, reduced to the rules that decide widths.
 */

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const ALLOWED_INLINE_TAGS = /^<\/?(sub|sup|br|b|i|code)\s*\/?>/i;
const ENTITY = /^&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

/** Inline markdown → HTML. */
export function renderInline(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const rest = source.slice(i);
    if (c === '\\' && i + 1 < source.length && PUNCTUATION.includes(source[i + 1])) {
      out += escapeHtml(source[i + 1]);
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = rest.match(/^`+/)![0];
      const end = source.indexOf(run, i + run.length);
      if (end > 0) {
        out += `<code>${escapeHtml(source.slice(i + run.length, end).trim())}</code>`;
        i = end + run.length;
        continue;
      }
    }
    if (c === '&') {
      const entity = rest.match(ENTITY);
      if (entity) {
        out += entity[0];
        i += entity[0].length;
        continue;
      }
    }
    if (c === '<') {
      const tag = rest.match(ALLOWED_INLINE_TAGS);
      if (tag) {
        out += tag[0];
        i += tag[0].length;
        continue;
      }
    }
    if (rest.startsWith('**')) {
      const end = source.indexOf('**', i + 2);
      if (end > i + 2) {
        out += `<strong>${renderInline(source.slice(i + 2, end))}</strong>`;
        i = end + 2;
        continue;
      }
    }
    if (c === '*' && rest.length > 1 && rest[1] !== ' ') {
      const end = source.indexOf('*', i + 1);
      if (end > i + 1) {
        out += `<em>${renderInline(source.slice(i + 1, end))}</em>`;
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      const link = rest.match(/^\[([^\]]*)\]\(([^)\s]+)\)/);
      if (link) {
        out += `<a href="${escapeHtml(link[2])}">${renderInline(link[1])}</a>`;
        i += link[0].length;
        continue;
      }
    }
    out += escapeHtml(c);
    i++;
  }
  return out;
}

/** Splits a table row on unescaped pipes (GFM: `\|` stays in the cell). */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\' && inner[i + 1] === '|') {
      current += '\\|';
      i++;
    } else if (inner[i] === '|') {
      parts.push(current.trim());
      current = '';
    } else current += inner[i];
  }
  parts.push(current.trim());
  return parts;
}

const isSeparator = (line: string) => /^\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/.test(line);
const HTML_BLOCK = /^<\/?(details|summary)(\s|>|$)/i;

export function renderMarkdown(source: string): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '' || /^<!--.*-->$/.test(line.trim())) {
      i++;
      continue;
    }
    const fence = line.match(/^```(\w*)/);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].startsWith('```')) body.push(lines[i++]);
      i++;
      out.push(`<pre lang="${fence[1]}"><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    if (HTML_BLOCK.test(line)) {
      // CommonMark HTML block (type 6): raw until a blank line.
      while (i < lines.length && lines[i].trim() !== '') out.push(lines[i++]);
      continue;
    }
    const heading = line.match(/^(#{1,6}) (.*)$/);
    if (heading) {
      out.push(`<h${heading[1].length}>${renderInline(heading[2])}</h${heading[1].length}>`);
      i++;
      continue;
    }
    if (line.startsWith('|') && i + 1 < lines.length && isSeparator(lines[i + 1])) {
      const aligns = cells(lines[i + 1]).map((spec) =>
        spec.endsWith(':') ? (spec.startsWith(':') ? 'center' : 'right') : spec.startsWith(':') ? 'left' : '',
      );
      const cell = (tag: string, text: string, column: number) =>
        `<${tag}${aligns[column] ? ` align="${aligns[column]}"` : ''}>${renderInline(text)}</${tag}>`;
      const header = cells(line).map((text, column) => cell('th', text, column));
      i += 2;
      const rows: string[] = [];
      while (i < lines.length && lines[i].startsWith('|'))
        rows.push(
          `<tr>${cells(lines[i++])
            .map((text, column) => cell('td', text, column))
            .join('')}</tr>`,
        );
      out.push(`<table><thead><tr>${header.join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`);
      continue;
    }
    if (line.startsWith('> ')) {
      const quoted: string[] = [];
      while (i < lines.length && lines[i].startsWith('>')) quoted.push(lines[i++].replace(/^> ?/, ''));
      out.push(`<blockquote>${renderMarkdown(quoted.join('\n'))}</blockquote>`);
      continue;
    }
    if (line.startsWith('- ')) {
      const items: string[] = [];
      while (i < lines.length && lines[i].startsWith('- '))
        items.push(`<li>${renderInline(lines[i++].slice(2))}</li>`);
      out.push(`<ul>${items.join('')}</ul>`);
      continue;
    }
    const paragraph: string[] = [];
    while (
      i < lines.length &&
      lines[i].trim() !== '' &&
      !/^(#{1,6} |```|> |- |\|)/.test(lines[i]) &&
      !HTML_BLOCK.test(lines[i])
    )
      paragraph.push(lines[i++]);
    out.push(`<p>${renderInline(paragraph.join('\n'))}</p>`);
  }
  return out.join('\n');
}

/** GitHub's markdown-body rules that decide widths (primer/css markdown, 2024), light theme. */
export const GITHUB_MARKDOWN_CSS = `
body { margin: 0; background: #fff; }
.markdown-body { box-sizing: border-box; padding: 16px; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328; word-wrap: break-word; }
.markdown-body h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
.markdown-body h3 { font-size: 1.25em; margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
.markdown-body h4 { font-size: 1em; margin: 24px 0 16px; font-weight: 600; }
.markdown-body p, .markdown-body ul, .markdown-body table, .markdown-body pre, .markdown-body blockquote, .markdown-body details { margin-top: 0; margin-bottom: 16px; }
.markdown-body ul { padding-left: 2em; }
.markdown-body blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; margin-left: 0; margin-right: 0; }
.markdown-body table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0; border-collapse: collapse; font-variant: tabular-nums; }
.markdown-body table th { font-weight: 600; }
.markdown-body table th, .markdown-body table td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body table tr { background-color: #fff; border-top: 1px solid #d1d9e0b3; }
.markdown-body table tr:nth-child(2n) { background-color: #f6f8fa; }
.markdown-body code { padding: .2em .4em; margin: 0; font-size: 85%; white-space: break-spaces; background-color: #818b981f; border-radius: 6px; font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.markdown-body pre { padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45; background-color: #f6f8fa; border-radius: 6px; }
.markdown-body pre code { padding: 0; background: transparent; white-space: pre; font-size: 100%; }
.markdown-body sub { font-size: 75%; }
.markdown-body summary { cursor: pointer; }
`;

/** A page like a comment on GitHub: the rendered body in a markdown-body box. */
export function commentPage(markdown: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<style>${GITHUB_MARKDOWN_CSS}</style></head><body><div class="markdown-body">${renderMarkdown(markdown)}</div></body></html>`;
}
