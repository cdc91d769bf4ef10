/**
 * A data plane's user files (mesh[].config, include, global_include, manifests, install_values,
 * and the same under builds.base / builds.head) are written relative to the profile file.
 * Resolve them against its folder and check each is a readable file, so a typo is exit 2 naming
 * the field before anything starts.
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

/** `written` made absolute against the profile's folder; exit 2 naming `field` when it is no readable file. */
function resolveFile(written: string, field: string, profileFile: string): string {
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
      `${profileFile}: ${field}: ${JSON.stringify(written)} ${problem} (looked for ${absolute}, relative to the profile's folder)`,
    );
  return absolute;
}

function resolveFiles(files: DataPlaneFiles, profileFile: string): DataPlaneFiles {
  const out: DataPlaneFiles = { ...files };
  for (const [key, yamlKey] of KEYS) {
    const written = files[key];
    if (written !== undefined) out[key] = resolveFile(written, `${files.field}.${yamlKey}`, profileFile);
  }
  if (files.manifests)
    out.manifests = files.manifests.map((written, i) =>
      resolveFile(written, `${files.field}.manifests[${i}]`, profileFile),
    );
  return out;
}

/** The mesh list with every data-plane file made absolute and checked. */
export function resolveDataPlaneFiles(meshes: MeshSpec[], profileFile: string): MeshSpec[] {
  return meshes.map((mesh, index) => ({
    ...mesh,
    ...(mesh.installValues !== undefined
      ? { installValues: resolveFile(mesh.installValues, `mesh[${index}].install_values`, profileFile) }
      : {}),
    ...(mesh.dataPlane ? { dataPlane: resolveFiles(mesh.dataPlane, profileFile) } : {}),
    ...(mesh.builds
      ? {
          builds: {
            base: resolveFiles(mesh.builds.base, profileFile),
            head: resolveFiles(mesh.builds.head, profileFile),
          },
        }
      : {}),
  }));
}
