/** The platforms a profile may name (implementations: platform/registry.ts). */
import type { PlatformDescriptor } from './types.js';

export const LOCAL = { name: 'local', cluster: false } as const satisfies PlatformDescriptor;
export const KIND = { name: 'kind', cluster: true } as const satisfies PlatformDescriptor;
export const KUBERNETES = { name: 'kubernetes', cluster: true } as const satisfies PlatformDescriptor;
