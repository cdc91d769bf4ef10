/**
 * The local data planes' implementations by name: adding a proxy is its descriptor
 * (platform/catalog/proxies/, with a line in the catalog's index), one file in this folder
 * (config + runner) and one line here, which must have exactly the catalog's names.
 */
import { LOCAL_PROXY_NAMES, type LocalProxyName } from '../../catalog/index.js';
import { envoyDataPlane } from './envoy.js';
import { haproxyDataPlane } from './haproxy.js';
import { nginxDataPlane } from './nginx.js';
import type { LocalDataPlane } from './types.js';

export const LOCAL_PROXIES = {
  nginx: nginxDataPlane,
  haproxy: haproxyDataPlane,
  envoy: envoyDataPlane,
} as const satisfies Record<LocalProxyName, LocalDataPlane>;

export { LOCAL_PROXY_NAMES, type LocalProxyName };

export function localDataPlane(name: string): LocalDataPlane | undefined {
  return Object.hasOwn(LOCAL_PROXIES, name) ? LOCAL_PROXIES[name as LocalProxyName] : undefined;
}

export function localDataPlaneNames(): string[] {
  return [...LOCAL_PROXY_NAMES];
}
