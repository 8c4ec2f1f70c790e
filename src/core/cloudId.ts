/**
 * Cloud ID lookup: `GET <site>/_edge/tenant_info` (no auth) answers
 * `{"cloudId":"<uuid>"}` on every Atlassian Cloud site.
 *
 * No Node or VS Code imports: `fetch` is injected. {@link lookupCloudId} never
 * throws; every failure message says what went wrong and how to find the ID by
 * hand ({@link cloudIdHelp}).
 *
 * Decisions:
 * - The site URL is normalized first (./siteUrl), so `https://x.atlassian.net/wiki/…`
 *   and `x.atlassian.net` look up, and are cached as, the same site.
 * - The request goes through ./http's `exchange` (timeout, default 5 s, on real
 *   timers, body included; cancellation; fault classification), like the Context7 client's. There is no retry: the lookup is a
 *   convenience that must stay quick, and the user can always type the ID.
 * - Redirects are followed (no credentials are sent); a redirect to a sign-in
 *   page shows up as "not JSON".
 * - The cloud ID must be a UUID (8-4-4-4-12 hex digits, any version); it is
 *   returned in lower case, as the form's Cloud ID field normalizes it.
 * - {@link CloudIdCache} caches successes only, per normalized site, and shares one
 *   request among concurrent lookups of a site. A caller that cancels stops only
 *   its own wait; the request is aborted when every caller has cancelled.
 */
import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { describeNetworkFault, inspectBody, truncate, type FaultTarget, type NetworkFaultInfo } from './errors';
import { exchange, type Exchange } from './http';
import { formatDuration } from './retry';
import { normalizeSiteUrl } from './siteUrl';

export const TENANT_INFO_PATH = '/_edge/tenant_info';
export const DEFAULT_CLOUD_ID_TIMEOUT_MS = 5_000;
export const ADMIN_URL = 'https://admin.atlassian.com';

export type FetchFn = typeof fetch;

export type CloudIdFailureReason =
  | 'invalid_site'
  | 'not_found'
  | 'http_error'
  | 'not_json'
  | 'no_cloud_id'
  | 'timeout'
  | 'network'
  | 'cancelled';

export type CloudIdResult =
  | { ok: true; cloudId: string; siteUrl: string }
  | {
      ok: false;
      reason: CloudIdFailureReason;
      /** User-facing: what went wrong, and how to find the cloud ID by hand. */
      message: string;
      /** The normalized site, when the site URL was valid. */
      siteUrl?: string;
      /** The HTTP status, for `not_found` / `http_error` / `not_json` / `no_cloud_id`. */
      status?: number;
    };

export interface CloudIdLookupOptions {
  fetch: FetchFn;
  signal?: AbortSignal;
  /** Default {@link DEFAULT_CLOUD_ID_TIMEOUT_MS}. */
  timeoutMs?: number;
  userAgent?: string;
}

/** `{ cloudId }`, other fields allowed; the ID must be a UUID. */
export const tenantInfoSchema = z.looseObject({
  cloudId: z.string().trim().pipe(z.guid()),
});

/** How to find the cloud ID by hand (ends with a period). */
export function cloudIdHelp(siteUrl?: string): string {
  const site = siteUrl ?? 'https://<your-site>.atlassian.net';
  return l10n.t(
    'To find it by hand, open {0} in a browser and copy the "cloudId" value, or open {1}, choose the site and copy the ID that follows /s/ in the address bar.',
    `${site}${TENANT_INFO_PATH}`,
    ADMIN_URL,
  );
}

/** Looks up the cloud ID of a site. Never throws. */
export async function lookupCloudId(siteUrl: string, options: CloudIdLookupOptions): Promise<CloudIdResult> {
  const normalized = normalizeSiteUrl(typeof siteUrl === 'string' ? siteUrl : '');
  if (!normalized.ok) return { ok: false, reason: 'invalid_site', message: `${normalized.message} ${cloudIdHelp()}` };
  const site = normalized.value;
  const help = cloudIdHelp(site);
  const fail = (reason: CloudIdFailureReason, message: string, status?: number): CloudIdResult => ({
    ok: false,
    reason,
    message: reason === 'cancelled' ? message : `${message} ${help}`,
    siteUrl: site,
    ...(status !== undefined ? { status } : {}),
  });

  const timeoutMs = validTimeout(options.timeoutMs, DEFAULT_CLOUD_ID_TIMEOUT_MS);
  const url = `${site}${TENANT_INFO_PATH}`;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.userAgent) headers['User-Agent'] = options.userAgent;

  const outcome: Exchange = await exchange(options.fetch, url, { method: 'GET', headers, redirect: 'follow' }, { signal: options.signal, timeoutMs });

  switch (outcome.type) {
    case 'cancelled':
      return fail('cancelled', l10n.t('The cloud ID lookup was cancelled.'));
    case 'timeout':
      return fail('timeout', l10n.t('{0} did not answer the cloud ID lookup within {1}.', hostOf(site), formatDuration(timeoutMs)));
    case 'fault':
      return fail('network', `${l10n.t('Could not look up the cloud ID.')} ${describeSiteFault(outcome.fault, hostOf(site))}`);
    case 'response':
      break;
  }

  const { status } = outcome;
  const body = inspectBody(outcome.bodyText, outcome.headers.get('content-type') ?? undefined);
  if (status === 404) {
    return fail(
      'not_found',
      l10n.t(
        '{0} has no cloud ID (HTTP 404 from {1}). Check the Site URL: Context7 needs an Atlassian Cloud site, and Data Center or Server sites have no cloud ID.',
        site,
        TENANT_INFO_PATH,
      ),
      status,
    );
  }
  if (status < 200 || status >= 300) {
    const answer = `HTTP ${status}${outcome.statusText ? ` ${outcome.statusText}` : ''}`;
    return fail('http_error', l10n.t('Looking up the cloud ID of {0} failed: {1} answered {2}.', site, TENANT_INFO_PATH, answer), status);
  }
  if (body.type !== 'json') {
    const answered =
      body.type === 'html'
        ? body.title
          ? l10n.t('{0} answered with an HTML page ("{1}") instead of the cloud ID.', url, body.title)
          : l10n.t('{0} answered with an HTML page instead of the cloud ID.', url)
        : body.type === 'text'
          ? l10n.t('{0} answered with text that is not JSON ("{1}") instead of the cloud ID.', url, body.snippet)
          : l10n.t('{0} answered with an empty body instead of the cloud ID.', url);
    return fail(
      'not_json',
      `${answered} ${l10n.t('The address may not be an Atlassian Cloud site, or a proxy or sign-in page answered instead.')}`,
      status,
    );
  }
  const parsed = tenantInfoSchema.safeParse(body.value);
  if (!parsed.success) {
    const value = typeof body.value === 'object' && body.value !== null ? (body.value as { cloudId?: unknown }).cloudId : undefined;
    const message =
      value === undefined
        ? l10n.t('{0} did not give a valid cloud ID: it has no "cloudId".', url)
        : typeof value === 'string'
          ? l10n.t('{0} did not give a valid cloud ID: {1} is not a UUID.', url, JSON.stringify(truncate(value, 60)))
          : l10n.t('{0} did not give a valid cloud ID: its "cloudId" is not a UUID.', url);
    return fail('no_cloud_id', message, status);
  }
  return { ok: true, cloudId: parsed.data.cloudId.toLowerCase(), siteUrl: site };
}

