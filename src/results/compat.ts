/**
 * Versions of meshgate's file formats, and what one release reads of another's
 * (docs/compatibility.md). A document names its format and the format's major version in
 * `schema`: "meshgate/results@1", "meshgate/verdict@1". Within a major, changes are additive (new
 * optional fields), so every reader of that major reads every writer of it: older files lack
 * the new fields, newer files' extra fields are ignored. A new major comes with an upgrade from the
 * previous majors it still reads (UPGRADES), so release N+1 reads what release N wrote; a file
 * of a major this release does not know is refused with IncompatibleSchemaError, which baseline
 * lookups turn into a skipped baseline with a notice, never a failed check.
 */
import { UserError, quoteValue } from '../errors.js';
import { MESHGATE_VERSION } from '../version.js';

export type DocumentKind = 'results' | 'verdict';

/** The major each kind is written in, and the oldest major this release still reads. */
export const SCHEMA_VERSIONS: Record<DocumentKind, { current: number; oldestRead: number }> = {
  results: { current: 1, oldestRead: 1 },
  verdict: { current: 1, oldestRead: 1 },
};

/**
 * Upgrades of older majors to the current one, by kind and the major they upgrade from (each to
 * the next). Empty while there is one major; a format's second major adds `results: { 1: … }`.
 */
const UPGRADES: Record<
  DocumentKind,
  Record<number, (document: Record<string, unknown>) => Record<string, unknown>>
> = {
  results: {},
  verdict: {},
};

export function schemaId(kind: DocumentKind, version = SCHEMA_VERSIONS[kind].current): string {
  return `meshgate/${kind}@${version}`;
}

/** The major of a schema string of this kind ("meshgate/results@3" → 3), or undefined. */
export function schemaVersionOf(kind: DocumentKind, schema: unknown): number | undefined {
  if (typeof schema !== 'string') return undefined;
  const match = new RegExp(`^meshgate/${kind}@([0-9]{1,6})$`).exec(schema);
  return match ? Number(match[1]) : undefined;
}

/** A meshgate file of a format major this release cannot read. */
export class IncompatibleSchemaError extends UserError {
  constructor(
    readonly file: string,
    readonly kind: DocumentKind,
    /** The file's major: only digits, safe to show anywhere. */
    readonly found: number,
    readonly direction: 'newer' | 'older',
  ) {
    super(`${file}: ${IncompatibleSchemaError.explain(kind, found, direction)}`);
  }

  /** One sentence without the file name; only numbers and meshgate's own words (safe in a comment). */
  static explain(kind: DocumentKind, found: number, direction: 'newer' | 'older'): string {
    const { current, oldestRead } = SCHEMA_VERSIONS[kind];
    const reads =
      oldestRead === current ? schemaId(kind, current) : `${schemaId(kind, oldestRead)} to @${current}`;
    return direction === 'newer'
      ? `written by a newer meshgate (format ${schemaId(kind, found)}); meshgate ${MESHGATE_VERSION} reads ${reads}: upgrade meshgate to read it`
      : `written by an older meshgate (format ${schemaId(kind, found)}) that meshgate ${MESHGATE_VERSION} no longer reads (it reads ${reads})`;
  }

  /** For notes: the same sentence, with the format in code. */
  get reason(): string {
    return IncompatibleSchemaError.explain(this.kind, this.found, this.direction).replace(
      /(meshgate\/[a-z]+@\d+)/g,
      '`$1`',
    );
  }
}

/**
 * Check a parsed document's `schema` and bring an older readable major up to the current one.
 * Throws UserError for a document that is no meshgate file of this kind, IncompatibleSchemaError
 * for a major this release cannot read.
 */
export function upgradeDocument(kind: DocumentKind, document: unknown, file: string): unknown {
  const schema = (document as { schema?: unknown } | null)?.schema;
  const version = schemaVersionOf(kind, schema);
  const { current, oldestRead } = SCHEMA_VERSIONS[kind];
  if (version === undefined)
    throw new UserError(
      `${file}: schema: expected "${schemaId(kind)}", got ${schema === undefined ? 'nothing' : quoteValue(schema)}; this is not a meshgate ${kind} file`,
    );
  if (version > current) throw new IncompatibleSchemaError(file, kind, version, 'newer');
  if (version < oldestRead) throw new IncompatibleSchemaError(file, kind, version, 'older');
  let upgraded = document as Record<string, unknown>;
  for (let from = version; from < current; from++) {
    const step = UPGRADES[kind][from];
    if (!step) throw new IncompatibleSchemaError(file, kind, version, 'older');
    upgraded = { ...step(upgraded), schema: schemaId(kind, from + 1) };
  }
  return upgraded;
}
