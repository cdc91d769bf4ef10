/**
 * What a profile names on disk, checked before anything starts: each build's program found and
 * executable (`run` and the action refuse, `validate` warns), each import_results file a regular
 * file (all three refuse).
 * Nothing is run or read here. The program is resolved as the run's spawn resolves it: a name
 * with a slash from the current directory, a bare name on PATH.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { Profile } from './types.js';

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where `program` would run from, or undefined when it is not found (or not executable). */
export function resolveProgram(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (program.includes('/')) {
    const path = isAbsolute(program) ? program : resolve(program);
    return executable(path) ? path : undefined;
  }
  for (const directory of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const path = join(directory, program);
    if (executable(path)) return path;
  }
  return undefined;
}

/**
 * Each build's program that is not there (yet): `validate` warns about these (a profile is often
 * validated before its build exists), `run` and the action refuse them before any load.
 */
export function missingPrograms(
  profile: Profile,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const missing: string[] = [];
  for (const [name, build] of Object.entries(profile.workload.builds)) {
    if (build?.kind !== 'command') continue;
    const program = build.command[0];
    // A program made of {port} alone is filled in at run time; nothing to check before.
    if (program.includes('{port}')) continue;
    if (!resolveProgram(program, { ...env, ...build.env }))
      missing.push(
        `${file}: the ${name} build's command: program ${JSON.stringify(program)} ${program.includes('/') ? `is not an executable file (${resolve(program)})` : 'is not found on PATH (or is not executable)'}`,
      );
  }
  return missing;
}

/** Every import_results file a regular file: these are read, never built, so they must be there. */
export function validateImportFiles(profile: Profile, file: string): void {
  (profile.importResults ?? []).forEach((entry, i) => {
    let problem: string | undefined;
    try {
      if (!statSync(entry.file).isFile()) problem = 'is not a regular file';
    } catch (error) {
      problem = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    }
    if (problem) throw new UserError(`${file}: import_results[${i}].file: ${entry.file} ${problem}`);
  });
}

/** Before a run: every program and import file there, or exit 2 naming the first missing one. */
export function validateProfileFiles(
  profile: Profile,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const [missing] = missingPrograms(profile, file, env);
  if (missing) throw new UserError(missing);
  validateImportFiles(profile, file);
}
