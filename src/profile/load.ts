/** Reading profiles from disk: YAML (meshgate's form or a Meshery/SMP test), validated into a Profile. */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { UserError, errorMessage } from '../errors.js';
import { substituteEnvironment } from './env-substitution.js';
import { formatIssues } from './issues.js';
import { ProfileInputSchema } from './schema.js';
import { isSmpDocument, smpToProfileInput } from './smp.js';
import { keysAt } from './suggest.js';
import type { Profile } from './types.js';

/** Validate an already parsed document; `file` names it in errors. `${NAME}` in strings is the environment's. */
export function parseProfile(parsed: unknown, file: string, env: NodeJS.ProcessEnv = process.env): Profile {
  const doc = substituteEnvironment(parsed, file, env);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new UserError(
      `${file}: expected a YAML mapping with at least "name:", got ${JSON.stringify(doc) ?? 'nothing'}`,
    );
  const input = isSmpDocument(doc) ? smpToProfileInput(doc, file) : doc;
  const result = ProfileInputSchema.safeParse(input);
  if (!result.success)
    throw new UserError(
      formatIssues(file, result.error.issues, input, (path) => keysAt(ProfileInputSchema, path)),
    );
  return result.data;
}

/** Parse YAML text; syntax errors name the line and column. */
export function parseProfileText(text: string, file: string): Profile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const at = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]);
    const where = `line ${at.line}, column ${at.col}`;
    throw new UserError(`${file}: ${where}: invalid YAML: ${first.message.split('\n')[0]}`);
  }
  return parseProfile(document.toJS(), file);
}

export async function loadProfile(file: string): Promise<Profile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read the profile: ${errorMessage(error)}`);
  }
  return parseProfileText(text, file);
}
