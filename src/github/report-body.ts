/**
 * The sticky comment and the job summary around the one comment body (report/comment/comment.ts): the
 * comment puts the profile's hidden marker on its first line; the job summary appends what only
 * the action knows (the baseline look-up, saving the baseline, the fork hand-off).
 */
export function composeComment(marker: string, body: string): string {
  return `${marker}\n${body}`;
}

export function composeSummary(body: string, notes: readonly string[]): string {
  const extra = notes.filter(Boolean).map((note) => `> ${note}`);
  return extra.length === 0 ? body : `${body.trimEnd()}\n\n${extra.join('\n\n')}\n`;
}
