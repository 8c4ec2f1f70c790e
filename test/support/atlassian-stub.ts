/**
 * A real HTTP server on 127.0.0.1 standing in for an Atlassian Cloud site, for
 * unit, integration and UI tests (and a sandbox, see ./atlassian-stub-cli).
 *
 * Serves (GET only):
 * - `/_edge/tenant_info` → `{"cloudId":"…"}` without auth (404 when `cloudId` is null);
 * - `/wiki/api/v2/spaces?keys=&ids=&type=&status=&limit=&cursor=`;
 * - `/wiki/api/v2/spaces/{id}`;
 * - `/wiki/api/v2/spaces/{id}/pages?depth=root|all&limit=&cursor=`;
 * - `/wiki/api/v2/pages/{id}`;
 * - `/wiki/api/v2/pages/{id}/children?limit=&cursor=` — unlike the real endpoint it
 *   also lists non-page children (whiteboards, folders…, with their `type`) like
 *   `direct-children` does, so clients' filtering is exercised.
 * Every `/wiki/api/v2` route needs HTTP Basic auth matching the configured email
 * and API token, else 401 with Atlassian's JSON body. Lists are cursor-paged
 * (`limit` capped at `pageSize`); the next page is announced in `_links.next`,
 * in a `Link: <…>; rel="next"` header, or both (option `paging`).
 *
 * Scripting: {@link AtlassianStub.failNext} answers the next N matching requests
 * with a status (429 with Retry-After, 401, 403, 500…); {@link AtlassianStub.stallNext}
 * leaves them unanswered (for timeouts and cancellation).
 *
 * Requests are recorded without their Authorization header: only whether it
 * was right, and the email it named.
 *
 * Control API for other processes (no auth; not recorded):
 *   POST /__stub/fail      {status, count?, headers?, body?, path?}  like failNext
 *   POST /__stub/stall     {count?, path?}                           like stallNext
 *   POST /__stub/cloud-id  {cloudId: string | null}
 *   GET  /__stub/requests  the recorded requests
 *   POST /__stub/reset     clears recorded requests and scripted answers
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ContentType = 'page' | 'whiteboard' | 'database' | 'folder' | 'embed';

export interface PageTree {
  id: string;
  title: string;
  /** Default `page`. Non-pages only ever appear in `/children`. */
  type?: ContentType;
  /** Default `current`. */
  status?: string;
  children?: PageTree[];
}

export interface StubSpace {
  id: string;
  key: string;
  name: string;
  type?: 'global' | 'personal' | 'collaboration' | 'knowledge_base';
  status?: 'current' | 'archived';
  homepageId?: string;
  /** Root pages, each with its sub-pages. */
  pages?: PageTree[];
}

export interface AtlassianStubOptions {
  /** The cloud ID `tenant_info` answers; `null` makes it answer 404. */
  cloudId?: string | null;
  email?: string;
  apiToken?: string;
  spaces?: StubSpace[];
  /** Largest page of results (the request's `limit` is capped at it). Default 25. */
  pageSize?: number;
  /** How the next page is announced. Default `both`. */
  paging?: 'links' | 'header' | 'both';
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Called with one line per answered request (no credentials in it). */
  log?: (line: string) => void;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  /** Query parameters (repeated ones joined with commas). */
  query: Record<string, string>;
  /** Path and query, as requested. */
  url: string;
  /** Whether Basic credentials were sent, and right. */
  auth: 'none' | 'valid' | 'invalid';
  /** The email of the Basic credentials, when sent. Never the token. */
  user?: string;
  userAgent?: string;
  /** The status answered (0 while a stalled request is open). */
  status: number;
}

interface ScriptedFailure {
  status: number;
  remaining: number;
  headers: Record<string, string>;
  body?: string;
  path?: string | RegExp;
}

interface Stall {
  remaining: number;
  path?: string | RegExp;
}

// --- Default fixture ---------------------------------------------------------------

export const STUB_CLOUD_ID = '3f2b6c1e-8a4d-4b7e-9c2f-5d1e0a9b8c7d';
export const STUB_EMAIL = 'ada@example.com';
/** A made-up token: the stub's only secret. Tests check it never reaches a log line or a message. */
export const STUB_API_TOKEN = 'ATATT3xFfGF0stubTokenNeverLogMe0123456789abcdef';
export const STUB_PERSONAL_SPACE_KEY = '~712020a3b4c5d6e7f8091a2b3c4d5e6f';

