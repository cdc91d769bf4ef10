/**
 * The action's post step: runs after main in a new process, also when main failed or was
 * cancelled. Platforms that leave things behind register their clean-up in post-cleanup.ts.
 */
import * as core from '@actions/core';
import { cleanupFromSavedState } from '../platform/cluster/kind-state.js';
import { cleanupKubernetesFromState, isKubernetesState } from '../platform/cluster/kubernetes-state.js';
import { coreLogger } from './log.js';
import {
  KIND_STATE,
  KUBERNETES_STATE,
  POST_STATE,
  parsePostState,
  registerPostCleanup,
  runPost,
} from './post-cleanup.js';

registerPostCleanup('kind', async () => {
  const saved = core.getState(KIND_STATE);
  if (saved) await cleanupFromSavedState(JSON.parse(saved), coreLogger());
});
registerPostCleanup('kubernetes', async () => {
  const saved = core.getState(KUBERNETES_STATE);
  const state: unknown = saved ? JSON.parse(saved) : undefined;
  if (isKubernetesState(state)) await cleanupKubernetesFromState(state, coreLogger());
});
await runPost(parsePostState(core.getState(POST_STATE)));
