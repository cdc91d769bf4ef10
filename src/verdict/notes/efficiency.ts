/**
 * Efficiency next to latency, as verdict notes the comment and the terminal show: per data plane,
 * requests per proxy CPU-second and the latency it adds per hop over `none`; per head-vs-base
 * pair of one mesh, what head costs ("head costs +0.31 ms p99 and +42% CPU per request"); and,
 * for data-plane builds, which configs were compared. Changes are the verdict rows' own (their
 * after − before, their paired estimates), so a note never quotes another figure than its row.
 */
import type { Results, Variant } from '../../results/schema.js';
import { median } from '../../stats/descriptive.js';
import { variantValues } from '../../stats/pairing.js';
import type { VerdictRow } from '../schema.js';
import { formatLevelNumber, signedMs, signedPercent as signedPct } from '../../util/numbers.js';

interface MeshInfo {
  id?: string;
  hops?: number;
  builds?: Record<'base' | 'head', Record<string, unknown>>;
}

const meshesOf = (results: Results): MeshInfo[] => {
  const mesh = (results.profile as { mesh?: unknown }).mesh;
  return Array.isArray(mesh) ? (mesh.filter((m) => m && typeof m === 'object') as MeshInfo[]) : [];
};

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

/** A file name from a profile, reduced to characters that cannot become markup. */
const fileName = (path: unknown): string | undefined =>
  typeof path === 'string'
    ? (path.split('/').pop() ?? '').replace(/[^A-Za-z0-9._-]/g, '_') || undefined
    : undefined;

/** An annotation name=value, reduced to characters that cannot become markup. */
const annotation = ([name, value]: [string, unknown]) =>
  `${name.replace(/[^A-Za-z0-9._/-]/g, '_')}=${String(value)
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 40)}`;

function describeBuild(files: Record<string, unknown> | undefined): string {
  const parts = (['config', 'include', 'globalInclude'] as const)
    .map((key) =>
      fileName(files?.[key])
        ? `${key === 'globalInclude' ? 'global_include' : key} ${fileName(files?.[key])}`
        : '',
    )
    .filter(Boolean);
  const manifests = Array.isArray(files?.manifests) ? files.manifests.map(fileName).filter(Boolean) : [];
  if (manifests.length > 0) parts.push(`manifests ${manifests.join(', ')}`);
  const annotations = files?.proxyAnnotations;
  if (annotations && typeof annotations === 'object')
    parts.push(
      ...Object.entries(annotations)
        .slice(0, 8)
        .map((entry) => `annotation ${annotation(entry)}`),
    );
  return parts.length > 0 ? parts.join(' + ') : 'the stock config';
}

const level = (variant: Variant, metric: Parameters<typeof variantValues>[1]) => {
  const values = variantValues(variant, metric);
  return values.length > 0 ? median(values) : undefined;
};

/** A row's after − before in ms, at the digits its levels are shown with. */
const rowDelta = (row: VerdictRow, hops = 1): string | undefined =>
  row.current !== null && row.baseline !== null
    ? signedMs((row.current - row.baseline) / hops, Math.max(Math.abs(row.baseline), Math.abs(row.current)))
    : undefined;

function perDataPlane(
  variant: Variant,
  none: Variant | undefined,
  hops: number,
  checks: readonly VerdictRow[],
): string | undefined {
  const cpuMs = level(variant, 'proxyCpuMsPer1kRequests');
  const parts: string[] = [];
  if (cpuMs !== undefined && cpuMs > 0)
    parts.push(
      `${thousands(1e6 / cpuMs)} requests per proxy CPU-second (${formatLevelNumber(cpuMs)} ms CPU per 1,000 requests)`,
    );
  if (none) {
    const added = (['p50', 'p99'] as const).map((metric) => {
      // The overhead row's own before → after when it was judged (one number everywhere);
      // the medians of the two variants' trials only when there is no such row.
      const row = checks.find(
        (c) =>
          c.comparison === 'overhead' &&
          c.variant === variant.id &&
          c.comparedWith === none.id &&
          c.metric === metric,
      );
      if (row) {
        const delta = rowDelta(row, hops);
        return delta ? `${delta} ${metric}` : '';
      }
      const mine = level(variant, metric);
      const theirs = level(none, metric);
      return mine !== undefined && theirs !== undefined
        ? `${signedMs((mine - theirs) / hops, Math.max(mine, theirs))} ${metric}`
        : '';
    });
    if (added.every(Boolean))
      parts.push(`${added.join(' and ')} per hop over none (${hops} hop${hops > 1 ? 's' : ''})`);
  }
  return parts.length > 0 ? `Efficiency of ${variant.id}: ${parts.join('; ')}.` : undefined;
}

function headVersusBase(head: Variant, checks: readonly VerdictRow[]): string | undefined {
  const row = (metric: VerdictRow['metric']) =>
    checks.find((c) => c.comparison === 'build' && c.variant === head.id && c.metric === metric);
  const p99 = row('p99');
  const cpu = row('proxyCpuMsPer1kRequests');
  const memory = row('proxyMemoryMib');
  if (!cpu || cpu.change === null) return undefined;
  const delta = p99 ? rowDelta(p99) : undefined;
  const latency = delta ? `${delta} p99 and ` : '';
  const mem = memory && memory.change !== null ? ` (${signedPct(memory.change)} memory)` : '';
  return `${head.id} against base/${head.mesh}: head costs ${latency}${signedPct(cpu.change)} CPU per request${mem}.`;
}

export function efficiencyNotes(results: Results, checks: readonly VerdictRow[]): string[] {
  const notes: string[] = [];
  const meshes = meshesOf(results);
  const none = results.variants.find((v) => v.id === 'head/none');
  for (const mesh of meshes)
    if (mesh.builds && mesh.id)
      notes.push(
        `Data-plane builds of ${mesh.id}: base/${mesh.id} runs ${describeBuild(mesh.builds.base)}, head/${mesh.id} runs ${describeBuild(mesh.builds.head)}, in front of the same application build.`,
      );
  for (const variant of results.variants.filter((v) => v.build === 'head' && v.mesh !== 'none')) {
    const hops = meshes.find((m) => m.id === variant.mesh)?.hops;
    const note = perDataPlane(variant, none, hops === 2 ? 2 : 1, checks);
    if (note) notes.push(note);
    const cost = headVersusBase(variant, checks);
    if (cost) notes.push(cost);
  }
  return notes;
}
