/** What every mesh installed by its own CLI needs: the CLI's path, and kubectl's context passed on. */
import { SetupError } from '../../../errors.js';
import type { ToolName } from '../../../system/tool-versions.js';
import type { ClusterMeshContext } from './types.js';

/** The mesh CLI resolved with the cluster tools (registry.ts's meshTools() asks for it). */
export function meshCli(ctx: ClusterMeshContext, tool: ToolName): string {
  const path = ctx.tools[tool];
  if (!path) throw new SetupError(`${tool} is not available; it is installed with the cluster tools`);
  return path;
}

/** `--context <ctx>` when kubectl is bound to a context: istioctl and linkerd take the same flag. */
export function contextArgs(ctx: ClusterMeshContext): string[] {
  return ctx.kubectl.context ? ['--context', ctx.kubectl.context] : [];
}
