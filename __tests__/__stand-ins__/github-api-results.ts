/**
 * Stand-in for the artifact upload path of @actions/artifact: the results service's twirp calls
 * (CreateArtifact → a signed blob URL, FinalizeArtifact) at ACTIONS_RESULTS_URL, and the Azure
 * block-blob calls of the upload itself (Put Block, Put Block List). A finalised upload becomes an
 * artifact of the stand-in's `currentRunId`, downloadable through the REST routes. As on GitHub,
 * an artifact name is unique within a workflow run, re-runs included: CreateArtifact with a name
 * the run already has is refused with 409 Conflict, until DeleteArtifact removes the old one.
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
    const body = JSON.parse(raw.toString('utf8')) as { name: string; name_filter?: string };
    const ofThisRun = () => standIn.artifacts.filter((a) => a.runId === standIn.currentRunId);
    if (method === 'CreateArtifact') {
      if (ofThisRun().some((a) => a.name === body.name))
        return reply(409, {
          code: 'already_exists',
          msg: `an artifact with this name already exists on the workflow run: ${body.name}`,
        });
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
    if (method === 'ListArtifacts') {
      const artifacts = ofThisRun()
        .filter((a) => body.name_filter === undefined || a.name === body.name_filter)
        .map((a) => ({
          workflow_run_backend_id: 'run-backend-id',
          workflow_job_run_backend_id: 'job-backend-id',
          database_id: String(a.id),
          name: a.name,
          size: String(a.zip.length),
          created_at: new Date(Date.UTC(2026, 0, 1)).toISOString(),
        }));
      return reply(200, { artifacts });
    }
    if (method === 'DeleteArtifact') {
      const index = standIn.artifacts.findIndex((a) => a.runId === standIn.currentRunId && a.name === body.name);
      if (index < 0) return reply(404, { code: 'not_found', msg: `no artifact named ${body.name}` });
      const [removed] = standIn.artifacts.splice(index, 1);
      standIn.deletedArtifacts.push(removed);
      return reply(200, { ok: true, artifact_id: String(removed.id) });
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
