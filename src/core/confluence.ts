/**
 * Confluence Cloud REST API v2 client for browsing spaces and pages with the
 * user's own Atlassian credentials (HTTP Basic `email:apiToken`).
 *
 * No VS Code import: `fetch`, the clock and the logger are injected.
 *
 * Errors: every method rejects with a {@link ConfluenceError} (a `kind`, the
 * HTTP status when there was one, and a redacted user-facing message), or with
 * an `AbortedError` (./clock, `name === 'AbortError'`) when the caller's signal
 * aborts, including during a retry wait.
 *
 * Decisions:
 * - Retries reuse ./retry's `runWithRetry` with the Context7 client's policy
 *   (`DEFAULT_RETRY_POLICY`, overridable): 429, 500, 502, 503 (the server's
 *   Retry-After / RateLimit-Reset, else backoff), 504 once, and connection
 *   refused/reset/connect-timeout/unreachable. DNS and TLS faults and the
 *   per-attempt timeout (default 30 s, real timers) are not retried.
 * - Redirects are not followed (`redirect: 'manual'`), so credentials are
 *   never sent to another address; a 3xx is an `unexpected_status` error.
 * - Paging: the next page is read from `_links.next` or a `Link: <…>; rel="next"`
 *   header; only its `cursor` parameter is used (the request is rebuilt on the
 *   site URL), so a `next` link can never point the credentials elsewhere.
 * - The v2 spaces endpoint has no text search: `listSpaces({ query })` filters
 *   the returned batch, and `searchSpaces` pages through every space (up to a
 *   cap) and ranks matches by key and name.
 * - Bodies are validated leniently with zod: unknown fields pass, an item that
 *   lacks an id is skipped (and logged), a body without `results` is a
 *   `bad_response`.
 * - Children are filtered to pages (folders, whiteboards, databases, embeds
 *   dropped) that are not trashed, deleted, drafts or historical.
 * - Nothing logged or thrown contains the API token or the Authorization
 *   header: lines and messages pass through ./redact with the token and the
 *   Basic credential as secrets.
 */
import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { describeSiteFault, hostOf, validTimeout, type FetchFn } from './cloudId';
import { AbortedError, systemClock, type Clock } from './clock';
import { inspectBody, retryForStatus, truncate, type BodyInfo, type NetworkFault } from './errors';
import { exchange } from './http';
import { createRedactor } from './redact';
import { DEFAULT_RETRY_POLICY, formatDuration, getHeader, runWithRetry, type GiveUp, type RetryPolicy, type RetryRequest, type WaitTick } from './retry';
import { normalizeSiteUrl } from './siteUrl';

export const API_TOKENS_URL = 'https://id.atlassian.com/manage-profile/security/api-tokens';
/** The title of the command that connects an Atlassian account, in the user's language (as the palette shows it). */
export function connectCommandTitle(): string {
  return l10n.t('Context7: Connect Atlassian Account');
}
/** Its English text: computed as the module loads, before an l10n bundle can be configured. */
export const CONNECT_COMMAND_TITLE = connectCommandTitle();
export const DEFAULT_CONFLUENCE_TIMEOUT_MS = 30_000;
/** Largest `limit` the v2 list endpoints accept. */
export const MAX_LIST_LIMIT = 250;
export const DEFAULT_MAX_SPACES = 1_000;
export const DEFAULT_MAX_PAGES = 2_000;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface AtlassianCredentials {
  siteUrl: string;
  email: string;
  apiToken: string;
}

export interface ConfluenceClientDeps {
  fetch: FetchFn;
  userAgent: string;
  clock?: Clock;
  log?: (level: LogLevel, line: string) => void;
  /** Overrides of `DEFAULT_RETRY_POLICY`. */
  retry?: Partial<RetryPolicy>;
  /** Per attempt, body included. Default {@link DEFAULT_CONFLUENCE_TIMEOUT_MS}. */
  timeoutMs?: number;
  random?: () => number;
}

export type ConfluenceErrorKind =
  | 'invalid_site'
  | 'missing_credentials'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'bad_response'
  | 'unexpected_status';

export class ConfluenceError extends Error {
  constructor(
    readonly kind: ConfluenceErrorKind,
    message: string,
    readonly details: { status?: number; attempts?: number; retryAt?: number; fault?: NetworkFault; code?: string } = {},
  ) {
    super(message);
    this.name = 'ConfluenceError';
  }

