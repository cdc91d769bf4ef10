/**
 * Istio on a cluster, installed with istioctl: the `minimal` profile (istiod only) for sidecar
 * variants, `ambient` (istiod, istio-cni, ztunnel) when any variant uses ambient mode — that
 * profile still injects sidecars into namespaces labelled for it. Strict mTLS is a namespace-wide
 * PeerAuthentication. An istiod already running in istio-system is reused and left in place.
 */
import { SetupError, UserError } from '../../../errors.js';
import { ISTIO } from '../../catalog/meshes/istio.js';
import { ISTIO_DATA_PLANE } from '../data-plane/istio-rules.js';
import type { KubeObject } from '../../../system/kubectl.js';
import { runChecked } from '../../../system/run-command.js';
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

export const ISTIO_NAMESPACE = 'istio-system';
const INSTALL_TIMEOUT_S = 300;

/**
 * istioctl arguments for one install covering `specs`. An entry's install_values (an
 * IstioOperator, checked by data-plane/check.ts; every entry carries the same one) comes first
 * with -f; meshgate's --set flags override it.
 */
export function istioInstallArgs(specs: readonly MeshSpec[]): string[] {
  const ambient = specs.some((spec) => spec.mode === 'ambient');
  const values = specs.find((spec) => spec.installValues)?.installValues;
  const args = [
    'install',
    '-y',
    ...(values ? ['-f', values] : []),
    '--set',
    `profile=${ambient ? 'ambient' : 'minimal'}`,
  ];
  const concurrency = specs.find((spec) => spec.concurrency !== undefined)?.concurrency;
  if (concurrency !== undefined) args.push('--set', `meshConfig.defaultConfig.concurrency=${concurrency}`);
  args.push('--readiness-timeout', `${INSTALL_TIMEOUT_S}s`);
  return args;
}

export class IstioMesh implements ClusterMesh {
  readonly name = ISTIO.name;
  readonly cli = ISTIO.cli;
  readonly modes = ISTIO.modes.map((mode) => mode.name);
  readonly dataPlaneRules = ISTIO_DATA_PLANE;
  // ztunnel is not listed: in ambient mode it is the data plane, measured as the variant's proxy.
  readonly controlPlane = {
    namespace: ISTIO_NAMESPACE,
    components: [
      { name: 'istiod', podPrefix: 'istiod-' },
      { name: 'istio-cni-node', podPrefix: 'istio-cni-node-' },
    ],
  };
  private installedByUs = false;

  private istioctl(ctx: ClusterMeshContext): string {
    return meshCli(ctx, this.cli);
  }

  async install(specs: MeshSpec[], ctx: ClusterMeshContext): Promise<void> {
    const ambient = specs.some((spec) => spec.mode === 'ambient');
    if (await ctx.kubectl.exists(['deployment/istiod', '-n', ISTIO_NAMESPACE])) {
      const values = specs.find((spec) => spec.installValues)?.installValues;
      if (values)
        throw new UserError(
          `install_values ${values}: istiod already runs in istio-system, and meshgate reuses an existing Istio as it is; run on a cluster without Istio (or platform: kind) to install with these values`,
        );
      ctx.log.info('istio: istiod already runs in istio-system; reusing it');
      if (ambient && !(await ctx.kubectl.exists(['daemonset/ztunnel', '-n', ISTIO_NAMESPACE])))
        throw new SetupError(
          'istio ambient mode needs ztunnel, but the existing Istio install in istio-system has none; install it with profile=ambient or use a cluster without Istio',
        );
      return;
    }
    const concurrencies = new Set(specs.map((spec) => spec.concurrency));
    if (concurrencies.size > 1)
      ctx.log.warn('istio variants ask for different proxy concurrency; the first one applies mesh-wide');
    this.installedByUs = true;
    ctx.onInstalling?.(this.name);
    await runChecked(this.istioctl(ctx), [...istioInstallArgs(specs), ...contextArgs(ctx)], {
      timeoutMs: (INSTALL_TIMEOUT_S + 60) * 1000,
      hint: 'the istio-system pods (`kubectl get pods -n istio-system`, `kubectl describe pod`): image pulls, node resources, and that the Istio version supports this Kubernetes version',
    });
    const hint = 'the istio-system pods and their events (`kubectl get events -n istio-system`)';
    await ctx.kubectl.rolloutStatus('deployment/istiod', ISTIO_NAMESPACE, INSTALL_TIMEOUT_S, hint);
    if (ambient) {
      await ctx.kubectl.rolloutStatus('daemonset/istio-cni-node', ISTIO_NAMESPACE, INSTALL_TIMEOUT_S, hint);
      await ctx.kubectl.rolloutStatus('daemonset/ztunnel', ISTIO_NAMESPACE, INSTALL_TIMEOUT_S, hint);
    }
  }

  enableNamespace(spec: MeshSpec): ObjectMeta {
    const labels: Record<string, string> =
      spec.mode === 'ambient' ? { 'istio.io/dataplane-mode': 'ambient' } : { 'istio-injection': 'enabled' };
    return { labels, annotations: {} };
  }

  mtls(namespace: string, spec: MeshSpec): KubeObject[] {
    if (!spec.mtls) return [];
    return [
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace },
        spec: { mtls: { mode: 'STRICT' } },
      },
    ];
  }

  clientPod(spec: MeshSpec): ObjectMeta {
    const meta = emptyMeta();
    if (spec.mode === 'ambient') {
      if (!spec.mtls) meta.labels['istio.io/dataplane-mode'] = 'none';
    } else if (spec.mtls) {
      meta.annotations['sidecar.istio.io/nativeSidecar'] = 'true';
    } else {
      meta.labels['sidecar.istio.io/inject'] = 'false';
    }
    return meta;
  }

  async version(ctx: ClusterMeshContext): Promise<string | undefined> {
    const result = await runChecked(this.istioctl(ctx), ['version', '--remote=false'], {
      timeoutMs: 30_000,
      hint: 'that istioctl runs on this machine',
    });
    return firstVersion(result.stdout);
  }

  proxyContainerName(spec: MeshSpec): ProxyLocation {
    if (spec.mode === 'ambient')
      return {
        container: 'istio-proxy',
        namespace: ISTIO_NAMESPACE,
        podPrefix: 'ztunnel-',
        description: 'ztunnel (per node, shared by ambient variants)',
      };
    return { container: 'istio-proxy', description: 'istio-proxy sidecars' };
  }

  async uninstall(ctx: ClusterMeshContext, force = false): Promise<void> {
    if (!this.installedByUs && !force) return;
    await runChecked(this.istioctl(ctx), ['uninstall', '--purge', '-y', ...contextArgs(ctx)], {
      timeoutMs: 300_000,
      hint: 'the istio-system namespace; remove leftovers with `istioctl uninstall --purge`',
    });
    await ctx.kubectl.deleteNamespace(ISTIO_NAMESPACE);
    this.installedByUs = false;
  }
}
