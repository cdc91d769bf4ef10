/**
 * Imported trials → a meshgate results file, so that `meshgate check` gates other tools' runs
 * like its own.
 *
 * Variants: an untagged input (a fortio or Nighthawk result, an untagged log) takes the next
 * plain `--variant ID` in command-line order; a tagged log gives one variant per tag, named by
 * the tag or renamed with `--variant TAG=ID`. Several inputs naming one variant become its
 * trials. Ids are `base/MESH` or `head/MESH` because the gate compares `head/X` with `base/X`
 * (same mesh, other build) and `head/X` with `head/none` (mesh overhead).
 *
 * Trial order (`sequence`, which pairs the k-th trial of one variant with the k-th of another) is
 * the trials' start time, ties broken by command-line order: files from interleaved runs pair
 * the way they ran.
 */
import { basename } from 'node:path';
import { UserError } from '../errors.js';
import type { LoadTrial } from '../load/types.js';
import type { Profile } from '../profile/types.js';
import { buildVariant } from '../results/build.js';
import { RESULTS_SCHEMA, type Environment, type Results } from '../results/schema.js';
import { MESHGATE_VERSION } from '../version.js';
import type { ImportedSource } from './read-source.js';

const VARIANT_ID = /^(base|head)\/([a-z0-9][a-z0-9-]{0,62})$/;

export interface ImportOptions {
  /** `--variant` values in order: `ID` for untagged inputs, `TAG=ID` to rename a tag. */
  variants: string[];
  /** The profile whose gate (and name) the results carry; default: the default gate. */
  profile?: Profile;
  name?: string;
  now?: Date;
}

interface Unit {
  source: ImportedSource;
  tag: string;
  id: string;
}

function checkId(id: string, what: string): string {
  if (!VARIANT_ID.test(id))
    throw new UserError(
      `${what}: variant id ${JSON.stringify(id)} must be base/MESH or head/MESH (MESH: lower-case letters, digits, '-'), e.g. head/none`,
    );
  return id;
}

function assign(sources: ImportedSource[], variantArgs: string[]): Unit[] {
  const renames = new Map<string, string>();
  const plain: string[] = [];
  for (const arg of variantArgs) {
    const eq = arg.indexOf('=');
    if (eq < 0) plain.push(checkId(arg, '--variant'));
    else renames.set(arg.slice(0, eq), checkId(arg.slice(eq + 1), `--variant ${arg}`));
  }
  const untagged = sources.flatMap((s) => s.groups.filter((g) => g.tag === '').map(() => s.file));
  if (plain.length !== untagged.length)
    throw new UserError(
      `--variant: ${untagged.length} untagged input(s) (${untagged.join(', ') || 'none'}) need as many plain ids in order, got ${plain.length}${plain.length ? ` (${plain.join(', ')})` : ''}`,
    );
  let next = 0;
  return sources.flatMap((source) =>
    source.groups.map((group) => ({
      source,
      tag: group.tag,
      id:
        group.tag === ''
          ? plain[next++]
          : checkId(renames.get(group.tag) ?? group.tag, `${source.file}: Tag=${group.tag} (rename it with --variant ${group.tag}=head/MESH)`),
    })),
  );
}

function importEnvironment(): Environment {
  // The load ran elsewhere, on a machine these files do not describe.
  return {
    platform: 'imported',
    runner: 'unknown',
    os: 'unknown',
    kernel: 'unknown',
    cpuModel: 'unknown',
    cpuCount: 0,
    memoryMib: 0,
    node: process.version,
    meshgate: MESHGATE_VERSION,
  };
}

export function importedResults(sources: ImportedSource[], options: ImportOptions): Results {
  if (sources.length === 0) throw new UserError('meshgate import: no input files');
  const units = assign(sources, options.variants);
  const entries: { unit: Unit; trial: LoadTrial; position: number }[] = [];
  units.forEach((unit) => {
    const group = unit.source.groups.find((g) => g.tag === unit.tag)!;
    for (const trial of group.trials) entries.push({ unit, trial, position: entries.length });
  });
  const ordered = [...entries].sort(
    (a, b) => Date.parse(a.trial.startTime) - Date.parse(b.trial.startTime) || a.position - b.position,
  );
  const ids = [...new Set(units.map((u) => u.id))];
  const variants = ids.map((id) => {
    const mine = ordered.filter((e) => e.unit.id === id);
    const [build, mesh] = id.split('/') as ['base' | 'head', string];
    const targets = [...new Set(mine.map((e) => `${e.unit.source.format}:${basename(e.unit.source.file)}`))];
    return buildVariant({
      id,
      build,
      mesh,
      target: targets.join(' '),
      trials: mine.map((e, index) => ({ ...e.trial, index, sequence: ordered.indexOf(e) })),
    });
  });
  const imported = units.map((u) => ({
    file: u.source.file,
    format: u.source.format,
    ...(u.tag ? { tag: u.tag } : {}),
    variant: u.id,
    trials: u.source.groups.find((g) => g.tag === u.tag)!.trials.length,
    precision: u.source.precision,
  }));
  const profile = options.profile
    ? { ...(options.profile as unknown as Record<string, unknown>) }
    : { name: options.name ?? 'imported' };
  if (options.name) profile.name = options.name;
  return {
    schema: RESULTS_SCHEMA,
    createdAt: (options.now ?? new Date()).toISOString(),
    profile: { ...profile, name: String(profile.name), imported },
    environment: importEnvironment(),
    variants,
  };
}
