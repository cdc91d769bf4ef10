/**
 * What the action's post step needs to clean an existing cluster up after the main step died or
 * was cancelled: the run's id (its namespaces carry it as a label), the kubeconfig context, the
 * tools used, and the meshes this run began to install. Saved with core.saveState as it changes.
 */
import { Kubectl } from '../../system/kubectl.js';
import type { ToolPaths } from '../../system/tools.js';
import type { Logger } from '../../util/log.js';
import { clusterMeshFor } from './meshes/registry.js';
import { LABEL_RUN } from './workload/objects.js';

export interface KubernetesState {
  platform: 'kubernetes';
  context: string;
  runId: string;
  tools: ToolPaths;
  /** Meshes this run installed (or began to): uninstalled; a reused install is never listed. */
  installedMeshes: string[];
}

export function isKubernetesState(value: unknown): value is KubernetesState {
  const state = value as Partial<KubernetesState> | null;
  return (
    typeof state === 'object' &&
    state !== null &&
    state.platform === 'kubernetes' &&
    typeof state.context === 'string' &&
    typeof state.runId === 'string' &&
    /^[a-z0-9]+$/.test(state.runId) &&
    typeof state.tools?.kubectl === 'string' &&
    Array.isArray(state.installedMeshes)
  );
}

/** Delete the run's namespaces (by label) and uninstall the meshes it installed. Never throws. */
export async function cleanupKubernetesFromState(state: KubernetesState, log: Logger): Promise<void> {
  const kubectl = new Kubectl(state.tools.kubectl, log, state.context);
  const selector = `${LABEL_RUN}=${state.runId}`;
  const deleted = await kubectl.attempt(
    ['delete', 'namespace', '-l', selector, '--ignore-not-found', '--wait=false'],
    120_000,
  );
  if (deleted.exitCode === 0)
    log.info(`deleted the namespaces labelled ${selector} in context ${state.context}`);
  else log.warn(`could not delete namespaces labelled ${selector}: ${deleted.stderr.trim()}`);
  for (const name of state.installedMeshes) {
    try {
      await clusterMeshFor(name).uninstall({ kubectl, tools: state.tools, log }, true);
      log.info(`uninstalled ${name}, which this run installed`);
    } catch (error) {
      log.warn(`could not uninstall ${name}: ${(error as Error).message}`);
    }
  }
}