  get status(): number | undefined {
    return this.details.status;
  }
}

export interface ConfluenceSpace {
  id: string;
  key: string;
  name: string;
  /** `global`, `personal`, … (as Confluence says; `global` when missing). */
  type: string;
  /** `current` or `archived` (`current` when missing). */
  status: string;
  homepageId?: string;
}

export interface ConfluencePage {
  id: string;
  title: string;
  status: string;
  spaceId?: string;
  parentId?: string;
  /** Position among its siblings, when Confluence says. */
  position?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** About once per second while waiting to retry (rate limit, server error). */
  onWait?: (tick: WaitTick) => void;
}

export interface PageOptions extends RequestOptions {
  cursor?: string;
  /** 1..250; default 25 (Confluence's default). */
  limit?: number;
}

export interface SpaceFilter {
  keys?: readonly string[];
  type?: string;
  status?: string;
}

export interface SpaceBatch {
  spaces: ConfluenceSpace[];
  nextCursor?: string;
}

export interface PageBatch {
  pages: ConfluencePage[];
  nextCursor?: string;
}

export interface CollectOptions extends RequestOptions {
  /** Stop after this many items (`truncated` is then true). */
  max?: number;
}

// --- Response schemas (lenient) ----------------------------------------------------

const idSchema = z.union([z.string().trim().regex(/^\d+$/), z.number().int().positive()]).transform(String);
const optionalId = idSchema.nullish().catch(undefined);

const spaceSchema = z.looseObject({
  id: idSchema,
  key: z.string().trim().min(1),
  name: z.string().nullish().catch(undefined),
  type: z.string().nullish().catch(undefined),
  status: z.string().nullish().catch(undefined),
  homepageId: optionalId,
});

const pageSchema = z.looseObject({
  id: idSchema,
  title: z.string().nullish().catch(undefined),
  status: z.string().nullish().catch(undefined),
  type: z.string().nullish().catch(undefined),
  spaceId: optionalId,
  parentId: optionalId,
  childPosition: z.number().nullish().catch(undefined),
  position: z.number().nullish().catch(undefined),
});

const listSchema = z.looseObject({
  results: z.array(z.unknown()),
  _links: z.looseObject({ next: z.string().nullish().catch(undefined) }).nullish().catch(undefined),
});

type RawSpace = z.infer<typeof spaceSchema>;
type RawPage = z.infer<typeof pageSchema>;

function toSpace(raw: RawSpace): ConfluenceSpace {
  const space: ConfluenceSpace = {
    id: raw.id,
    key: raw.key,
    name: raw.name?.trim() || raw.key,
    type: raw.type || 'global',
    status: raw.status || 'current',
  };
  if (raw.homepageId) space.homepageId = raw.homepageId;
  return space;
}

function toPage(raw: RawPage): ConfluencePage {
  const page: ConfluencePage = { id: raw.id, title: raw.title?.trim() || l10n.t('Page {0}', raw.id), status: raw.status || 'current' };
  if (raw.spaceId) page.spaceId = raw.spaceId;
  if (raw.parentId) page.parentId = raw.parentId;
  const position = raw.childPosition ?? raw.position;
  if (typeof position === 'number') page.position = position;
  return page;
}

const HIDDEN_PAGE_STATUSES = new Set(['trashed', 'deleted', 'draft', 'historical']);

function isListablePage(raw: RawPage): boolean {
  const type = raw.type?.toLowerCase();
  return (type === undefined || type === '' || type === 'page') && !HIDDEN_PAGE_STATUSES.has((raw.status ?? 'current').toLowerCase());
}

// --- What a request is about (for messages) --------------------------------------------

type Subject =
  | { kind: 'spaces' }
  | { kind: 'space'; id: string }
  | { kind: 'space_pages'; id: string }
  | { kind: 'page'; id: string }
  | { kind: 'children'; id: string };

/** Whether a request is about a space (otherwise a page). */
function aboutSpace(subject: Exclude<Subject, { kind: 'spaces' }>): boolean {
  return subject.kind === 'space' || subject.kind === 'space_pages';
}

/** What a request loads, as the object of "while loading …", "Could not load …" (localized). */
function subjectText(subject: Subject): string {
  switch (subject.kind) {
    case 'spaces':
      return l10n.t('the list of spaces');
    case 'space':
      return l10n.t('space {0}', subject.id);
    case 'space_pages':
      return l10n.t('the pages of space {0}', subject.id);
    case 'page':
      return l10n.t('page {0}', subject.id);
    case 'children':
      return l10n.t('the sub-pages of page {0}', subject.id);
  }
}

