/**
 * Pinned versions of the cluster tools and images, with their download addresses and sha256
 * checksums (linux amd64 / arm64). One table, so that a bump is one reviewed diff.
 *
 * Versions go together (checked by platform/catalog/pin-compat.ts and its test; each mesh's supported Kubernetes range is in its descriptor): kind v0.29.0 ships node images
 * for Kubernetes 1.33; kubectl 1.33 matches them; Istio 1.27 supports 1.29–1.33; Linkerd
 * edge-25.10 (the 2.19 line) supports 1.29–1.34. edge-25.5.2 was left: its line (2.18) ends at
 * Kubernetes 1.32, and Linkerd's notes advise skipping it.
 * Every pinned version must have its sha256 here for each platform: tools.ts refuses to install a
 * pinned version whose checksum is missing, unless the entry says in `unpinned` why it is not
 * pinned yet (istioctl and linkerd: their checksums could not be read from where this table is
 * maintained); such a tool, and a version the user chose instead, is verified against what its
 * release publishes, with a warning in the log and the dry run: istioctl's `.sha256` file, and
 * for Linkerd the asset's `digest` in GitHub's releases API — Linkerd stopped publishing
 * `.sha256` files at edge-25.9.4 (linkerd/linkerd2#14511), pointing at that digest instead.
 */

export const TOOL_NAMES = ['kind', 'kubectl', 'istioctl', 'linkerd'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];
export type ToolPlatform = 'linux-amd64' | 'linux-arm64';

export interface ToolRelease {
  version: string;
  /** Download address of the asset for a platform (`os-arch`). */
  url(version: string, platform: ToolPlatform): string;
  /**
   * Where the release itself states the asset's sha256: a checksum file next to the asset (its
   * first word is the hash), or the asset's `digest` ("sha256:<hex>") in GitHub's releases API
   * (GET /repos/{owner}/{repo}/releases/tags/{tag}, assets[].digest).
   */
  published:
    | { kind: 'file'; url(version: string, platform: ToolPlatform): string }
    | { kind: 'github-digest'; repo: string; asset(version: string, platform: ToolPlatform): string };
  /** `binary`: the asset is the executable; `tar.gz`: the executable is `entry` inside it. */
  archive: 'binary' | 'tar.gz';
  entry?: string;
  /** Pinned sha256 of the asset for `version`, by platform. */
  sha256: Partial<Record<ToolPlatform, string>>;
  /**
   * Why `version` has no pinned sha256 yet. Without it a missing pin stops the install; with it
   * the release's own checksum file is used (same host as the binary: integrity, not provenance).
   */
  unpinned?: string;
}

/**
 * What each tool's release tags look like. A version goes into a download URL (and a file name),
 * so anything else — `../`, a query, a slash — is refused where it is given (profile, input, flag).
 */
export const TOOL_VERSION_PATTERNS: Record<ToolName, { pattern: RegExp; example: string }> = {
  kind: { pattern: /^v\d{1,3}\.\d{1,3}\.\d{1,3}$/, example: 'v0.29.0' },
  kubectl: { pattern: /^v\d{1,3}\.\d{1,3}\.\d{1,3}(-(alpha|beta|rc)\.\d{1,3})?$/, example: 'v1.33.0' },
  istioctl: { pattern: /^\d{1,3}\.\d{1,3}\.\d{1,3}(-(alpha|beta|rc)\.\d{1,3})?$/, example: '1.27.1' },
  linkerd: { pattern: /^(stable|edge)-\d{1,4}\.\d{1,3}\.\d{1,3}$/, example: 'edge-25.10.2' },
};

/** Why `version` is no release tag of `tool`, or undefined. */
export function toolVersionProblem(tool: ToolName, version: string): string | undefined {
  const { pattern, example } = TOOL_VERSION_PATTERNS[tool];
  return pattern.test(version) ? undefined : `expected a release tag of ${tool}, like ${example}`;
}

export const TOOL_RELEASES: Record<ToolName, ToolRelease> = {
  kind: {
    version: 'v0.29.0',
    url: (v, p) => `https://github.com/kubernetes-sigs/kind/releases/download/${v}/kind-${p}`,
    published: {
      kind: 'file',
      url: (v, p) => `https://github.com/kubernetes-sigs/kind/releases/download/${v}/kind-${p}.sha256sum`,
    },
    archive: 'binary',
    sha256: {
      'linux-amd64': 'c72eda46430f065fb45c5f70e7c957cc9209402ef309294821978677c8fb3284',
      'linux-arm64': '03d45095dbd9cc1689f179a3e5e5da24b77c2d1b257d7645abf1b4174bebcf2a',
    },
  },
  kubectl: {
    version: 'v1.33.0',
    url: (v, p) => `https://dl.k8s.io/release/${v}/bin/${p.replace('-', '/')}/kubectl`,
    published: {
      kind: 'file',
      url: (v, p) => `https://dl.k8s.io/release/${v}/bin/${p.replace('-', '/')}/kubectl.sha256`,
    },
    archive: 'binary',
    sha256: {
      'linux-amd64': '9efe8d3facb23e1618cba36fb1c4e15ac9dc3ed5a2c2e18109e4a66b2bac12dc',
      'linux-arm64': '48541d119455ac5bcc5043275ccda792371e0b112483aa0b29378439cf6322b9',
    },
  },
  istioctl: {
    version: '1.27.1',
    url: (v, p) => `https://github.com/istio/istio/releases/download/${v}/istioctl-${v}-${p}.tar.gz`,
    published: {
      kind: 'file',
      url: (v, p) => `https://github.com/istio/istio/releases/download/${v}/istioctl-${v}-${p}.tar.gz.sha256`,
    },
    archive: 'tar.gz',
    entry: 'istioctl',
    // To be pinned: the sha256 of istioctl-1.27.1-linux-{amd64,arm64}.tar.gz (the release's
    // .sha256 files hold them).
    sha256: {},
    unpinned: 'the sha256 of istioctl 1.27.1 is not in the pin table yet',
  },
  linkerd: {
    version: 'edge-25.10.2',
    url: (v, p) => `https://github.com/linkerd/linkerd2/releases/download/${v}/linkerd2-cli-${v}-${p}`,
    // No .sha256 files from edge-25.9.4 on: GitHub's own digest of the asset instead.
    published: { kind: 'github-digest', repo: 'linkerd/linkerd2', asset: (v, p) => `linkerd2-cli-${v}-${p}` },
    archive: 'binary',
    // To be pinned: the sha256 of linkerd2-cli-edge-25.10.2-linux-{amd64,arm64}.
    sha256: {},
    unpinned: 'the sha256 of linkerd edge-25.10.2 is not in the pin table yet',
  },
};

/** kind's node image for Kubernetes 1.33.1, as published with kind v0.29.0 (multi-arch digest). */
export const KIND_NODE_IMAGE =
  'kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f';

/** Public Node image that runs meshgate's bundles in pods (load generators, the sample server). */
export const NODE_IMAGE =
  'node:24-alpine@sha256:a0b9bf06e4e6193cf7a0f58816cc935ff8c2a908f81e6f1a95432d679c54fbfd';

/** Gateway API CRDs that Linkerd 2.18+ needs before its install (standard channel). */
export const GATEWAY_API_VERSION = 'v1.2.1';
