/**
 * Untrusted strings (anything read from a results file, an artifact or a profile) as inert
 * markdown: rendered by GitHub as the same characters, never as a link, image, mention, HTML tag,
 * heading, comment marker or table break. Every string that reaches a comment, a job summary or
 * a report through markdown goes through `inlineText`.
 */

/** Characters CommonMark lets a backslash escape; each is shown literally after one. */
const PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~:"'$%,;=?^/]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '@': '@&#8203;' };
const SPECIAL = new RegExp(`[&<>@]|${PUNCTUATION.source}`, 'g');
/** C0/C1 controls, bidi overrides and zero-width characters: folded to one space. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/g;

/** Shortens to at most `maxChars` characters (an ellipsis marks a cut). */
export function truncate(text: string, maxChars: number): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : `${chars.slice(0, Math.max(0, maxChars - 1)).join('')}…`;
}

/**
 * One line of plain text that markdown shows verbatim. `@` gets a zero-width space after it
 * (the way dependency bots quote names) so no one is mentioned; `<`, `>` and `&` become entities
 * so no tag or comment marker survives; every other punctuation mark is backslash-escaped so no
 * emphasis, link, autolink, emoji short code or table cell boundary forms.
 */
export function inlineText(value: unknown, maxChars = 120): string {
  const text = truncate(
    String(value ?? '')
      .replace(CONTROLS, ' ')
      .trim(),
    maxChars,
  );
  return text.replace(SPECIAL, (c) => ENTITIES[c] ?? `\\${c}`);
}