function checkSiteAdvice(): string {
  return l10n.t('Check that the Site URL is your Atlassian Cloud site.');
}

// --- Client ---------------------------------------------------------------------------

type RequestValue =
  | { type: 'ok'; body: unknown; headers: Headers }
  | { type: 'error'; error: ConfluenceError }
  | { type: 'cancelled' };

export class ConfluenceClient {
  private readonly clock: Clock;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly clean: (text: string) => string;
  private readonly authorization: string;
  private readonly site: { ok: true; value: string } | { ok: false; message: string };
  private readonly email: string;
  private readonly apiToken: string;

  constructor(
    private readonly deps: ConfluenceClientDeps,
    credentials: AtlassianCredentials,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...definedOnly(deps.retry ?? {}) };
    this.timeoutMs = validTimeout(deps.timeoutMs, DEFAULT_CONFLUENCE_TIMEOUT_MS);
    this.email = typeof credentials.email === 'string' ? credentials.email.trim() : '';
    this.apiToken = typeof credentials.apiToken === 'string' ? credentials.apiToken.trim() : '';
    const basic = base64Utf8(`${this.email}:${this.apiToken}`);
    this.authorization = `Basic ${basic}`;
    this.clean = createRedactor([this.apiToken, String(credentials.apiToken ?? ''), basic]);
    const site = normalizeSiteUrl(typeof credentials.siteUrl === 'string' ? credentials.siteUrl : '');
    this.site = site.ok ? site : { ok: false, message: site.message };
  }

  /** The normalized site URL (or the input's problem). */
  get siteUrl(): string | undefined {
    return this.site.ok ? this.site.value : undefined;
  }

  /** Checks the credentials with the cheapest call (one space). */
  async verify(options: RequestOptions = {}): Promise<void> {
    await this.listSpaces({ ...options, limit: 1 });
  }

  /**
   * One batch of spaces (`GET /wiki/api/v2/spaces`). `query` filters the batch by key
   * or name (the API has no text search), so a batch may hold fewer than `limit`
   * matches while `nextCursor` still leads on.
   */
  async listSpaces(options: PageOptions & SpaceFilter & { query?: string } = {}): Promise<SpaceBatch> {
    const params: Record<string, string | undefined> = {
      keys: options.keys && options.keys.length > 0 ? options.keys.join(',') : undefined,
      type: options.type,
      status: options.status,
      limit: String(clampLimit(options.limit)),
      cursor: options.cursor,
    };
    const { items, nextCursor } = await this.list('/wiki/api/v2/spaces', params, { kind: 'spaces' }, spaceSchema, options);
    let spaces = items.map(toSpace);
    if (options.query !== undefined && options.query.trim() !== '') spaces = rankSpaces(spaces, options.query);
    return nextCursor !== undefined ? { spaces, nextCursor } : { spaces };
  }

  /** Every space (paging until done or `max`, default 1000). `onBatch` sees each batch as it arrives. */
  async allSpaces(
    options: CollectOptions & SpaceFilter & { onBatch?: (spaces: ConfluenceSpace[]) => void } = {},
  ): Promise<{ spaces: ConfluenceSpace[]; truncated: boolean }> {
    const max = positiveInt(options.max, DEFAULT_MAX_SPACES);
    const { items, truncated } = await this.collect(
      (cursor) =>
        this.listSpaces({ ...options, cursor, limit: MAX_LIST_LIMIT }).then((b) => {
          options.onBatch?.(b.spaces);
          return { items: b.spaces, nextCursor: b.nextCursor };
        }),
      max,
    );
    return { spaces: items, truncated };
  }

  /** Spaces whose key or name contains `query` (any case), best matches first, from every space up to `max`. */
  async searchSpaces(query: string, options: CollectOptions = {}): Promise<{ spaces: ConfluenceSpace[]; truncated: boolean }> {
    const all = await this.allSpaces(options);
    return { spaces: rankSpaces(all.spaces, query), truncated: all.truncated };
  }

  /**
   * The space with this key (`?keys=`), or `undefined` when there is none the user can see.
   * A key taken from a link may be the old key of a renamed space: the space returned
   * then carries its current key.
   */
  async spaceByKey(key: string, options: RequestOptions = {}): Promise<ConfluenceSpace | undefined> {
    const wanted = key.trim();
    if (wanted === '') return undefined;
    const batch = await this.listSpaces({ ...options, keys: [wanted], limit: 10 });
    return batch.spaces.find((s) => s.key === wanted) ?? batch.spaces.find((s) => s.key.toLowerCase() === wanted.toLowerCase()) ?? batch.spaces[0];
  }

  /** `GET /wiki/api/v2/spaces/{id}`. */
  async spaceById(spaceId: string, options: RequestOptions = {}): Promise<ConfluenceSpace> {
    const id = checkId(spaceId, 'space');
    const body = await this.request(`/wiki/api/v2/spaces/${id}`, {}, { kind: 'space', id }, options);
    return toSpace(this.parseBody(body, spaceSchema, { kind: 'space', id }));
  }

  /** `GET /wiki/api/v2/pages/{id}` (e.g. to find the space of a tiny link's page). */
  async page(pageId: string, options: RequestOptions = {}): Promise<ConfluencePage> {
    const id = checkId(pageId, 'page');
    const body = await this.request(`/wiki/api/v2/pages/${id}`, {}, { kind: 'page', id }, options);
    return toPage(this.parseBody(body, pageSchema, { kind: 'page', id }));
  }

  /** One batch of a space's top-level pages (`/wiki/api/v2/spaces/{id}/pages?depth=root`). `spaceId` is the numeric id, not the key. */
  async rootPages(spaceId: string, options: PageOptions = {}): Promise<PageBatch> {
    const id = checkId(spaceId, 'space');
    const { items, nextCursor } = await this.list(
      `/wiki/api/v2/spaces/${id}/pages`,
      { depth: 'root', limit: String(clampLimit(options.limit)), cursor: options.cursor },
      { kind: 'space_pages', id },
      pageSchema,
      options,
    );
    const pages = items.filter(isListablePage).map(toPage);
    return nextCursor !== undefined ? { pages, nextCursor } : { pages };
  }

  /** One batch of a page's child pages (`/wiki/api/v2/pages/{id}/children`), pages only. */
  async children(pageId: string, options: PageOptions = {}): Promise<PageBatch> {
    const id = checkId(pageId, 'page');
    const { items, nextCursor } = await this.list(
      `/wiki/api/v2/pages/${id}/children`,
      { limit: String(clampLimit(options.limit)), cursor: options.cursor },
      { kind: 'children', id },
      pageSchema,
      options,
    );
    const pages = items.filter(isListablePage).map(toPage);
    return nextCursor !== undefined ? { pages, nextCursor } : { pages };
  }

  async allRootPages(spaceId: string, options: CollectOptions = {}): Promise<{ pages: ConfluencePage[]; truncated: boolean }> {
    const { items, truncated } = await this.collect(
      (cursor) => this.rootPages(spaceId, { ...options, cursor, limit: MAX_LIST_LIMIT }).then((b) => ({ items: b.pages, nextCursor: b.nextCursor })),
      positiveInt(options.max, DEFAULT_MAX_PAGES),
    );
    return { pages: items, truncated };
  }

  async allChildren(pageId: string, options: CollectOptions = {}): Promise<{ pages: ConfluencePage[]; truncated: boolean }> {
    const { items, truncated } = await this.collect(
      (cursor) => this.children(pageId, { ...options, cursor, limit: MAX_LIST_LIMIT }).then((b) => ({ items: b.pages, nextCursor: b.nextCursor })),
      positiveInt(options.max, DEFAULT_MAX_PAGES),
    );
    return { pages: items, truncated };
  }

  /**
   * The given pages followed by all their sub-pages, breadth-first, without
   * duplicates, at most `maxPages` (default 2000) in all (`truncated` then true).
   * Children are fetched `concurrency` (default 4) pages at a time; the order
   * of the result does not depend on timing. A given page that does not exist
   * fails with `not_found`; a sub-page that vanishes meanwhile is skipped.
   */
  async expandSubPages(
    pageIds: readonly string[],
    options: RequestOptions & { maxPages?: number; concurrency?: number; onProgress?: (found: number) => void } = {},
  ): Promise<{ pageIds: string[]; truncated: boolean }> {
    const maxPages = positiveInt(options.maxPages, DEFAULT_MAX_PAGES);
    const concurrency = Math.min(16, positiveInt(options.concurrency, 4));
    const given = new Set<string>();
    const result: string[] = [];
    for (const raw of pageIds) {
      const id = checkId(String(raw), 'page');
      if (given.has(id)) continue;
      given.add(id);
      result.push(id);
    }
    let truncated = result.length > maxPages;
    if (truncated) result.length = maxPages;
    const seen = new Set(result);

    // One controller, so the first failure stops the requests still running.
    const controller = new AbortController();
    const outer = options.signal;
    const onAbort = () => controller.abort();
    outer?.addEventListener('abort', onAbort, { once: true });
    if (outer?.aborted) controller.abort();
    const inner: RequestOptions = { signal: controller.signal, onWait: options.onWait };

    const childIds = async (id: string): Promise<string[]> => {
      const ids: string[] = [];
      let cursor: string | undefined;
      const cursors = new Set<string>();
      do {
        let batch: PageBatch;
        try {
          batch = await this.children(id, { ...inner, cursor, limit: MAX_LIST_LIMIT });
        } catch (err) {
          if (err instanceof ConfluenceError && err.kind === 'not_found' && !given.has(id)) {
            this.log('warn', `Page ${id} was not found while listing sub-pages; skipped`);
            return ids;
          }
          throw err;
        }
        ids.push(...batch.pages.map((p) => p.id));
        cursor = batch.nextCursor;
        if (cursor !== undefined && cursors.has(cursor)) break;
        if (cursor !== undefined) cursors.add(cursor);
        // Enough to fill the result whatever the other pages hold.
      } while (cursor !== undefined && ids.length < maxPages);
      return ids;
    };

    try {
      let frontier = truncated ? [] : [...result];
      while (frontier.length > 0 && !truncated) {
        const next: string[] = [];
        for (let i = 0; i < frontier.length && !truncated; i += concurrency) {
          const batch = frontier.slice(i, i + concurrency);
          const lists = await Promise.all(
            batch.map((id) =>
              childIds(id).catch((err: unknown) => {
                controller.abort();
                throw err;
              }),
            ),
          );
          for (const ids of lists) {
            for (const id of ids) {
              if (seen.has(id)) continue;
              if (result.length >= maxPages) {
                truncated = true;
                break;
              }
              seen.add(id);
              result.push(id);
              next.push(id);
            }
            if (truncated) break;
          }
          options.onProgress?.(result.length);
        }
        frontier = next;
      }
    } catch (err) {
      if (outer?.aborted) throw new AbortedError();
      throw err;
    } finally {
      outer?.removeEventListener('abort', onAbort);
    }
    if (truncated) this.log('warn', `Sub-pages: stopped at ${maxPages} pages`);
    return { pageIds: result, truncated };
  }

  // --- Plumbing ------------------------------------------------------------------------

  private log(level: LogLevel, line: string): void {
    try {
      this.deps.log?.(level, this.clean(line));
    } catch {
      // A logging problem must not change the outcome.
    }
  }

  private async collect<T>(
    fetchBatch: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
    max: number,
  ): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    const cursors = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const batch = await fetchBatch(cursor);
      for (const item of batch.items) {
        if (items.length >= max) return { items, truncated: true };
        items.push(item);
      }
      cursor = batch.nextCursor;
      if (cursor === undefined) return { items, truncated: false };
      if (items.length >= max) return { items, truncated: true };
      if (cursors.has(cursor)) {
        this.log('warn', 'Confluence returned the same page cursor twice; stopped paging');
        return { items, truncated: true };
      }
      cursors.add(cursor);
    }
  }

  private async list<T>(
    path: string,
    params: Record<string, string | undefined>,
    subject: Subject,
    itemSchema: z.ZodType<T>,
    options: RequestOptions,
  ): Promise<{ items: T[]; nextCursor?: string }> {
    const { body, headers } = await this.requestWithHeaders(path, params, subject, options);
    const list = this.parseBody(body, listSchema, subject);
    const items: T[] = [];
    let skipped = 0;
    for (const raw of list.results) {
      const parsed = itemSchema.safeParse(raw);
      if (parsed.success) items.push(parsed.data);
      else skipped += 1;
    }
    if (skipped > 0) this.log('warn', `${path}: skipped ${skipped} result(s) without a usable id`);
    const nextLink = list._links?.next ?? nextFromLinkHeader(getHeader(headers, 'link'));
    const nextCursor = nextLink ? cursorOf(nextLink) : undefined;
    if (nextLink && nextCursor === undefined) this.log('warn', `${path}: the next-page link has no cursor; stopped paging`);
    return nextCursor !== undefined ? { items, nextCursor } : { items };
  }

  private parseBody<T>(body: unknown, schema: z.ZodType<T>, subject: Subject): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new ConfluenceError(
      'bad_response',
      this.clean(
        `${l10n.t(
          'Confluence answered with {0}, but not in the expected form ({1}: {2}).',
          subjectText(subject),
          issue?.path.join('.') || 'body',
          issue?.message ?? 'invalid',
        )} ${checkSiteAdvice()}`,
      ),
    );
  }

  private async request(path: string, params: Record<string, string | undefined>, subject: Subject, options: RequestOptions): Promise<unknown> {
    return (await this.requestWithHeaders(path, params, subject, options)).body;
  }

  private async requestWithHeaders(
    path: string,
    params: Record<string, string | undefined>,
    subject: Subject,
    options: RequestOptions,
  ): Promise<{ body: unknown; headers: Headers }> {
    if (!this.site.ok) throw new ConfluenceError('invalid_site', this.site.message);
    const site = this.site.value;
    if (this.email === '' || this.apiToken === '') {
      throw new ConfluenceError(
        'missing_credentials',
        l10n.t('No Atlassian email or API token is set. Run "{0}" and enter your email and an API token from {1}.', connectCommandTitle(), API_TOKENS_URL),
      );
    }
    const { signal } = options;
    if (signal?.aborted) throw new AbortedError();

    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, value);
    const query = search.toString();
    const url = `${site}${path}${query ? `?${query}` : ''}`;
    const headers = { Authorization: this.authorization, Accept: 'application/json', 'User-Agent': this.deps.userAgent };
    const policy = this.policy;

    const attempt = async (n: number): Promise<{ value: RequestValue; retry?: RetryRequest }> => {
      const outcome = await exchange(this.deps.fetch, url, { method: 'GET', headers, redirect: 'manual' }, { signal, timeoutMs: this.timeoutMs });
      const tail = () => `(${outcome.durationMs} ms, attempt ${n}/${policy.maxAttempts})`;
      switch (outcome.type) {
        case 'cancelled':
          this.log('info', `GET ${url} -> cancelled ${tail()}`);
          return { value: { type: 'cancelled' } };
        case 'timeout':
          this.log('warn', `GET ${url} -> no answer within ${this.timeoutMs} ms ${tail()}`);
          return {
            value: {
              type: 'error',
              error: new ConfluenceError(
                'timeout',
                l10n.t('{0} did not answer within {1} while loading {2}. Try again.', hostOf(site), formatDuration(this.timeoutMs), subjectText(subject)),
              ),
            },
          };
        case 'fault': {
          const info = outcome.fault;
          this.log('warn', `GET ${url} -> failed: ${info.fault}${info.code ? ` ${info.code}` : ''}: ${info.detail} ${tail()}`);
          const error = new ConfluenceError('network', `${l10n.t('Could not load {0}.', subjectText(subject))} ${describeSiteFault(info, hostOf(site))}`, {
            fault: info.fault,
            ...(info.code ? { code: info.code } : {}),
          });
          return info.retryable ? { value: { type: 'error', error }, retry: { reason: 'network' } } : { value: { type: 'error', error } };
        }
        case 'response':
          break;
      }
      const { status } = outcome;
      this.log(status < 400 ? 'info' : 'warn', `GET ${url} -> ${status} ${tail()}`);
      const body = inspectBody(outcome.bodyText, getHeader(outcome.headers, 'content-type'));
      if (status >= 200 && status < 300) {
        if (body.type === 'json') return { value: { type: 'ok', body: body.value, headers: outcome.headers } };
        return {
          value: {
            type: 'error',
            error: new ConfluenceError('bad_response', `${notJson(body, status)} ${checkSiteAdvice()}`, { status }),
          },
        };
      }
      if (outcome.bodyText.trim() !== '') this.log('debug', `Response body: ${truncate(outcome.bodyText.replace(/\s+/g, ' '), 500)}`);
      const error = this.statusError(status, outcome.statusText, body, outcome.headers, subject, site);
      const retry = retryForStatus(status, outcome.headers, this.clock.now());
      return retry ? { value: { type: 'error', error }, retry } : { value: { type: 'error', error } };
    };

    const run = await runWithRetry<RequestValue>({
      policy,
      clock: this.clock,
      signal,
      random: this.deps.random,
      attempt,
      onWait: options.onWait,
      onRetryScheduled: (r) =>
        this.log('info', `Retrying in ${formatDuration(r.delayMs)} (${r.reason}; delay from ${r.source}), attempt ${r.nextAttempt}/${r.maxAttempts}`),
    });
    if (run.cancelled) throw new AbortedError();
    const value = run.value;
    if (value.type === 'cancelled') throw new AbortedError();
    if (value.type === 'ok') return { body: value.body, headers: value.headers };
    const error = run.giveUp ? this.explainGiveUp(value.error, run.giveUp, run.attempts) : value.error;
    throw new ConfluenceError(error.kind, this.clean(error.message), { ...error.details, attempts: run.attempts });
  }

  private statusError(status: number, statusText: string, body: BodyInfo, headers: Headers, subject: Subject, site: string): ConfluenceError {
    const said = serverMessage(body);
    const saidText = said ? ` ${l10n.t('Confluence said: {0}', said)}` : '';
    const what = subjectText(subject);
    const details = { status };
    if (status >= 300 && status < 400) {
      const location = getHeader(headers, 'location');
      return new ConfluenceError(
        'unexpected_status',
        `${
          location
            ? l10n.t('Confluence redirected the request for {0} (HTTP {1}) to {2}.', what, status, truncate(location, 200))
            : l10n.t('Confluence redirected the request for {0} (HTTP {1}).', what, status)
        } ${l10n.t(
          'The extension does not send your Atlassian credentials to another address: check that the Site URL is your Atlassian Cloud site ({0}).',
          'https://your-site.atlassian.net',
        )}`,
        details,
      );
    }
    switch (status) {
      case 401:
        return new ConfluenceError(
          'unauthorized',
          `${l10n.t('Atlassian did not accept the email and API token for {0} (HTTP 401).', site)} ${l10n.t(
            'Check the email address, create a new API token at {0} (a token without scopes: scoped tokens do not work with the site address), and run "{1}" again.',
            API_TOKENS_URL,
            connectCommandTitle(),
          )}`,
          details,
        );
      case 403:
        return new ConfluenceError(
          'forbidden',
          subject.kind === 'spaces'
            ? `${l10n.t('Your Atlassian account may not list the spaces of {0} (HTTP 403).', site)}${saidText} ${l10n.t(
                'Ask a Confluence admin for access, or connect another account.',
              )}`
            : `${
                aboutSpace(subject)
                  ? l10n.t('Your Atlassian account has no permission to view space {0} (HTTP 403).', subject.id)
                  : l10n.t('Your Atlassian account has no permission to view page {0} (HTTP 403).', subject.id)
              }${saidText} ${l10n.t('Ask a space admin to give you view access, or connect another account.')}`,
          details,
        );
      case 404:
        return new ConfluenceError(
          'not_found',
          subject.kind === 'spaces'
            ? l10n.t(
                '{0} has no Confluence Cloud API at {1} (HTTP 404). Check that the Site URL is your Atlassian Cloud site, such as {2}.',
                site,
                '/wiki/api/v2',
                'https://your-site.atlassian.net',
              )
            : aboutSpace(subject)
              ? l10n.t(
                  'Space {0} was not found on {1} (HTTP 404). It may have been deleted or moved, your account may not see it, or the Site URL may be wrong.',
                  subject.id,
                  site,
                )
              : l10n.t(
                  'Page {0} was not found on {1} (HTTP 404). It may have been deleted or moved, your account may not see it, or the Site URL may be wrong.',
                  subject.id,
                  site,
                ),
          details,
        );
      case 429:
        return new ConfluenceError('rate_limited', l10n.t('Confluence is limiting the rate of requests (HTTP 429) while loading {0}.', what) + saidText, details);
      default: {
        const label = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
        if (status >= 500) {
          return new ConfluenceError('server_error', l10n.t('Confluence had a server error ({0}) while loading {1}.', label, what) + saidText, details);
        }
        return new ConfluenceError('unexpected_status', l10n.t('Confluence answered {0} while loading {1}.', label, what) + saidText, details);
      }
    }
  }

  private explainGiveUp(error: ConfluenceError, giveUp: GiveUp, attempts: number): ConfluenceError {
    let why: string;
    let retryAt: number | undefined;
    switch (giveUp.why) {
      case 'max_attempts':
      case 'retry_limit':
        why = l10n.t('Gave up after {0} attempts: wait a minute and try again.', attempts);
        break;
      case 'budget_exhausted':
        why = l10n.t('Gave up after waiting {0} in total between {1} attempts: try again later.', formatDuration(giveUp.waitedMs), attempts);
        break;
      case 'wait_too_long':
        retryAt = giveUp.retryAt;
        why = `${l10n.t(
          'Confluence asked to wait {0} ({1} header), longer than the {2} the extension waits at most, so it did not wait.',
          formatDuration(giveUp.requestedMs),
          giveUp.source,
          formatDuration(giveUp.remainingMs),
        )} ${l10n.t('Try again after {0}.', new Date(giveUp.retryAt).toLocaleTimeString())}`;
        break;
    }
    return new ConfluenceError(error.kind, `${error.message} ${why}`, { ...error.details, ...(retryAt !== undefined ? { retryAt } : {}) });
  }
}

