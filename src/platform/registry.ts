/**
 * Every platform's implementation by name: adding one is a folder under platform/, its descriptor
 * in platform/catalog/platforms.ts (a line in the catalog's index) and one line here. The
 * profile's and the doors' lists of platform names come from the catalog.
 */
import { UserError } from '../errors.js';
import { PLATFORM_NAMES, isPlatformName, type PlatformName } from './catalog/index.js';
import { KindPlatform, type KindOptions } from './cluster/kind.js';
import { KubernetesPlatform, type KubernetesOptions } from './cluster/kubernetes.js';
import { LocalPlatform } from './local/platform.js';
import type { Platform, PlatformContext } from './types.js';

/** Settings a door gives the platforms (the action's tool-version inputs, a post-step callback …). */
export interface PlatformOptions {
  kind?: KindOptions;
  kubernetes?: KubernetesOptions;
}

type PlatformFactory = (ctx: PlatformContext, options: PlatformOptions) => Platform;

const PLATFORMS = {
  local: (ctx) => new LocalPlatform(ctx),
  kind: (ctx, options) => new KindPlatform(options.kind ?? {}, ctx),
  kubernetes: (ctx, options) => new KubernetesPlatform(options.kubernetes ?? {}, ctx),
} as const satisfies Record<PlatformName, PlatformFactory>;

export { PLATFORM_NAMES, isPlatformName, type PlatformName };

let configured: PlatformOptions = {};

/** The doors call this once with their settings, before measure() creates a platform. */
export function configurePlatforms(options: PlatformOptions): void {
  configured = options;
}

export function createPlatform(name: PlatformName, ctx: PlatformContext, options = configured): Platform {
  if (!isPlatformName(name)) throw new UserError(`platform "${name}" is not available in this build`);
  return PLATFORMS[name](ctx, options);
}
