/** haproxy as a local data plane (config and runner: platform/local/proxies/haproxy.ts). */
import type { LocalProxyDescriptor } from '../types.js';

export const HAPROXY = {
  name: 'haproxy',
  binary: 'haproxy',
  dataPlaneKeys: ['config', 'include', 'global_include'],
} as const satisfies LocalProxyDescriptor;
