/**
 * One input of `meshgate import`: recognise the format from the content (never from the file
 * name), import it, and state the precision that format keeps. The formats are asked in registry
 * order (formats/registry.ts). Anything else is a UserError naming the file (and, through the
 * readers' zod schemas, the field).
 */
import { UserError } from '../errors.js';
import type { LoadTrial } from '../load/types.js';
import { parseJsonText, readImportedText } from './formats/common.js';
import type { HdrLogUnit } from './formats/hdr-log/reader.js';
import { IMPORT_FORMATS } from './formats/registry.js';
import { isObject, type FormatInput } from './formats/types.js';

/** A registered format's name (formats/registry.ts). */
export type SourceFormat = string;

export interface ImportedSource {
  file: string;
  format: SourceFormat;
  /** What the format keeps of the latency distribution, in words. */
  precision: string;
  /** Trials per tag ('' when the file has no tags: one group). */
  groups: { tag: string; trials: LoadTrial[] }[];
}

/** "A", "A or B", "A, B or C". */
function orList(items: string[]): string {
  return items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Names the JSON formats a JSON input is not: "neither A nor B", "none of A, B or C". */
function neitherList(items: string[]): string {
  if (items.length === 1) return `not ${items[0]}`;
  if (items.length === 2) return `neither ${items[0]} nor ${items[1]}`;
  return `none of ${orList(items)}`;
}

function refuseJson(raw: unknown, file: string): never {
  if (isObject(raw) && raw.schema === 'meshgate/results@1')
    throw new UserError(`${file}: already a meshgate results file; use it with meshgate check directly`);
  const keys = isObject(raw)
    ? Object.keys(raw).slice(0, 5).join(', ') || 'none'
    : Array.isArray(raw)
      ? 'an array'
      : typeof raw;
  const marks = IMPORT_FORMATS.filter((f) => f.content === 'json').map((f) => f.mark ?? f.noun);
  throw new UserError(`${file}: JSON, but ${neitherList(marks)}; top-level fields: ${keys}`);
}

export function readSource(file: string, unit: HdrLogUnit = 'auto'): ImportedSource {
  const text = readImportedText(file);
  const start = text.trimStart();
  const isJson = start.startsWith('{') || start.startsWith('[');
  const input: FormatInput = {
    file,
    text,
    hlogUnit: unit,
    ...(isJson ? { json: parseJsonText(text, file) } : {}),
  };
  // JSON content is asked of the JSON formats only, anything else of the text formats only.
  const format = IMPORT_FORMATS.find((f) => f.content === (isJson ? 'json' : 'text') && f.detect(input));
  if (format) return { file, format: format.name, ...format.read(input) };
  if (isJson) refuseJson(input.json, file);
  const firstLine = start.split(/\r?\n/, 1)[0] ?? '';
  throw new UserError(
    `${file}: not ${orList(IMPORT_FORMATS.map((f) => f.noun))} (first line: ${JSON.stringify(firstLine.slice(0, 60))})`,
  );
}