// --- Cache -------------------------------------------------------------------------

export interface CloudIdCacheOptions {
  fetch: FetchFn;
  timeoutMs?: number;
  userAgent?: string;
}

interface InFlight {
  promise: Promise<CloudIdResult>;
  controller: AbortController;
  waiters: number;
}

/** Cloud IDs per normalized site: successes only, one request per site at a time. */
export class CloudIdCache {
  private readonly found = new Map<string, string>();
  private readonly inFlight = new Map<string, InFlight>();

  constructor(private readonly options: CloudIdCacheOptions) {}

  /** The cached cloud ID of a site, if a lookup succeeded before. */
  get(siteUrl: string): string | undefined {
    const key = siteKey(siteUrl);
    return key === undefined ? undefined : this.found.get(key);
  }

  /** Forgets one site, or every site. */
  clear(siteUrl?: string): void {
    if (siteUrl === undefined) {
      this.found.clear();
      return;
    }
    const key = siteKey(siteUrl);
    if (key !== undefined) this.found.delete(key);
  }

  /** The cached cloud ID, or a lookup (shared with concurrent lookups of the same site). Never throws. */
  async lookup(siteUrl: string, options: { signal?: AbortSignal } = {}): Promise<CloudIdResult> {
    const key = siteKey(siteUrl);
    if (key === undefined) return lookupCloudId(siteUrl, { fetch: this.options.fetch });
    const cached = this.found.get(key);
    if (cached !== undefined) return { ok: true, cloudId: cached, siteUrl: key };
    const cancelled: CloudIdResult = { ok: false, reason: 'cancelled', message: l10n.t('The cloud ID lookup was cancelled.'), siteUrl: key };
    const { signal } = options;
    if (signal?.aborted) return cancelled;

    let entry = this.inFlight.get(key);
    if (!entry) {
      const controller = new AbortController();
      const created: InFlight = {
        controller,
        waiters: 0,
        promise: lookupCloudId(key, {
          fetch: this.options.fetch,
          signal: controller.signal,
          timeoutMs: this.options.timeoutMs,
          userAgent: this.options.userAgent,
        }).then((result) => {
          if (result.ok) this.found.set(key, result.cloudId);
          if (this.inFlight.get(key) === created) this.inFlight.delete(key);
          return result;
        }),
      };
      entry = created;
      this.inFlight.set(key, created);
    }
    const shared = entry;
    shared.waiters += 1;
    if (!signal) {
      try {
        return await shared.promise;
      } finally {
        shared.waiters -= 1;
      }
    }
    return new Promise<CloudIdResult>((resolve) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        shared.waiters -= 1;
        if (shared.waiters <= 0) {
          if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
          shared.controller.abort();
        }
        resolve(cancelled);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      void shared.promise.then((result) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        shared.waiters -= 1;
        resolve(result);
      });
    });
  }
}

function siteKey(siteUrl: string): string | undefined {
  const normalized = normalizeSiteUrl(typeof siteUrl === 'string' ? siteUrl : '');
  return normalized.ok ? normalized.value : undefined;
}

// --- Helpers shared with the Confluence client --------------------------------------

/** A network fault talking to an Atlassian site: the shared message, pointing at the Site URL (localized when used). */
export function siteFaultTarget(): FaultTarget {
  return { service: l10n.t('the Confluence site'), address: l10n.t('the Site URL') };
}

export function describeSiteFault(info: NetworkFaultInfo, host: string): string {
  return describeNetworkFault(info, host, siteFaultTarget());
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function validTimeout(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(value, 2_147_483_647) : fallback;
}
