/** envoy as a local data plane (config and runner: platform/local/proxies/envoy.ts). */
import type { LocalProxyDescriptor } from '../types.js';

export const ENVOY = {
  name: 'envoy',
  binary: 'envoy',
  dataPlaneKeys: ['config', 'include', 'global_include'],
} as const satisfies LocalProxyDescriptor;
