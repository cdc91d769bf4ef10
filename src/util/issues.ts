/** Turn zod issues into the one-line messages users see: `file: field.path: problem, got "value"`. */
import type { z } from 'zod';
import { quoteValue } from '../errors.js';
import { closest, didYouMean } from './suggest.js';

/** Keys the schema accepts at a path (for did-you-mean); supplied by the caller to keep this file schema-free. */
export type KnownKeys = (path: readonly PropertyKey[]) => readonly string[];

/** A key that reads plainly in a dotted path; any other (spaces, line breaks, quotes) is quoted. */
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;

export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((part, i) => {
      if (typeof part === 'number') return `[${part}]`;
      const key = String(part);
      return PLAIN_KEY.test(key) ? `${i === 0 ? '' : '.'}${key}` : `[${quoteValue(key)}]`;
    })
    .join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

function describe(issue: z.core.$ZodIssue, raw: unknown, knownKeys?: KnownKeys): string {
  const value = valueAt(raw, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys?.(issue.path) ?? [];
      const keys = issue.keys.map((key) => `"${key}"`).join(', ');
      if (issue.keys.length === 1) return `unknown key ${keys}${didYouMean(issue.keys[0], known)}`;
      const hints = issue.keys
        .map((key) => [key, closest(key, known)] as const)
        .filter(([key, match]) => match && match !== key)
        .map(([key, match]) => `"${key}" → "${match}"`);
      return `unknown keys ${keys}${hints.length > 0 ? `; did you mean ${hints.join(', ')}?` : ''}`;
    }
    case 'invalid_type':
      if (value === undefined) return `missing; expected ${issue.expected}`;
      return `${issue.message.startsWith('expected') ? issue.message : `expected ${issue.expected}`}, got ${quoteValue(value)}`;
    case 'invalid_union':
      return `not a valid value, got ${quoteValue(value)}`;
    case 'invalid_key':
      // A record key failed its own schema (a header name, say): say what was wrong with the key.
      return `${issue.issues[0]?.message ?? 'invalid key'}`;
    default:
      return value === undefined || typeof value === 'object'
        ? issue.message
        : `${issue.message}, got ${quoteValue(value)}`;
  }
}

/**
 * All issues, one per line, each naming the file and the field. An unknown key is most often a
 * typo of a known one (`trails: 2`), and checks of the whole profile then run on defaults the user
 * did not mean (max_trials against the default trials): when there are unknown keys, only they
 * are reported, so the first message is the one to fix.
 */
export function formatIssues(
  file: string,
  all: readonly z.core.$ZodIssue[],
  raw: unknown,
  knownKeys?: KnownKeys,
): string {
  const unknown = all.filter((issue) => issue.code === 'unrecognized_keys');
  const issues = unknown.length > 0 ? unknown : all;
  const lines = issues.map((issue) => {
    const path =
      issue.code === 'unrecognized_keys' && issue.path.length === 0 ? '(top level)' : fieldPath(issue.path);
    return `${file}: ${path}: ${describe(issue, raw, knownKeys)}`;
  });
  return [...new Set(lines)].join('\n');
}
