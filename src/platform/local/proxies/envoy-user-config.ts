/**
 * The user's Envoy files: `include` holds a list of HTTP filters (YAML or JSON) that run before
 * meshgate's router, e.g. a WASM filter; `config` is a whole bootstrap with placeholders. Both
 * are checked here as far as that is possible without Envoy (shape, and that every local file a
 * filter loads — a .wasm module, a Lua script — exists); with an envoy binary, `envoy --mode
 * validate` checks the rest before the hop starts.
 */
import { existsSync } from 'node:fs';
import { parse } from 'yaml';
import { UserError } from '../../../errors.js';
import type { DataPlaneFiles } from '../../../profile/types.js';
import { fieldOf, type UserFileKey } from './user-config.js';

function parseYaml(text: string, files: DataPlaneFiles, key: UserFileKey): unknown {
  try {
    return parse(text);
  } catch (error) {
    throw new UserError(`${fieldOf(files, key)} (${files[key]}): not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Every `filename` under a `local` data source (vm_config.code.local.filename and the like). */
export function localFilenames(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) localFilenames(item, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'local' && value && typeof value === 'object' && typeof (value as { filename?: unknown }).filename === 'string')
        found.push((value as { filename: string }).filename);
      localFilenames(value, found);
    }
  }
  return found;
}

function checkLocalFiles(node: unknown, files: DataPlaneFiles, key: UserFileKey): void {
  for (const filename of localFilenames(node))
    if (!existsSync(filename))
      throw new UserError(
        `${fieldOf(files, key)} (${files[key]}): a filter loads ${JSON.stringify(filename)}, which does not exist (use {{config_dir}}/… for a file next to the config)`,
      );
}

/** The user's HTTP filters from a rendered `include`. */
export function parseEnvoyFilters(text: string, files: DataPlaneFiles): unknown[] {
  const filters = parseYaml(text, files, 'include');
  const where = `${fieldOf(files, 'include')} (${files.include})`;
  if (!Array.isArray(filters))
    throw new UserError(`${where}: expected a list of HTTP filters (each with name and typed_config)`);
  filters.forEach((filter, i) => {
    const name = (filter as { name?: unknown } | null)?.name;
    if (!filter || typeof filter !== 'object' || typeof name !== 'string' || !name)
      throw new UserError(`${where}: filter [${i}] needs a name, like envoy.filters.http.wasm`);
    if (name === 'envoy.filters.http.router')
      throw new UserError(`${where}: filter [${i}] is a router; meshgate adds the router after your filters`);
  });
  checkLocalFiles(filters, files, 'include');
  return filters;
}

/** A rendered full bootstrap: a mapping with static_resources.listeners. */
export function checkEnvoyBootstrap(text: string, files: DataPlaneFiles): void {
  const bootstrap = parseYaml(text, files, 'config') as { static_resources?: { listeners?: unknown } } | null;
  if (!bootstrap || typeof bootstrap !== 'object' || !Array.isArray(bootstrap.static_resources?.listeners))
    throw new UserError(`${fieldOf(files, 'config')} (${files.config}): expected an Envoy bootstrap with static_resources.listeners`);
  checkLocalFiles(bootstrap, files, 'config');
}