/**
 * Space "ENG" (Engineering) with root pages, one of them with two levels of
 * sub-pages and a whiteboard; space "OPS"; and a personal space.
 * Page 201819180 ("Architecture") is the tiny link `/wiki/x/LIQHD`.
 */
export const DEFAULT_SPACES: readonly StubSpace[] = [
  {
    id: '98305',
    key: 'ENG',
    name: 'Engineering',
    type: 'global',
    homepageId: '65601',
    pages: [
      { id: '65601', title: 'Engineering Home' },
      {
        id: '201819180',
        title: 'Architecture',
        children: [
          {
            id: '201819181',
            title: 'Services',
            children: [
              { id: '201819183', title: 'Payments service' },
              { id: '201819184', title: 'Search service' },
            ],
          },
          { id: '201819182', title: 'Data model' },
          { id: '201819185', title: 'System diagram', type: 'whiteboard' },
        ],
      },
      { id: '65650', title: 'Onboarding' },
      {
        id: '65700',
        title: 'Runbooks',
        children: [
          { id: '65701', title: 'On-call' },
          { id: '65702', title: 'Incident response' },
        ],
      },
    ],
  },
  {
    id: '98306',
    key: 'OPS',
    name: 'Operations',
    type: 'global',
    homepageId: '77001',
    pages: [{ id: '77001', title: 'Operations Home' }],
  },
  {
    id: '131073',
    key: STUB_PERSONAL_SPACE_KEY,
    name: 'Ada Lovelace',
    type: 'personal',
    homepageId: '1587184001',
    pages: [{ id: '1587184001', title: 'Notes' }],
  },
];

// --- Server ------------------------------------------------------------------------

interface IndexedPage {
  page: PageTree;
  spaceId: string;
  parentId?: string;
  position: number;
}

const CURSOR_PREFIX = 'stub:';

export class AtlassianStub {
  /** `http://127.0.0.1:PORT`: the "site URL". */
  readonly siteUrl: string;
  readonly requests: RecordedRequest[] = [];
  cloudId: string | null;
  email: string;
  apiToken: string;
  pageSize: number;
  paging: 'links' | 'header' | 'both';
  private spaces: StubSpace[];
  private pages = new Map<string, IndexedPage>();
  private failures: ScriptedFailure[] = [];
  private stalls: Stall[] = [];
  private readonly stalled = new Set<http.ServerResponse>();

  private constructor(
    private readonly server: http.Server,
    options: AtlassianStubOptions,
    private readonly log?: (line: string) => void,
  ) {
    const { port } = server.address() as AddressInfo;
    this.siteUrl = `http://127.0.0.1:${port}`;
    this.cloudId = options.cloudId === undefined ? STUB_CLOUD_ID : options.cloudId;
    this.email = options.email ?? STUB_EMAIL;
    this.apiToken = options.apiToken ?? STUB_API_TOKEN;
    this.pageSize = Math.max(1, Math.floor(options.pageSize ?? 25));
    this.paging = options.paging ?? 'both';
    this.spaces = structuredClone([...(options.spaces ?? DEFAULT_SPACES)]);
    this.reindex();
  }

