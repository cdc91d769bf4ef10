/** Reading profiles from disk: YAML (meshgate's form or a Meshery/SMP test), validated into a Profile. */
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { UserError, errorMessage, quoteValue } from '../errors.js';
import { readBounded, readBoundedText } from '../system/bounded-read.js';
import { resolveDataPlaneFiles } from './data-plane-files.js';
import { LOAD_LIMITS } from '../load/job-schema.js';
import { substituteEnvironment } from './env-substitution.js';
import { registerSecretsIn } from '../util/secrets.js';
import { isInside } from '../util/paths.js';
import { formatIssues } from '../util/issues.js';
import { ProfileInputSchema } from './schema.js';
import { isSmpDocument, smpToProfileInput } from './smp.js';
import { keysAt } from '../util/suggest.js';
import type { Profile } from './types.js';

/** Validate an already parsed document; `file` names it in errors. `${NAME}` in strings is the environment's. */
export function parseProfile(parsed: unknown, file: string, env: NodeJS.ProcessEnv = process.env): Profile {
  let doc: unknown;
  try {
    doc = substituteEnvironment(parsed, file, env);
  } catch (error) {
    if (error instanceof RangeError) throw new UserError(`${file}: invalid YAML: nested too deeply`);
    throw error;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new UserError(`${file}: expected a YAML mapping with at least "name:", got ${quoteValue(doc)}`);
  // URL credentials and credential headers are masked in everything written (util/secrets.ts).
  registerSecretsIn(doc);
  const input = isSmpDocument(doc) ? smpToProfileInput(doc, file) : doc;
  const result = ProfileInputSchema.safeParse(input);
  if (!result.success)
    throw new UserError(
      formatIssues(file, result.error.issues, input, (path) => keysAt(ProfileInputSchema, path)),
    );
  return { ...result.data, mesh: resolveDataPlaneFiles(result.data.mesh, file) };
}

/** A profile is a page of YAML; a request body of the largest size fits with room to spare. */
export const MAX_PROFILE_BYTES = 2 * 1024 * 1024;
/** Aliases one profile may expand (the yaml library's default is 100); a billion-laughs file needs thousands. */
const MAX_ALIAS_COUNT = 50;

/** Parse YAML text; syntax errors name the line and column. */
export function parseProfileText(text: string, file: string): Profile {
  if (text.length > MAX_PROFILE_BYTES)
    throw new UserError(
      `${file}: ${text.length} characters, more than a profile may hold (${MAX_PROFILE_BYTES})`,
    );
  let doc: unknown;
  try {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
    if (document.errors.length > 0) {
      const first = document.errors[0];
      const at = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]);
      const where = `line ${at.line}, column ${at.col}`;
      const reason = /call stack/i.test(first.message)
        ? 'nested too deeply'
        : first.message.split('\n')[0].slice(0, 200);
      throw new UserError(`${file}: ${where}: invalid YAML: ${reason}`);
    }
    doc = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof UserError) throw error;
    // The yaml library throws a ReferenceError for alias bombs, and deep nesting overflows the stack.
    const reason = /alias/i.test(errorMessage(error))
      ? `too many aliases (at most ${MAX_ALIAS_COUNT} expansions; is this an alias bomb?)`
      : error instanceof RangeError
        ? 'nested too deeply'
        : errorMessage(error).split('\n')[0].slice(0, 200);
    throw new UserError(`${file}: invalid YAML: ${reason}`);
  }
  return parseProfile(doc, file);
}

/** Read, parse and validate a profile; every file it names is read bounded (system/bounded-read.ts). */
export async function loadProfile(file: string, signal?: AbortSignal): Promise<Profile> {
  const text = await readBoundedText(file, { maxBytes: MAX_PROFILE_BYTES, what: 'the profile', signal });
  return withImportPaths(
    await withGrpcMessage(checkMessageFileFolder(parseProfileText(text, file), file), file, signal),
    file,
  );
}

/**
 * load.grpc.message_file becomes the request body, which results.json (an uploaded artifact)
 * embeds: it is read only from under the profile's folder, so that a profile cannot copy
 * /proc/self/environ or ~/.ssh into an artifact.
 */
function checkMessageFileFolder(profile: Profile, file: string): Profile {
  const messageFile = profile.load.grpc?.messageFile;
  if (messageFile === undefined) return profile;
  const folder = dirname(resolve(file));
  if (!isInside(resolve(folder, messageFile), folder))
    throw new UserError(
      `${file}: load.grpc.message_file: ${JSON.stringify(messageFile)} is outside the profile's folder (${folder}); the message becomes part of results.json, so it is read only from under that folder`,
    );
  return profile;
}

/** import_results paths are relative to the profile's folder, as a reader of the YAML expects. */
function withImportPaths(profile: Profile, file: string): Profile {
  if (!profile.importResults) return profile;
  const importResults = profile.importResults.map((entry) => ({
    ...entry,
    file: resolve(dirname(file), entry.file),
  }));
  return { ...profile, importResults };
}

/** Largest gRPC request message read from load.grpc.message_file: its base64 must fit a job's body. */
const MAX_GRPC_MESSAGE_BYTES = Math.floor((LOAD_LIMITS.maxBodyBytes * 3) / 4);

/** Reads load.grpc.message_file (relative to the profile) into the request body, as base64. */
async function withGrpcMessage(profile: Profile, file: string, signal?: AbortSignal): Promise<Profile> {
  const messageFile = profile.load.grpc?.messageFile;
  if (!messageFile) return profile;
  const path = resolve(dirname(file), messageFile);
  // A regular file only, read no further than the cap (/dev/zero is refused at once).
  const bytes = await readBounded(path, {
    maxBytes: MAX_GRPC_MESSAGE_BYTES,
    what: JSON.stringify(messageFile),
    where: `${file}: load.grpc.message_file`,
    holder: 'a request message',
    signal,
  });
  return {
    ...profile,
    load: { ...profile.load, request: { ...profile.load.request, body: bytes.toString('base64') } },
  };
}
