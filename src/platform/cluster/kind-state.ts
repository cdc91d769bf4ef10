/**
 * What the action's post step needs to remove a kind cluster even when the main step died:
 * saved with core.saveState as soon as the cluster is being created, read back in post.ts, and
 * passed to cleanupFromState.
 */
import type { Logger } from '../../util/log.js';
import { commandSinkActive, run } from '../../system/run-command.js';

export interface KindState {
  platform: 'kind';
  clusterName: string;
  /** True when this run created the cluster (a user-supplied cluster is never deleted). */
  created: boolean;
  keepCluster: boolean;
  /** Absolute path of the kind executable used. */
  kindPath: string;
}

export function isKindState(value: unknown): value is KindState {
  const state = value as Partial<KindState> | null;
  return (
    typeof state === 'object' &&
    state !== null &&
    state.platform === 'kind' &&
    typeof state.clusterName === 'string' &&
    typeof state.kindPath === 'string'
  );
}

/** Delete the cluster named in `state` when this run created it; safe to call twice. */
export async function cleanupFromState(state: KindState, log: Logger): Promise<void> {
  if (!state.created || state.keepCluster) {
    log.info(
      `kind cluster ${state.clusterName} left in place (${state.created ? 'keep-cluster' : 'not created by meshgate'})`,
    );
    return;
  }
  const result = await run(state.kindPath, ['delete', 'cluster', '--name', state.clusterName], {
    timeoutMs: 180_000,
  });
  // In a dry run the command went to the plan (which prints it) and no cluster existed.
  if (commandSinkActive()) return;
  if (result.exitCode === 0) log.info(`deleted kind cluster ${state.clusterName}`);
  else
    log.warn(
      `could not delete kind cluster ${state.clusterName}: ${result.stderr.trim()}; delete it with \`kind delete cluster --name ${state.clusterName}\``,
    );
}

/**
 * For the post step: clean up from whatever main saved — a KindState itself, or an object holding
 * one under `kind` (e.g. the action's post state). Anything else is ignored.
 */
export async function cleanupFromSavedState(saved: unknown, log: Logger): Promise<void> {
  const candidate = isKindState(saved) ? saved : (saved as { kind?: unknown } | null)?.kind;
  if (isKindState(candidate)) await cleanupFromState(candidate, log);
}
