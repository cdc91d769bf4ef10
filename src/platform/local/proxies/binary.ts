/** Finding a proxy executable (the profile's `binary`, else PATH and the sbin folders) and its version. */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { SetupError, UserError } from '../../../errors.js';
import type { MeshSpec } from '../../../profile/types.js';

const exec = promisify(execFile);
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The executable for `spec`, or undefined when none is installed. */
export function findProxyBinary(
  spec: MeshSpec,
  program: string,
  pathValue = process.env.PATH ?? '',
): string | undefined {
  if (spec.binary) {
    if (!isExecutable(spec.binary))
      throw new UserError(`mesh ${spec.id}: binary "${spec.binary}" is not an executable file`);
    return spec.binary;
  }
  for (const dir of [...pathValue.split(delimiter).filter(Boolean), ...SBIN_DIRS]) {
    const candidate = join(dir, program);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function requireProxyBinary(spec: MeshSpec, program: string, installHint: string): string {
  const found = findProxyBinary(spec, program);
  if (!found) throw new SetupError(missingProxyMessage(spec, program, installHint));
  return found;
}

/** What `run` stops for and `validate` warns of when no executable for `spec` is installed. */
export function missingProxyMessage(spec: MeshSpec, program: string, installHint: string): string {
  return `mesh ${spec.id}: no ${program} executable on PATH or in /usr/sbin; ${installHint}, or set the mesh's binary`;
}

/** The message for a missing executable, or undefined when `spec`'s proxy is installed. */
export function proxyBinaryMissing(spec: MeshSpec, program: string, installHint: string): string | undefined {
  try {
    return findProxyBinary(spec, program) ? undefined : missingProxyMessage(spec, program, installHint);
  } catch (error) {
    // The mesh's own binary, not (yet) an executable file: a build step may still make it.
    if (error instanceof UserError) return error.message;
    throw error;
  }
}

/** First match of `pattern` in the output (stdout and stderr) of `binary args`. */
export async function versionFrom(
  binary: string | undefined,
  args: string[],
  pattern: RegExp,
): Promise<string | undefined> {
  if (!binary) return undefined;
  try {
    const { stdout, stderr } = await exec(binary, args, { timeout: 10_000 });
    return pattern.exec(`${stdout}\n${stderr}`)?.[1];
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    return pattern.exec(`${output.stdout ?? ''}\n${output.stderr ?? ''}`)?.[1];
  }
}
