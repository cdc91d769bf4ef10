/**
 * Registers the cluster platforms with the pipeline. The doors call this once with their
 * settings (e.g. the action's tool-version inputs and a saveState callback for the post step):
 *   registerClusterPlatforms({ kind: { onState: (s) => core.saveState('meshgate-kind', JSON.stringify(s)) } })
 */
import { registerPlatform } from '../pipeline.js';
import { KindPlatform, type KindOptions } from './kind.js';
import { KubernetesPlatform, type KubernetesOptions } from './kubernetes.js';

export function registerClusterPlatforms(
  options: { kind?: KindOptions; kubernetes?: KubernetesOptions } = {},
): void {
  registerPlatform('kind', (_name, ctx) => new KindPlatform(options.kind ?? {}, ctx));
  registerPlatform('kubernetes', (_name, ctx) => new KubernetesPlatform(options.kubernetes ?? {}, ctx));
}
