/**
 * A data plane's user files (mesh[].config, include, global_include, and the same under
 * builds.base / builds.head) are written relative to the profile file. Resolve them against its
 * folder and check each is a readable file, so a typo is exit 2 naming the field before anything
 * starts.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { DataPlaneFiles, MeshSpec } from './types.js';

const KEYS = [
  ['config', 'config'],
  ['include', 'include'],
  ['globalInclude', 'global_include'],
] as const;

function resolveFiles(files: DataPlaneFiles, profileFile: string): DataPlaneFiles {
  const out: DataPlaneFiles = { ...files };
  for (const [key, yamlKey] of KEYS) {
    const written = files[key];
    if (written === undefined) continue;
    const absolute = resolve(dirname(profileFile), written);
    let problem: string | undefined;
    try {
      if (!statSync(absolute).isFile()) problem = 'is not a file';
      else accessSync(absolute, constants.R_OK);
    } catch (error) {
      problem = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    }
    if (problem)
      throw new UserError(
        `${profileFile}: ${files.field}.${yamlKey}: ${JSON.stringify(written)} ${problem} (looked for ${absolute}, relative to the profile's folder)`,
      );
    out[key] = absolute;
  }
  return out;
}

/** The mesh list with every data-plane file made absolute and checked. */
export function resolveDataPlaneFiles(meshes: MeshSpec[], profileFile: string): MeshSpec[] {
  return meshes.map((mesh) => ({
    ...mesh,
    ...(mesh.dataPlane ? { dataPlane: resolveFiles(mesh.dataPlane, profileFile) } : {}),
    ...(mesh.builds
      ? { builds: { base: resolveFiles(mesh.builds.base, profileFile), head: resolveFiles(mesh.builds.head, profileFile) } }
      : {}),
  }));
}
