/**
 * A local stand-in for the GitHub REST API routes meshgate uses, for the real @actions/github
 * and @actions/artifact clients: issue comments (paginated, Link headers), workflow runs,
 * run artifacts, artifact download (302 to a blob URL serving a zip), compare (merge base) and
 * pulls. Every JSON answer is built from the OpenAPI description's example and checked against
 * its schema; problems collect in `specViolations` (tests assert it stays empty).
 * Tokens listed in `readOnlyTokens` get 403 on writes, like a fork PR's GITHUB_TOKEN.
 * The artifact upload service (twirp + blob) is in github-api-results.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { responseExample, validateResponse } from './github-api-openapi.js';
import { artifactJson, commentJson, runJson } from './github-api-shapes.js';
import { handleResultsService } from './github-api-results.js';
import { makeZip } from './github-api-zip.js';

export interface StandInComment {
  id: number;
  issueNumber: number;
  login: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface StandInRun {
  id: number;
  workflowId: number;
  headSha: string;
  headBranch: string;
  event: string;
  conclusion: string;
  createdAt: string;
  runNumber: number;
  /** owner/name of the repository the run's commit came from (a fork for fork PRs). */
  headRepo?: string;
}

export interface StandInArtifact {
  id: number;
  runId: number;
  name: string;
  zip: Buffer;
  expired: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  token?: string;
  body?: unknown;
}

interface Route {
  method: string;
  /** The OpenAPI path template. */
  template: string;
  pattern: RegExp;
  handle: (
    match: string[],
    request: RecordedRequest,
  ) => { status: number; body?: unknown; headers?: Record<string, string> };
}

const json = (status: number, body: unknown, headers?: Record<string, string>) => ({ status, body, headers });

/**
 * GitHub's limit on a comment body: 65,536 characters, refused with 422 "Validation Failed"
 * (the errors entry as the real API returns it; counted in code points here — what GitHub counts
 * for astral characters only GitHub can show, so meshgate stays below 65,536 UTF-16 units).
 */
export const MAX_COMMENT_BODY_CHARS = 65_536;
function bodyTooLong(body: unknown) {
  const text = String((body as { body?: unknown } | undefined)?.body ?? '');
  if ([...text].length <= MAX_COMMENT_BODY_CHARS) return undefined;
  return json(422, {
    message: 'Validation Failed',
    errors: [
      {
        resource: 'IssueComment',
        code: 'unprocessable',
        field: 'data',
        message: `Body is too long (maximum is ${MAX_COMMENT_BODY_CHARS} characters)`,
      },
    ],
    documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
    status: '422',
  });
}
const notFound = () => json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });

export class GitHubApiStandIn {
  readonly owner: string;
  readonly repo: string;
  url = '';
  readonly requests: RecordedRequest[] = [];
  readonly specViolations: string[] = [];
  readonly comments: StandInComment[] = [];
  readonly runs: StandInRun[] = [];
  readonly artifacts: StandInArtifact[] = [];
  /** Artifacts removed through the results service (DeleteArtifact). */
  readonly deletedArtifacts: StandInArtifact[] = [];
  readonly pulls = new Map<number, { headSha: string; baseRepoFullName: string; baseRef?: string }>();
  readonly mergeBases = new Map<string, string>();
  /** Login each token comments as; unknown tokens comment as github-actions[bot]. */
  readonly logins = new Map<string, string>();
  readonly readOnlyTokens = new Set<string>();
  /** Run that receives uploads through the results service. */
  currentRunId = 0;
  private nextId = 1000;
  private server?: Server;
  private readonly routes: Route[];

