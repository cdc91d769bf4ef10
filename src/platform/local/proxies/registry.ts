/**
 * The local data planes by name: adding a proxy is one file in this folder (config + runner) and
 * one line here. The profile's list of local mesh names comes from this table.
 */
import { envoyDataPlane } from './envoy.js';
import { haproxyDataPlane } from './haproxy.js';
import { nginxDataPlane } from './nginx.js';
import type { LocalDataPlane } from './types.js';

export const LOCAL_PROXIES = {
  nginx: nginxDataPlane,
  haproxy: haproxyDataPlane,
  envoy: envoyDataPlane,
} as const satisfies Record<string, LocalDataPlane>;

export type LocalProxyName = keyof typeof LOCAL_PROXIES;
export const LOCAL_PROXY_NAMES = Object.keys(LOCAL_PROXIES) as LocalProxyName[];

export function localDataPlane(name: string): LocalDataPlane | undefined {
  return Object.hasOwn(LOCAL_PROXIES, name) ? LOCAL_PROXIES[name as LocalProxyName] : undefined;
}

export function localDataPlaneNames(): string[] {
  return [...LOCAL_PROXY_NAMES];
}
