/**
 * Imported results are as precise as the tool that wrote them (interop/formats/): fortio keeps
 * histogram buckets (1 ms wide up to 10 ms at its default resolution, wider above), Nighthawk a ladder of
 * percentiles; meshgate interpolates inside them as the tools do. The verdict says so where the
 * rows are read (comment, report, terminal), not only in the environment details. Built from the
 * format names meshgate knows, never from the file's own text.
 */
import type { Results } from '../../results/schema.js';

const FORMAT_PRECISION: Record<string, { tool: string; caveat: string }> = {
  fortio: {
    tool: 'fortio',
    caveat:
      'keeps only coarse histogram buckets (at its default resolution 1 ms wide up to 10 ms, wider above), so a percentile is interpolated inside its bucket and can be off by up to that width; a change smaller than a bucket, or two values in one bucket, is an interpolation, not a measurement',
  },
  nighthawk: {
    tool: 'Nighthawk',
    caveat:
      'keeps a ladder of percentiles, so a percentile between two of its steps is interpolated; changes smaller than the ladder’s steps are not measured',
  },
};

export function importedPrecisionNotes(results: Results): string[] {
  const imported = (results.profile as { imported?: unknown }).imported;
  if (!Array.isArray(imported)) return [];
  const counts = new Map<string, number>();
  for (const entry of imported) {
    const format = (entry as { format?: unknown } | null)?.format;
    if (typeof format === 'string' && Object.hasOwn(FORMAT_PRECISION, format))
      counts.set(format, (counts.get(format) ?? 0) + 1);
  }
  return [...counts].map(([format, files]) => {
    const { tool, caveat } = FORMAT_PRECISION[format];
    return `Imported from ${tool} (${files} file${files === 1 ? '' : 's'}): ${tool} ${caveat}.`;
  });
}
