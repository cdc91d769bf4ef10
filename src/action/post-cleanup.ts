/**
 * Registration point for platform clean-up in the post step. The post step runs in a new process,
 * after main, also when main failed or was cancelled; it gets what main saved with core.saveState.
 * A platform that leaves something behind beyond main's process (a kind cluster) declares a
 * clean-up from saved state (its cleanupFromState capability); post.ts registers each here (kind's
 * deletes the cluster it created, kubernetes' the run's namespaces and the meshes it installed).
 */
import * as core from '@actions/core';
import { errorMessage } from '../errors.js';
import { stopAll } from '../system/processes.js';
import type { PlatformName } from '../profile/types.js';

/** core.saveState key main writes after loading the profile. */
export const POST_STATE = 'meshgate-post';
/** core.saveState key of a platform's own state for the post step (kind: its cluster; kubernetes: its context and meshes). */
export const platformStateKey = (platform: PlatformName): string => `meshgate-${platform}`;
/** core.saveState key the kind platform writes once its cluster is being created (KindState). */
export const KIND_STATE = platformStateKey('kind');
/** core.saveState key the kubernetes platform writes once it knows its context (KubernetesState). */
export const KUBERNETES_STATE = platformStateKey('kubernetes');

export interface PostState {
  platform: PlatformName;
  profile?: string;
}

export type PostCleanup = (state: PostState) => Promise<void>;

const cleanups = new Map<PlatformName, PostCleanup>();

export function registerPostCleanup(platform: PlatformName, cleanup: PostCleanup): void {
  cleanups.set(platform, cleanup);
}

export function postCleanupFor(platform: PlatformName): PostCleanup | undefined {
  return cleanups.get(platform);
}

/** Parse the saved state; undefined when main never got far enough to save it. */
export function parsePostState(text: string): PostState | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<PostState>;
    return typeof value.platform === 'string' ? (value as PostState) : undefined;
  } catch {
    return undefined;
  }
}

/** Stop anything still registered, then the platform's clean-up. Problems are warnings only. */
export async function runPost(state: PostState | undefined): Promise<void> {
  try {
    await stopAll();
    if (!state) return core.debug('post: main saved no state; nothing to clean up');
    const cleanup = postCleanupFor(state.platform);
    if (!cleanup) return core.debug(`post: platform ${state.platform} needs no clean-up after main`);
    await core.group(`clean up ${state.platform}`, () => cleanup(state));
  } catch (error) {
    core.warning(`post: clean-up failed: ${errorMessage(error)}`);
  }
}
