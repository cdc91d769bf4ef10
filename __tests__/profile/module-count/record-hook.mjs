// A module resolve hook (node:module register): appends every URL the loader resolves to the file
// named by MESHGATE_MODULE_LOG, so that a parent process can see which modules a program loaded.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (process.env.MESHGATE_MODULE_LOG) appendFileSync(process.env.MESHGATE_MODULE_LOG, `${result.url}\n`);
  return result;
}
