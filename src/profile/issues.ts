/** Turn zod issues into the one-line messages users see: `file: field.path: problem, got "value"`. */
import type { z } from 'zod';
import { quoteValue } from '../errors.js';

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

function describe(issue: z.core.$ZodIssue, raw: unknown): string {
  const value = valueAt(raw, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
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

/** All issues, one per line, each naming the file and the field. */
export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[], raw: unknown): string {
  const lines = issues.map((issue) => {
    const path = issue.code === 'unrecognized_keys' && issue.path.length === 0 ? '(top level)' : fieldPath(issue.path);
    return `${file}: ${path}: ${describe(issue, raw)}`;
  });
  return [...new Set(lines)].join('\n');
}
