/**
 * The report reviewers read, in the sticky comment and the job summary: the verdict markdown
 * (tables per comparison, details), the percentile chart, the baseline note, extra notes, and
 * links to the run and its artifacts. The comment adds the profile's hidden marker first.
 */
export interface ReportLink {
  label: string;
  url: string;
}

export interface ReportParts {
  /** Markdown of the verdict (renderVerdictMarkdown via judge). */
  verdictMarkdown: string;
  /** Mermaid chart block, or '' for none. */
  chart: string;
  /** Which baseline was used, or why there is none. */
  baselineNote: string;
  notes?: string[];
  links: ReportLink[];
}

export function composeReport(parts: ReportParts): string {
  const sections = [parts.verdictMarkdown.trim(), parts.baselineNote ? `> ${parts.baselineNote}` : ''];
  if (parts.chart) sections.push(`#### Percentile curves\n\n${parts.chart}`);
  for (const note of parts.notes ?? []) sections.push(`> ${note}`);
  if (parts.links.length > 0)
    sections.push(parts.links.map((link) => `[${link.label}](${link.url})`).join(' · '));
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}

/** The sticky comment: the marker on the first line, then the report. */
export function composeComment(marker: string, parts: ReportParts): string {
  return `${marker}\n${composeReport(parts)}`;
}