  static async start(options: AtlassianStubOptions = {}): Promise<AtlassianStub> {
    const holder: { stub?: AtlassianStub } = {};
    const server = http.createServer((req, res) => {
      if (holder.stub) holder.stub.handle(req, res);
      else res.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    holder.stub = new AtlassianStub(server, options, options.log);
    return holder.stub;
  }

  /** The page tree in use (mutations need {@link setSpaces}). */
  get spaceList(): readonly StubSpace[] {
    return this.spaces;
  }

  setSpaces(spaces: readonly StubSpace[]): void {
    this.spaces = structuredClone([...spaces]);
    this.reindex();
  }

  /**
   * Answers the next `count` requests (matching `options.path`, a path prefix or
   * a pattern, when given) with `status`, `headers` and a body (default: an
   * Atlassian-style JSON error). Applies before auth, to every route.
   */
  failNext(
    status: number,
    count = 1,
    headers: Record<string, string> = {},
    options: { body?: string; path?: string | RegExp } = {},
  ): void {
    this.failures.push({ status, remaining: count, headers, body: options.body, path: options.path });
  }

  /** Leaves the next `count` matching requests unanswered (until the client gives up or the stub closes). */
  stallNext(count = 1, options: { path?: string | RegExp } = {}): void {
    this.stalls.push({ remaining: count, path: options.path });
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Clears recorded requests and scripted failures and stalls. */
  reset(): void {
    this.clearRequests();
    this.failures = [];
    this.stalls = [];
  }

  /** Resolves when at least `count` requests were recorded. */
  async waitForRequests(count: number, timeoutMs = 5000): Promise<RecordedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`Expected ${count} request(s) to the Atlassian stand-in, got ${this.requests.length}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return [...this.requests];
  }

  /** Requests whose path starts with `prefix`. */
  requestsTo(prefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  async close(): Promise<void> {
    for (const res of this.stalled) res.destroy();
    this.stalled.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // --- Handling ----------------------------------------------------------------------

  private reindex(): void {
    this.pages.clear();
    const visit = (items: readonly PageTree[] | undefined, spaceId: string, parentId?: string) => {
      (items ?? []).forEach((page, position) => {
        this.pages.set(page.id, { page, spaceId, parentId, position });
        visit(page.children, spaceId, page.id);
      });
    };
    for (const space of this.spaces) visit(space.pages, space.id);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.siteUrl);
    if (url.pathname.startsWith('/__stub/')) {
      void this.control(req, res, url.pathname);
      return;
    }
    const query: Record<string, string> = {};
    for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
    const credentials = this.readAuth(req.headers.authorization);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      url: `${url.pathname}${url.search}`,
      auth: credentials.state,
      ...(credentials.user !== undefined ? { user: credentials.user } : {}),
      ...(typeof req.headers['user-agent'] === 'string' ? { userAgent: req.headers['user-agent'] } : {}),
      status: 0,
    };
    this.requests.push(record);

    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const type = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
        ? {}
        : { 'Content-Type': 'application/json;charset=UTF-8' };
      res.writeHead(status, { ...type, ...headers });
      res.end(text);
      this.log?.(`${record.method} ${record.url} -> ${status}`);
    };

    const stall = this.take(this.stalls, url.pathname);
    if (stall) {
      this.stalled.add(res);
      res.on('close', () => this.stalled.delete(res));
      this.log?.(`${record.method} ${record.url} -> (stalled)`);
      return;
    }
    const scripted = this.take(this.failures, url.pathname);
    if (scripted) {
      send(scripted.status, scripted.body ?? errorBody(scripted.status), scripted.headers);
      return;
    }
    if (record.method !== 'GET') {
      send(405, errorBody(405), { Allow: 'GET' });
      return;
    }

    if (url.pathname === '/_edge/tenant_info') {
      if (this.cloudId === null) send(404, '<html><head><title>404 Not Found</title></head></html>', { 'Content-Type': 'text/html' });
      else send(200, { cloudId: this.cloudId });
      return;
    }

    if (!url.pathname.startsWith('/wiki/api/v2/')) {
      send(404, errorBody(404));
      return;
    }
    if (credentials.state !== 'valid') {
      // What Atlassian answers for a wrong email/token pair.
      send(401, { code: 401, message: 'Unauthorized; scope does not match' }, { 'WWW-Authenticate': 'Basic realm="Atlassian"' });
      return;
    }
    try {
      this.route(url, send);
    } catch (err) {
      send(500, errorBody(500, err instanceof Error ? err.message : String(err)));
    }
  }

  private async control(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let text = '';
    for await (const chunk of req) text += String(chunk);
    let body: Record<string, unknown> = {};
    try {
      if (text.trim() !== '') body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      reply(400, { error: 'body is not JSON' });
      return;
    }
    const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
    const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
    if (req.method === 'GET' && path === '/__stub/requests') return reply(200, this.requests);
    if (req.method === 'POST' && path === '/__stub/reset') {
      this.reset();
      return reply(200, { ok: true });
    }
    if (req.method === 'POST' && path === '/__stub/fail') {
      const status = num(body.status, 0);
      if (status < 100 || status > 599) return reply(400, { error: 'status must be an HTTP status' });
      const headers = typeof body.headers === 'object' && body.headers !== null ? (body.headers as Record<string, string>) : {};
      const failBody = body.body === undefined ? undefined : typeof body.body === 'string' ? body.body : JSON.stringify(body.body);
      this.failNext(status, num(body.count, 1), headers, { body: failBody, path: str(body.path) });
      return reply(200, { ok: true });
    }
    if (req.method === 'POST' && path === '/__stub/stall') {
      this.stallNext(num(body.count, 1), { path: str(body.path) });
      return reply(200, { ok: true });
    }
    if (req.method === 'POST' && path === '/__stub/cloud-id') {
      if (body.cloudId !== null && typeof body.cloudId !== 'string') return reply(400, { error: 'cloudId must be a string or null' });
      this.cloudId = body.cloudId;
      return reply(200, { ok: true });
    }
    reply(404, { error: `no control route ${req.method} ${path}` });
  }

  private take<T extends { remaining: number; path?: string | RegExp }>(queue: T[], path: string): T | undefined {
    const index = queue.findIndex((item) =>
      item.path === undefined ? true : typeof item.path === 'string' ? path.startsWith(item.path) : item.path.test(path),
    );
    if (index < 0) return undefined;
    const item = queue[index];
    item.remaining -= 1;
    if (item.remaining <= 0) queue.splice(index, 1);
    return item;
  }

  private readAuth(header: string | undefined): { state: RecordedRequest['auth']; user?: string } {
    if (!header) return { state: 'none' };
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    if (!match) return { state: 'invalid' };
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { state: 'invalid' };
    const user = decoded.slice(0, colon);
    const token = decoded.slice(colon + 1);
    return { state: user === this.email && token === this.apiToken ? 'valid' : 'invalid', user };
  }

  private route(url: URL, send: (status: number, body: unknown, headers?: Record<string, string>) => void): void {
    const path = url.pathname.replace(/\/+$/, '');
    const params = url.searchParams;
    let match: RegExpExecArray | null;

    if (path === '/wiki/api/v2/spaces') {
      const keys = listParam(params, 'keys');
      const ids = listParam(params, 'ids');
      const type = params.get('type');
      const status = params.get('status');
      const spaces = this.spaces.filter(
        (s) =>
          (keys.length === 0 || keys.includes(s.key)) &&
          (ids.length === 0 || ids.includes(s.id)) &&
          (type === null || (s.type ?? 'global') === type) &&
          (status === null || (s.status ?? 'current') === status),
      );
      this.sendList(url, spaces.map((s) => this.spaceJson(s)), send);
      return;
    }
    if ((match = /^\/wiki\/api\/v2\/spaces\/([^/]+)$/.exec(path))) {
      const space = this.spaces.find((s) => s.id === match?.[1]);
      if (!space) send(404, errorBody(404));
      else send(200, this.spaceJson(space));
      return;
    }
    if ((match = /^\/wiki\/api\/v2\/spaces\/([^/]+)\/pages$/.exec(path))) {
      const space = this.spaces.find((s) => s.id === match?.[1]);
      if (!space) {
        send(404, errorBody(404));
        return;
      }
      const depth = params.get('depth') ?? 'all';
      const pages = [...this.pages.values()].filter(
        (p) => p.spaceId === space.id && (p.page.type ?? 'page') === 'page' && (depth !== 'root' || p.parentId === undefined),
      );
      this.sendList(url, pages.map((p) => this.pageJson(p)), send);
      return;
    }
    if ((match = /^\/wiki\/api\/v2\/pages\/([^/]+)$/.exec(path))) {
      const page = this.pages.get(match[1]);
      if (!page || (page.page.type ?? 'page') !== 'page') send(404, errorBody(404));
      else send(200, this.pageJson(page));
      return;
    }
    if ((match = /^\/wiki\/api\/v2\/pages\/([^/]+)\/children$/.exec(path))) {
      const parent = this.pages.get(match[1]);
      if (!parent) {
        send(404, errorBody(404));
        return;
      }
      const children = (parent.page.children ?? []).map((child, position) => ({
        id: child.id,
        status: child.status ?? 'current',
        title: child.title,
        spaceId: parent.spaceId,
        childPosition: position,
        ...(child.type !== undefined && child.type !== 'page' ? { type: child.type } : {}),
      }));
      this.sendList(url, children, send);
      return;
    }
    send(404, errorBody(404));
  }

  private sendList(
    url: URL,
    items: unknown[],
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const params = url.searchParams;
    const rawLimit = params.get('limit');
    const limit = rawLimit === null ? 25 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) {
      send(400, errorBody(400, `Provided value {${rawLimit}} for 'limit' is not valid.`));
      return;
    }
    let offset = 0;
    const cursor = params.get('cursor');
    if (cursor !== null) {
      const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
      offset = decoded.startsWith(CURSOR_PREFIX) ? Number(decoded.slice(CURSOR_PREFIX.length)) : NaN;
      if (!Number.isInteger(offset) || offset < 0) {
        send(400, errorBody(400, `Provided value {${cursor}} for 'cursor' is not the correct type.`));
        return;
      }
    }
    const size = Math.min(limit, this.pageSize);
    const results = items.slice(offset, offset + size);
    const headers: Record<string, string> = {};
    const links: Record<string, string> = { base: `${this.siteUrl}/wiki` };
    if (offset + size < items.length) {
      const next = new URL(url.pathname + url.search, this.siteUrl);
      next.searchParams.set('cursor', Buffer.from(`${CURSOR_PREFIX}${offset + size}`).toString('base64url'));
      const relative = `${next.pathname}${next.search}`;
      if (this.paging !== 'header') links.next = relative;
      if (this.paging !== 'links') headers.Link = `<${relative}>; rel="next", <${this.siteUrl}/wiki>; rel="base"`;
    }
    send(200, { results, _links: links }, headers);
  }

  private spaceJson(space: StubSpace): Record<string, unknown> {
    return {
      id: space.id,
      key: space.key,
      name: space.name,
      type: space.type ?? 'global',
      status: space.status ?? 'current',
      authorId: '557058:stub-author',
      createdAt: '2024-01-15T09:30:00.000Z',
      homepageId: space.homepageId ?? null,
      spaceOwnerId: '557058:stub-author',
      description: null,
      icon: null,
      _links: { webui: `/spaces/${encodeURIComponent(space.key)}` },
    };
  }

  private pageJson(entry: IndexedPage): Record<string, unknown> {
    const space = this.spaces.find((s) => s.id === entry.spaceId);
    return {
      id: entry.page.id,
      status: entry.page.status ?? 'current',
      title: entry.page.title,
      spaceId: entry.spaceId,
      parentId: entry.parentId ?? null,
      parentType: entry.parentId === undefined ? null : 'page',
      position: entry.position,
      authorId: '557058:stub-author',
      ownerId: '557058:stub-author',
      createdAt: '2024-01-15T09:30:00.000Z',
      version: { number: 1, message: '', minorEdit: false, authorId: '557058:stub-author', createdAt: '2024-01-15T09:30:00.000Z' },
      _links: {
        webui: `/spaces/${encodeURIComponent(space?.key ?? '')}/pages/${entry.page.id}/${encodeURIComponent(entry.page.title.replace(/ /g, '+'))}`,
      },
    };
  }
}

function listParam(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

const STATUS_TITLES: Record<number, [string, string]> = {
  400: ['INVALID_REQUEST_PARAMETER', 'Bad Request'],
  401: ['UNAUTHORIZED', 'Unauthorized'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not Found'],
  405: ['METHOD_NOT_ALLOWED', 'Method Not Allowed'],
  429: ['TOO_MANY_REQUESTS', 'Too Many Requests'],
  500: ['INTERNAL_SERVER_ERROR', 'Internal Server Error'],
  502: ['BAD_GATEWAY', 'Bad Gateway'],
  503: ['SERVICE_UNAVAILABLE', 'Service Unavailable'],
};

/** Confluence v2's error body: `{"errors":[{status, code, title, detail}]}`. */
export function errorBody(status: number, detail: string | null = null): unknown {
  if (status === 401) return { code: 401, message: 'Unauthorized; scope does not match' };
  const [code, title] = STATUS_TITLES[status] ?? ['ERROR', `HTTP ${status}`];
  return { errors: [{ status, code, title, detail }] };
}
