/**
 * A stand-in for the hosts the cluster tools are downloaded from (github.com release downloads,
 * dl.k8s.io, and github.com's REST API for releases), serving on loopback what the real releases
 * hold — and a 404 for what they do not. tools.ts reaches it through redirectReleaseHosts():
 * `https://github.com/x` is asked as `<origin>/github.com/x`.
 *
 * The rules it enforces, as checked against the real projects:
 * - Linkerd publishes `linkerd2-cli-<tag>-<os-arch>` binaries; from edge-25.9.4 on no `.sha256`
 *   files (linkerd/linkerd2#14511, "made redundant by the way that GitHub now self-documents these
 *   shas"). Older releases had one per binary.
 * - GitHub's releases API (GET /repos/{owner}/{repo}/releases/tags/{tag}) lists `assets`, each with
 *   `name`, `size`, `browser_download_url` and `digest`: "sha256:<hex>" for assets GitHub recorded
 *   a digest for (uploaded since 2025-06-03), null for older ones. An unknown tag is a 404 JSON
 *   `{ "message": "Not Found" }`.
 * - A release download answers 302 to the asset's storage host, which serves the bytes.
 * - kind publishes `kind-<os-arch>` and `kind-<os-arch>.sha256sum`; Istio `istioctl-<v>-<os-arch>.tar.gz`
 *   and `.tar.gz.sha256`; dl.k8s.io `bin/<os>/<arch>/kubectl` and `kubectl.sha256`.
 * The bytes are made up (not the real binaries), so only digests the stand-in states match them.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReleaseAsset {
  bytes: Buffer;
  /** Whether GitHub recorded a digest (assets uploaded since June 2025). */
  digest: boolean;
  /** Bytes served instead of `bytes` (a download altered on its way): the digest stays that of `bytes`. */
  served?: Buffer;
}

const PLATFORMS = ['linux-amd64', 'linux-arm64'] as const;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const fakeBinary = (name: string) => Buffer.from(`#!/bin/sh\n# stand-in for ${name}\necho ${name}\n`);

/** Linkerd tags as sortable numbers: edge-25.9.4 → [25, 9, 4]. */
function edgeVersion(tag: string): number[] | undefined {
  const match = /^edge-(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  return match ? match.slice(1).map(Number) : undefined;
}
function atLeast(a: number[], b: number[]): boolean {
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

export class ReleaseServer {
  /** Path (host/path, no scheme) → file. */
  readonly files = new Map<string, ReleaseAsset>();
  /** "owner/repo@tag" → asset names of that GitHub release. */
  readonly releases = new Map<string, string[]>();
  readonly requests: string[] = [];
  private server?: Server;
  origin = '';

  /** A GitHub release with these assets (name → bytes). */
  addGithubRelease(repo: string, tag: string, assets: Record<string, Buffer>, digest: boolean): void {
    this.releases.set(`${repo}@${tag}`, Object.keys(assets));
    for (const [name, bytes] of Object.entries(assets))
      this.files.set(`github.com/${repo}/releases/download/${tag}/${name}`, { bytes, digest });
  }

  addLinkerd(tag: string, options: { digest?: boolean } = {}): void {
    const assets: Record<string, Buffer> = {};
    const version = edgeVersion(tag);
    const sha256Files = !version || !atLeast(version, [25, 9, 4]);
    for (const platform of PLATFORMS) {
      const name = `linkerd2-cli-${tag}-${platform}`;
      assets[name] = fakeBinary(name);
      if (sha256Files) assets[`${name}.sha256`] = Buffer.from(`${sha256(assets[name])}  ${name}\n`);
    }
    this.addGithubRelease('linkerd/linkerd2', tag, assets, options.digest ?? true);
  }

  addKind(tag: string): void {
    const assets: Record<string, Buffer> = {};
    for (const platform of PLATFORMS) {
      const name = `kind-${platform}`;
      assets[name] = fakeBinary(name);
      assets[`${name}.sha256sum`] = Buffer.from(`${sha256(assets[name])}  ${name}\n`);
    }
    this.addGithubRelease('kubernetes-sigs/kind', tag, assets, true);
  }

  addIstio(version: string): void {
    const assets: Record<string, Buffer> = {};
    for (const platform of PLATFORMS) {
      const name = `istioctl-${version}-${platform}.tar.gz`;
      assets[name] = fakeBinary(name);
      assets[`${name}.sha256`] = Buffer.from(`${sha256(assets[name])}  ${name}\n`);
    }
    this.addGithubRelease('istio/istio', version, assets, true);
  }

  addKubectl(version: string): void {
    for (const platform of PLATFORMS) {
      const base = `dl.k8s.io/release/${version}/bin/${platform.replace('-', '/')}/kubectl`;
      const bytes = fakeBinary('kubectl');
      this.files.set(base, { bytes, digest: false });
      this.files.set(`${base}.sha256`, { bytes: Buffer.from(sha256(bytes)), digest: false });
    }
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const path = decodeURIComponent((request.url ?? '/').slice(1));
      this.requests.push(path);
      const notFound = (json: boolean) => {
        response.writeHead(404, { 'content-type': json ? 'application/json' : 'text/plain' });
        response.end(json ? JSON.stringify({ message: 'Not Found', status: '404' }) : 'Not Found');
      };
      const api = /^api\.github\.com\/repos\/([^/]+\/[^/]+)\/releases\/tags\/([^/]+)$/.exec(path);
      if (api) {
        const names = this.releases.get(`${api[1]}@${api[2]}`);
        if (!names) return notFound(true);
        const assets = names.map((name, id) => {
          const file = this.files.get(`github.com/${api[1]}/releases/download/${api[2]}/${name}`)!;
          return {
            id,
            name,
            size: file.bytes.length,
            content_type: 'application/octet-stream',
            state: 'uploaded',
            digest: file.digest ? `sha256:${sha256(file.bytes)}` : null,
            browser_download_url: `https://github.com/${api[1]}/releases/download/${api[2]}/${name}`,
          };
        });
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ tag_name: api[2], draft: false, prerelease: false, assets }));
      }
      if (path.startsWith('release-assets/')) {
        const file = this.files.get(path.slice('release-assets/'.length));
        if (!file) return notFound(false);
        const bytes = file.served ?? file.bytes;
        response.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': bytes.length,
        });
        return response.end(request.method === 'HEAD' ? undefined : bytes);
      }
      const file = this.files.get(path);
      if (!file) return notFound(false);
      if (path.startsWith('github.com/')) {
        // Release downloads are redirects to the assets' storage.
        response.writeHead(302, { location: `${this.origin}/release-assets/${path}` });
        return response.end();
      }
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': file.bytes.length,
      });
      response.end(request.method === 'HEAD' ? undefined : file.bytes);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.origin;
  }

  /** Whether `url` (https://host/path) exists on this server, as the real host would answer. */
  async exists(url: string): Promise<boolean> {
    const response = await fetch(url.replace(/^https:\/\//, `${this.origin}/`), { method: 'GET' });
    await response.arrayBuffer();
    return response.ok;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
