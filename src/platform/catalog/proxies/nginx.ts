/** nginx as a local data plane (config and runner: platform/local/proxies/nginx.ts). */
import type { LocalProxyDescriptor } from '../types.js';

export const NGINX = {
  name: 'nginx',
  binary: 'nginx',
  dataPlaneKeys: ['config', 'include', 'global_include'],
} as const satisfies LocalProxyDescriptor;
