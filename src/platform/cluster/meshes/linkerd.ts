/**
 * Linkerd on a cluster, installed with its CLI: `linkerd check --pre`, the CRDs (with the Gateway
 * API CRDs Linkerd 2.18+ needs, when the cluster lacks them), the control plane, then
 * `linkerd check`. Injection by the namespace annotation `linkerd.io/inject: enabled`; Linkerd
 * always encrypts meshed traffic, and mTLS is *enforced* with the default inbound policy
 * `all-authenticated` (plaintext clients are refused). A control plane already running in the
 * `linkerd` namespace is reused and left in place.
 */
import { SetupError, UserError } from '../../../errors.js';
import { LINKERD } from '../../catalog/meshes/linkerd.js';
import { LINKERD_DATA_PLANE } from '../data-plane/linkerd-rules.js';
import type { KubeObject } from '../../../system/kubectl.js';
import { run, runChecked } from '../../../system/run-command.js';
import { TOOL_RELEASES } from '../../../system/tool-versions.js';
import type { MeshSpec } from '../../../profile/types.js';
import { contextArgs, meshCli } from './cli.js';
import {
  emptyMeta,
  firstVersion,
  type ClusterMesh,
  type ClusterMeshContext,
  type ObjectMeta,
  type ProxyLocation,
} from './types.js';

export const LINKERD_NAMESPACE = 'linkerd';

/**
 * The annotation that makes the proxy a native sidecar (so a meshed Job's pod can complete), by
 * version: Linkerd reads config.beta.linkerd.io/… from edge-25.10.2 (stable 2.19) and only the
 * config.alpha.linkerd.io/… form before; the alpha form is deprecated after, but still read.
 */
export function nativeSidecarAnnotation(version: string): string {
  const edge = /^edge-(\d+)\.(\d+)\.(\d+)/.exec(version);
  const stable = /^(?:stable-|enterprise-)?v?2\.(\d+)\./.exec(version);
  const beta = edge
    ? Number(edge[1]) * 10_000 + Number(edge[2]) * 100 + Number(edge[3]) >= 25_10_02
    : stable !== null && Number(stable[1]) >= 19;
  return `config.${beta ? 'beta' : 'alpha'}.linkerd.io/proxy-enable-native-sidecar`;
}
const CHECK_WAIT = '5m';
const INSTALL_HINT =
  'the linkerd namespace (`kubectl get pods -n linkerd`, `linkerd check`): image pulls, node resources, and that this Linkerd version supports the cluster';

export class LinkerdMesh implements ClusterMesh {
  readonly name = LINKERD.name;
  readonly cli = LINKERD.cli;
  readonly dataPlaneRules = LINKERD_DATA_PLANE;
  readonly controlPlane = {
    namespace: LINKERD_NAMESPACE,
    components: [
      { name: 'linkerd-destination', podPrefix: 'linkerd-destination-' },
      { name: 'linkerd-identity', podPrefix: 'linkerd-identity-' },
      { name: 'linkerd-proxy-injector', podPrefix: 'linkerd-proxy-injector-' },
    ],
  };
  private installedByUs = false;
  /** Version of the control plane the generators' pods meet (read at install). */
  private controlPlaneVersion?: string;

  private linkerdPath(ctx: ClusterMeshContext): string {
    return meshCli(ctx, this.cli);
  }

  private async linkerd(ctx: ClusterMeshContext, args: string[], timeoutMs = 120_000): Promise<string> {
    const result = await runChecked(this.linkerdPath(ctx), [...args, ...contextArgs(ctx)], {
      timeoutMs,
      hint: INSTALL_HINT,
    });
    return result.stdout;
  }