// --- Helpers ------------------------------------------------------------------------------

/** Spaces matching `query` in key or name (any case): exact key, then key/name prefix, then contains. */
export function rankSpaces(spaces: readonly ConfluenceSpace[], query: string): ConfluenceSpace[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...spaces];
  const score = (s: ConfluenceSpace): number => {
    const key = s.key.toLowerCase();
    const name = s.name.toLowerCase();
    if (key === q) return 0;
    if (name === q) return 1;
    if (key.startsWith(q) || name.startsWith(q)) return 2;
    if (name.split(/\s+/).some((word) => word.startsWith(q))) return 3;
    if (key.includes(q) || name.includes(q)) return 4;
    return -1;
  };
  return spaces
    .map((space, index) => ({ space, index, score: score(space) }))
    .filter((x) => x.score >= 0)
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .map((x) => x.space);
}

/** The `rel="next"` target of a `Link` header. */
export function nextFromLinkHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    for (const param of match[2].split(';')) {
      const rel = /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(param);
      if (rel && rel[1].toLowerCase().split(/\s+/).includes('next')) return match[1];
    }
  }
  return undefined;
}

/** The `cursor` parameter of a next-page link (relative or absolute). */
export function cursorOf(link: string): string | undefined {
  try {
    const cursor = new URL(link, 'https://site.invalid').searchParams.get('cursor');
    return cursor !== null && cursor !== '' ? cursor : undefined;
  } catch {
    return undefined;
  }
}