  constructor({ owner = 'octo-org', repo = 'meshgate-demo' } = {}) {
    this.owner = owner;
    this.repo = repo;
    this.routes = this.defineRoutes();
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    // Node's default (5 s) closes an idle kept-alive socket while a client busy for longer (a
    // large comment rendered on a loaded machine) still holds it as reusable: its next request
    // then fails with "fetch failed". api.github.com keeps connections open far longer.
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  newId(): number {
    return this.nextId++;
  }

  addComment(issueNumber: number, login: string, body: string): StandInComment {
    const now = new Date(Date.UTC(2026, 0, 1) + this.comments.length * 1000).toISOString();
    const comment = { id: this.newId(), issueNumber, login, body, createdAt: now, updatedAt: now };
    this.comments.push(comment);
    return comment;
  }

  addRun(run: Partial<StandInRun> & Pick<StandInRun, 'headSha'>): StandInRun {
    const full: StandInRun = {
      id: this.newId(),
      workflowId: 161335,
      headBranch: 'main',
      event: 'push',
      conclusion: 'success',
      createdAt: new Date(Date.UTC(2026, 0, 1) + this.runs.length * 60_000).toISOString(),
      runNumber: this.runs.length + 1,
      ...run,
    };
    this.runs.push(full);
    return full;
  }

  /** An artifact of these files, or of a zip given as is (a hostile one, say). */
  addArtifact(
    runId: number,
    name: string,
    files: Record<string, string | Buffer> | Buffer,
    expired = false,
  ): StandInArtifact {
    const zip = Buffer.isBuffer(files) ? files : makeZip(files);
    const artifact = { id: this.newId(), runId, name, zip, expired };
    this.artifacts.push(artifact);
    return artifact;
  }

  commentsOn(issueNumber: number): StandInComment[] {
    return this.comments.filter((c) => c.issueNumber === issueNumber);
  }

  fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** One page of `items` with GitHub's Link header. */
  private page<T>(items: T[], request: RecordedRequest) {
    const perPage = Math.min(Number(request.query.get('per_page') ?? 30), 100);
    const page = Number(request.query.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const query = new URLSearchParams(request.query);
      query.set('page', String(n));
      query.set('per_page', String(perPage));
      return `<${this.url}${request.path}?${query}>; rel="${rel}"`;
    };
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
    ];
    return {
      items: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length ? { link: links.join(', ') } : undefined,
    };
  }

