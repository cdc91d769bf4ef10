/**
 * Stand-in for the artifact upload path of @actions/artifact: the results service's twirp calls
 * (CreateArtifact → a signed blob URL, FinalizeArtifact) at ACTIONS_RESULTS_URL, and the Azure
 * block-blob calls of the upload itself (Put Block, Put Block List). A finalised upload becomes an
 * artifact of the stand-in's `currentRunId`, downloadable through the REST routes.
 * Tests point ACTIONS_RESULTS_URL at the stand-in and set ACTIONS_RUNTIME_TOKEN to `runtimeToken()`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GitHubApiStandIn } from './github-api.js';

const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/';

interface PendingUpload {
  blocks: Map<string, Buffer>;
  content?: Buffer;
}

const pending = new WeakMap<GitHubApiStandIn, Map<string, PendingUpload>>();

/** An unsigned JWT carrying the scope claim @actions/artifact reads the backend ids from. */
export function runtimeToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ scp: 'Actions.ExampleScope Actions.Results:run-backend-id:job-backend-id' })}.`;
}

export async function handleResultsService(
  standIn: GitHubApiStandIn,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  raw: Buffer,
): Promise<boolean> {
  let uploads = pending.get(standIn);
  if (!uploads) pending.set(standIn, (uploads = new Map()));
  const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
    return true;
  };
  if (req.method === 'POST' && url.pathname.startsWith(TWIRP)) {
    const method = url.pathname.slice(TWIRP.length);
    const body = JSON.parse(raw.toString('utf8')) as { name: string };
    if (method === 'CreateArtifact') {
      uploads.set(body.name, { blocks: new Map() });
      return reply(200, {
        ok: true,
        signed_upload_url: `${standIn.url}/upload/${encodeURIComponent(body.name)}?sig=stand-in`,
      });
    }
    if (method === 'FinalizeArtifact') {
      const upload = uploads.get(body.name);
      if (!upload?.content) return reply(404, { code: 'not_found', msg: `no upload named ${body.name}` });
      const id = standIn.newId();
      standIn.artifacts.push({
        id,
        runId: standIn.currentRunId,
        name: body.name,
        zip: upload.content,
        expired: false,
      });
      uploads.delete(body.name);
      return reply(200, { ok: true, artifact_id: String(id) });
    }
    return reply(404, { code: 'bad_route', msg: `no method ${method}` });
  }
  const blob = /^\/upload\/([^/]+)$/.exec(url.pathname);
  if (req.method === 'PUT' && blob) {
    const upload = uploads.get(decodeURIComponent(blob[1]));
    if (!upload) return reply(404);
    const comp = url.searchParams.get('comp');
    if (comp === 'block') upload.blocks.set(url.searchParams.get('blockid') ?? '', raw);
    else if (comp === 'blocklist') {
      const ids = [...raw.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]+)<\//g)].map(
        (m) => m[1],
      );
      upload.content = Buffer.concat(ids.map((id) => upload.blocks.get(id) ?? Buffer.alloc(0)));
    } else upload.content = raw;
    return reply(201, undefined, {
      etag: '"0x8DStandIn"',
      'last-modified': new Date().toUTCString(),
      'x-ms-request-id': 'stand-in',
      'x-ms-version': '2025-01-05',
      'x-ms-request-server-encrypted': 'true',
    });
  }
  return false;
}
