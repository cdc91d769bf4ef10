/**
 * Untrusted strings (anything read from a results file, an artifact or a profile) as inert
 * markdown: rendered by GitHub as the same characters, never as a link, image, mention, issue
 * reference, HTML tag, heading, comment marker or table break. Every string that reaches a
 * comment, a job summary or a report through markdown goes through `inlineText`.
 *
 * GitHub renders in two stages: CommonMark + GFM (cmark-gfm) turns markdown into HTML, then
 * filters walk the HTML's text and link `@user`, `@org/team`, `#123`, `owner/repo#123` and
 * `:emoji:`. Backslash escapes only defeat the first stage (an escaped `@` is still text that the
 * mention filter sees), so characters the second stage reacts to get a zero-width space after them.
 */

/**
 * Punctuation that forms markup inside a line: code, emphasis, strikethrough, links and images
 * (`[` is enough: a `(` only matters after `]`),
 * tables, math (`$`), HTML and entities. Each is backslash-escaped (CommonMark shows the character
 * after a backslash literally). Characters that only mean something at the start of a line
 * (`-`, `+`, `=`, `1.`) are escaped there, by START_OF_LINE; the rest (`/`, `.`, `:`, `-` …) stay
 * as they are, so ids, versions and times read the same in the raw text.
 */
const PUNCTUATION = /[\\`*_[\]!|~$#]/g;
const ZERO_WIDTH_SPACE = '&#8203;';
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // A mention (`@user`, `@org/team`) needs the name right after the `@`.
  '@': `@${ZERO_WIDTH_SPACE}`,
  // An issue reference (`#12`, `owner/repo#12`) needs the digits right after the `#`.
  '#': `\\#${ZERO_WIDTH_SPACE}`,
};
const SPECIAL = new RegExp(`[&<>@]|${PUNCTUATION.source}`, 'g');
/** A list item, a setext underline or a thematic break where the text starts a line. */
const START_OF_LINE = /^(?:[-+=]|\d{1,9}[.)])/;
/**
 * C0/C1 controls, line and paragraph separators, soft hyphen, bidi marks, overrides and isolates,
 * zero-width characters and the byte-order mark: folded to one space, so no string can break a
 * line, reorder what is shown, or hide characters.
 */
const CONTROLS =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+/g;
/** Extended autolinks (GFM): `scheme://…` and `www.…` become links without any markup. */
const AUTOLINK_STARTS = /:\/\/|\bwww\./gi;
/**
 * GitHub's own autolinks in the second stage: `GH-123` (an issue) and a run of 7 to 40 hex digits
 * (a commit, also as `user@sha` and `owner/repo@sha`). A hex run with a letter in it, or a long run
 * of digits, gets a zero-width space after every 6 characters, so no run is long enough to link;
 * shorter numbers (counts, ports) stay as they are.
 */
const GH_REFERENCE = /\b(GH)-(?=\d)/gi;
const HEX_RUN = /\b[0-9a-f]{7,}\b/gi;
const breakHexRun = (run: string): string =>
  /[a-f]/i.test(run) || run.length >= 16 ? (run.match(/.{1,6}/g) ?? [run]).join(ZERO_WIDTH_SPACE) : run;

/** Shortens to at most `maxChars` characters (an ellipsis marks a cut). */
export function truncate(text: string, maxChars: number): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : `${chars.slice(0, Math.max(0, maxChars - 1)).join('')}…`;
}

/** One line of plain text: controls and line breaks folded to spaces, runs of spaces kept to one. */
export function oneLine(value: unknown): string {
  return String(value ?? '')
    .replace(CONTROLS, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * One line of plain text that markdown shows verbatim. `@` and `#` get a zero-width space after
 * them (the way dependency bots quote names) so no one is mentioned and no issue is referenced;
 * `<`, `>` and `&` become entities so no tag or comment marker survives; markup punctuation is
 * backslash-escaped so no emphasis, link, image, code span, math or table cell boundary forms;
 * `://` and `www.` get a zero-width space so GFM's extended autolinks find no URL, and `GH-1`
 * and commit-like hex runs so GitHub links no issue or commit. Safe anywhere
 * in a line, in a table cell, and at the start of a line; not inside a code span (use none).
 * At most `maxChars` characters of the input are kept.
 */
export function inlineText(value: unknown, maxChars = 120): string {
  const text = truncate(oneLine(value), Math.max(1, Math.floor(maxChars)));
  return text
    .replace(SPECIAL, (c) => ENTITIES[c] ?? `\\${c}`)
    .replace(START_OF_LINE, (lead) => `${lead.slice(0, -1)}\\${lead.slice(-1)}`)
    .replace(AUTOLINK_STARTS, (found) =>
      found === '://' ? `:${ZERO_WIDTH_SPACE}//` : `www${ZERO_WIDTH_SPACE}.`,
    )
    .replace(GH_REFERENCE, (_match, gh: string) => `${gh}${ZERO_WIDTH_SPACE}-`)
    .replace(HEX_RUN, breakHexRun);
}
