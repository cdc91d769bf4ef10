/**
 * Paths as the PR comment's "next steps" print them: from the repository's root, where a reader
 * pastes the commands, whatever folder meshgate ran in. The root is the nearest folder above with
 * a `.git` (a folder, or a file in a worktree or submodule); outside a repository, the folder
 * meshgate ran in.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export function repositoryRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** `file` (relative to `cwd`) as a path from the repository root; undefined when it lies outside it. */
export function pathFromRepositoryRoot(file: string, cwd = process.cwd()): string | undefined {
  const absolute = resolve(cwd, file);
  const root = repositoryRoot(cwd) ?? resolve(cwd);
  const rel = relative(root, absolute);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}
