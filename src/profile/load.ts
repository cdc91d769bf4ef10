/** Reading profiles from disk: YAML (meshgate's form or a Meshery/SMP test), validated into a Profile. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { UserError, errorMessage } from '../errors.js';
import { formatIssues } from './issues.js';
import { ProfileInputSchema } from './schema.js';
import { isSmpDocument, smpToProfileInput } from './smp.js';
import type { Profile } from './types.js';

/** Validate an already parsed document; `file` names it in errors. */
export function parseProfile(doc: unknown, file: string): Profile {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new UserError(`${file}: expected a YAML mapping with at least "name:", got ${JSON.stringify(doc) ?? 'nothing'}`);
  const input = isSmpDocument(doc) ? smpToProfileInput(doc, file) : doc;
  const parsed = ProfileInputSchema.safeParse(input);
  if (!parsed.success) throw new UserError(formatIssues(file, parsed.error.issues, input));
  return parsed.data;
}

/** Parse YAML text; syntax errors name the line and column. */
export function parseProfileText(text: string, file: string): Profile {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const where = first.linePos ? `line ${first.linePos[0].line}, column ${first.linePos[0].col}` : 'YAML';
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
  return withImportPaths(await withGrpcMessage(parseProfileText(text, file), file), file);
}

/** import_results paths are relative to the profile's folder, as a reader of the YAML expects. */
function withImportPaths(profile: Profile, file: string): Profile {
  if (!profile.importResults) return profile;
  const importResults = profile.importResults.map((entry) => ({ ...entry, file: resolve(dirname(file), entry.file) }));
  return { ...profile, importResults };
}

/** Largest gRPC request message read from load.grpc.message_file (gRPC's default receive limit is 4 MiB). */
const MAX_GRPC_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Reads load.grpc.message_file (relative to the profile) into the request body, as base64. */
async function withGrpcMessage(profile: Profile, file: string): Promise<Profile> {
  const messageFile = profile.load.grpc?.messageFile;
  if (!messageFile) return profile;
  const path = resolve(dirname(file), messageFile);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UserError(`${file}: load.grpc.message_file: cannot read ${JSON.stringify(messageFile)}: ${errorMessage(error)}`);
  }
  if (bytes.length > MAX_GRPC_MESSAGE_BYTES)
    throw new UserError(`${file}: load.grpc.message_file: ${bytes.length} bytes is more than gRPC's default 4 MiB limit`);
  return { ...profile, load: { ...profile.load, request: { ...profile.load.request, body: bytes.toString('base64') } } };
}