function serverMessage(body: BodyInfo): string | undefined {
  if (body.type !== 'json' || typeof body.value !== 'object' || body.value === null) return undefined;
  const value = body.value as { errors?: unknown; message?: unknown };
  const pick = (text: unknown) => (typeof text === 'string' && text.trim() !== '' ? truncate(text.trim(), 300) : undefined);
  if (Array.isArray(value.errors) && typeof value.errors[0] === 'object' && value.errors[0] !== null) {
    const first = value.errors[0] as { detail?: unknown; title?: unknown };
    return pick(first.detail) ?? pick(first.title);
  }
  return pick(value.message);
}

function notJson(body: BodyInfo, status: number): string {
  if (body.type === 'html') {
    return body.title
      ? l10n.t('Confluence answered HTTP {0} with an HTML page ("{1}") instead of JSON.', status, body.title)
      : l10n.t('Confluence answered HTTP {0} with an HTML page instead of JSON.', status);
  }
  if (body.type === 'text') return l10n.t('Confluence answered HTTP {0} with text that is not JSON ("{1}").', status, body.snippet);
  return l10n.t('Confluence answered HTTP {0} with an empty body instead of JSON.', status);
}

function checkId(id: string, what: 'space' | 'page'): string {
  const text = typeof id === 'string' ? id.trim() : String(id);
  if (!/^\d{1,25}$/.test(text)) {
    const shown = JSON.stringify(truncate(text, 40));
    throw new ConfluenceError(
      'not_found',
      what === 'space'
        ? l10n.t('Space ID {0} is not valid: Confluence space IDs are numbers.', shown)
        : l10n.t('Page ID {0} is not valid: Confluence page IDs are numbers.', shown),
    );
  }
  return text;
}

function clampLimit(limit: number | undefined): number {
  return typeof limit === 'number' && Number.isFinite(limit) ? Math.min(MAX_LIST_LIMIT, Math.max(1, Math.floor(limit))) : 25;
}

function positiveInt(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 of the UTF-8 bytes of `text` (no Buffer/btoa, so any email or token character works anywhere). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (a << 16) | (b << 8) | c;
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}
