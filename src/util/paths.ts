/** Whether a path lies inside a folder, after symlinks. */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

const real = (path: string): string => {
  // The deepest existing ancestor, resolved: a symlink in the profile's folder cannot lead out.
  let head = resolve(path);
  const rest: string[] = [];
  while (!existsSync(head) && dirname(head) !== head) {
    rest.unshift(basename(head));
    head = dirname(head);
  }
  try {
    return join(realpathSync(head), ...rest);
  } catch {
    return resolve(path);
  }
};

/** Is `path` (after symlinks) inside `folder`? */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(real(folder), real(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
