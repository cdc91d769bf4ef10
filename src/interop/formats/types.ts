/**
 * What an import format declares: its name, which content it is asked about, how `meshgate import`
 * names it in a refusal, how it recognises a file (from the content, never the file name) and how
 * it reads one. Adding a format: its folder (reader + format.ts) and one line in registry.ts.
 */
import type { LoadTrial } from '../../load/types.js';
import type { HdrLogUnit } from './hdr-log/reader.js';

export type JsonObject = Record<string, unknown>;

/** One input, read once: the text, and the parsed value when the text is JSON. */
export interface FormatInput {
  file: string;
  text: string;
  /** The parsed JSON (only for `content: 'json'` formats). */
  json?: unknown;
  /** The value unit of HdrHistogram logs (`--hlog-unit`). */
  hlogUnit: HdrLogUnit;
}

export interface FormatRead {
  /** What the format keeps of the latency distribution, in words. */
  precision: string;
  /** Trials per tag ('' when the file has no tags: one group). */
  groups: { tag: string; trials: LoadTrial[] }[];
}

export interface ImportFormat {
  /** The name written to results (profile.imported[].format). */
  name: string;
  /** 'json': asked only when the content is JSON (parsed once); 'text': only when it is not. */
  content: 'json' | 'text';
  /** How a refusal names it: "a fortio JSON result". */
  noun: string;
  /** JSON formats: what marks one, for the refusal of other JSON ("fortio's (no … field)"). */
  mark?: string;
  detect(input: FormatInput): boolean;
  read(input: FormatInput): FormatRead;
}

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