  private defineRoutes(): Route[] {
    const repoPath = '^/repos/([^/]+)/([^/]+)';
    const route = (method: string, template: string, tail: string, handle: Route['handle']): Route => ({
      method,
      template,
      pattern: new RegExp(`${repoPath}${tail}$`),
      handle,
    });
    return [
      route(
        'GET',
        '/repos/{owner}/{repo}/issues/{issue_number}/comments',
        '/issues/(\\d+)/comments',
        ([, , , n], req) => {
          const { items, headers } = this.page(this.commentsOn(Number(n)), req);
          return json(
            200,
            items.map((c) => commentJson(this, c)),
            headers,
          );
        },
      ),
      route(
        'POST',
        '/repos/{owner}/{repo}/issues/{issue_number}/comments',
        '/issues/(\\d+)/comments',
        ([, , , n], req) => {
          const tooLong = bodyTooLong(req.body);
          if (tooLong) return tooLong;
          const comment = this.addComment(
            Number(n),
            this.logins.get(req.token ?? '') ?? 'github-actions[bot]',
            String((req.body as { body?: string }).body),
          );
          return json(201, commentJson(this, comment), {
            location: `${this.url}/repos/${this.fullName()}/issues/comments/${comment.id}`,
          });
        },
      ),
      route(
        'PATCH',
        '/repos/{owner}/{repo}/issues/comments/{comment_id}',
        '/issues/comments/(\\d+)',
        ([, , , id], req) => {
          const comment = this.comments.find((c) => c.id === Number(id));
          if (!comment) return notFound();
          const tooLong = bodyTooLong(req.body);
          if (tooLong) return tooLong;
          comment.body = String((req.body as { body?: string }).body);
          comment.updatedAt = new Date().toISOString();
          return json(200, commentJson(this, comment));
        },
      ),
      route('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}', '/actions/runs/(\\d+)', ([, , , id]) => {
        const run = this.runs.find((r) => r.id === Number(id));
        return run ? json(200, runJson(this, run)) : notFound();
      }),
      route(
        'GET',
        '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
        '/actions/workflows/([^/]+)/runs',
        ([, , , wid], req) => {
          const q = req.query;
          const runs = this.runs
            .filter((r) => String(r.workflowId) === wid)
            .filter((r) => !q.get('branch') || r.headBranch === q.get('branch'))
            .filter((r) => !q.get('event') || r.event === q.get('event'))
            .filter((r) => !q.get('head_sha') || r.headSha === q.get('head_sha'))
            .filter(
              (r) => !q.get('status') || q.get('status') === 'completed' || r.conclusion === q.get('status'),
            )
            .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
          const { items, headers } = this.page(runs, req);
          return json(
            200,
            { total_count: runs.length, workflow_runs: items.map((r) => runJson(this, r)) },
            headers,
          );
        },
      ),
      route(
        'GET',
        '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
        '/actions/runs/(\\d+)/artifacts',
        ([, , , id], req) => {
          const name = req.query.get('name');
          const list = this.artifacts.filter((a) => a.runId === Number(id) && (!name || a.name === name));
          const { items, headers } = this.page(list, req);
          return json(
            200,
            { total_count: list.length, artifacts: items.map((a) => artifactJson(this, a)) },
            headers,
          );
        },
      ),
      route(
        'GET',
        '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
        '/actions/artifacts/(\\d+)/zip',
        ([, , , id]) => {
          const artifact = this.artifacts.find((a) => a.id === Number(id));
          if (!artifact) return notFound();
          if (artifact.expired)
            return json(410, {
              message: 'Artifact has expired',
              documentation_url: 'https://docs.github.com/rest',
            });
          return {
            status: 302,
            headers: { location: `${this.url}/blob/artifacts/${artifact.id}.zip?sig=stand-in` },
          };
        },
      ),
      route('GET', '/repos/{owner}/{repo}/compare/{basehead}', '/compare/([^/]+)', ([, , , basehead]) => {
        const sha = this.mergeBases.get(decodeURIComponent(basehead));
        if (!sha) return notFound();
        const body = responseExample('/repos/{owner}/{repo}/compare/{basehead}', 'get', 200);
        return json(200, { ...body, merge_base_commit: { ...body.merge_base_commit, sha } });
      }),
      route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', '/pulls/(\\d+)', ([, , , n]) => {
        const pr = this.pulls.get(Number(n));
        if (!pr) return notFound();
        const body = responseExample('/repos/{owner}/{repo}/pulls/{pull_number}', 'get', 200);
        return json(200, {
          ...body,
          number: Number(n),
          requested_teams: [], // the description's example lacks the required `type` of its team
          head: { ...body.head, sha: pr.headSha },
          base: {
            ...body.base,
            ref: pr.baseRef ?? 'main',
            repo: { ...body.base.repo, full_name: pr.baseRepoFullName },
          },
        });
      }),
    ];
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const method = req.method ?? 'GET';
    const isJson = (req.headers['content-type'] ?? '').includes('json');
    const request: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      token,
      body: isJson && raw.length ? JSON.parse(raw.toString('utf8')) : undefined,
    };
    this.requests.push(request);
    if (await handleResultsService(this, req, res, url, raw)) return;
    const blob = /^\/blob\/artifacts\/(\d+)\.zip$/.exec(url.pathname);
    if (blob) {
      const artifact = this.artifacts.find((a) => a.id === Number(blob[1]));
      res.writeHead(artifact ? 200 : 404, { 'content-type': 'application/zip' }).end(artifact?.zip);
      return;
    }
    const route = this.routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    const match = route ? route.pattern.exec(url.pathname)! : undefined;
    let answer: { status: number; body?: unknown; headers?: Record<string, string> };
    if (!route || !match || decodeURIComponent(`${match[1]}/${match[2]}`) !== this.fullName())
      answer = notFound();
    else if (method !== 'GET' && token && this.readOnlyTokens.has(token))
      answer = json(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
        status: '403',
      });
    else answer = route.handle(match, request);
    if (route && answer.status < 400)
      this.specViolations.push(...validateResponse(route.template, method, answer.status, answer.body));
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }
}