  async install(specs: MeshSpec[], ctx: ClusterMeshContext): Promise<void> {
    const values = specs.find((spec) => spec.installValues)?.installValues;
    if (await ctx.kubectl.exists(['deployment/linkerd-destination', '-n', LINKERD_NAMESPACE])) {
      if (values)
        throw new UserError(
          `install_values ${values}: a Linkerd control plane already runs in the linkerd namespace, and meshgate reuses it as it is; run on a cluster without Linkerd (or platform: kind) to install with these values`,
        );
      this.controlPlaneVersion = await this.serverVersion(ctx);
      ctx.log.info(
        `linkerd: a control plane (${this.controlPlaneVersion ?? 'version unknown'}) already runs in the linkerd namespace; reusing it`,
      );
      return;
    }
    this.controlPlaneVersion = await this.version(ctx);
    await this.linkerd(ctx, ['check', '--pre']);
    this.installedByUs = true;
    ctx.onInstalling?.(this.name);
    const gatewayApi = await ctx.kubectl.exists(['crd/httproutes.gateway.networking.k8s.io']);
    const crds = await this.linkerd(ctx, [
      'install',
      '--crds',
      ...(gatewayApi ? [] : ['--set', 'installGatewayAPI=true']),
    ]);
    await ctx.kubectl.applyYaml(crds, { hint: INSTALL_HINT });
    // install_values (Helm values, checked by data-plane/check.ts) go to the control plane chart.
    const controlPlane = await this.linkerd(ctx, ['install', ...(values ? ['--values', values] : [])]);
    await ctx.kubectl.applyYaml(controlPlane, { hint: INSTALL_HINT, timeoutMs: 300_000 });
    await this.linkerd(ctx, ['check', `--wait=${CHECK_WAIT}`], 360_000);
  }

  enableNamespace(spec: MeshSpec): ObjectMeta {
    const annotations: Record<string, string> = { 'linkerd.io/inject': 'enabled' };
    if (spec.mtls) annotations['config.linkerd.io/default-inbound-policy'] = 'all-authenticated';
    // Linkerd sizes the proxy's worker threads from its CPU limit.
    if (spec.concurrency !== undefined)
      annotations['config.linkerd.io/proxy-cpu-limit'] = String(spec.concurrency);
    return { labels: {}, annotations };
  }

  mtls(_namespace: string, _spec: MeshSpec): KubeObject[] {
    return []; // enforced by the namespace's default inbound policy (enableNamespace)
  }

  clientPod(spec: MeshSpec): ObjectMeta {
    const meta = emptyMeta();
    if (spec.mtls)
      meta.annotations[
        nativeSidecarAnnotation(this.controlPlaneVersion ?? spec.version ?? TOOL_RELEASES.linkerd.version)
      ] = 'true';
    else meta.annotations['linkerd.io/inject'] = 'disabled';
    return meta;
  }

  async version(ctx: ClusterMeshContext): Promise<string | undefined> {
    const result = await runChecked(this.linkerdPath(ctx), ['version', '--client', '--short'], {
      timeoutMs: 30_000,
      hint: 'that the linkerd CLI runs on this machine',
    });
    return firstVersion(result.stdout);
  }

  /** The running control plane's version, else the CLI's. */
  private async serverVersion(ctx: ClusterMeshContext): Promise<string | undefined> {
    const result = await run(this.linkerdPath(ctx), ['version', '--short', ...contextArgs(ctx)], {
      timeoutMs: 30_000,
    });
    const server = result.exitCode === 0 ? firstVersion(result.stdout.split('\n').at(-1) ?? '') : undefined;
    return server ?? (await this.version(ctx));
  }

  proxyContainerName(): ProxyLocation {
    return { container: 'linkerd-proxy', description: 'linkerd-proxy sidecars' };
  }

  async uninstall(ctx: ClusterMeshContext, force = false): Promise<void> {
    if (!this.installedByUs && !force) return;
    const manifest = await run(this.linkerdPath(ctx), ['uninstall', ...contextArgs(ctx)], {
      timeoutMs: 120_000,
    });
    if (manifest.exitCode === 0)
      await ctx.kubectl.run(['delete', '--ignore-not-found', '--wait=false', '-f', '-'], {
        stdin: manifest.stdout,
        hint: 'leftovers in the linkerd namespace',
      });
    else ctx.log.warn(`linkerd uninstall failed: ${manifest.stderr.trim()}`);
    this.installedByUs = false;
  }
}
