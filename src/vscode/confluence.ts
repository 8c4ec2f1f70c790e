import * as vscode from 'vscode';
import { CloudIdCache, type CloudIdResult } from '../core/cloudId';
import { isAbortError } from '../core/clock';
import { ConfluenceClient, ConfluenceError, type ConfluenceSpace } from '../core/confluence';
import { mayReceiveAtlassianCredentials, normalizeSiteUrl } from '../core/siteUrl';
import type { AtlassianAccount } from './atlassianAccount';
import { plain } from '../shared/display';
import type { Services } from './commands';
import { readSettings } from './settings';

/** How long the cloud ID lookup may take (it is a convenience: the user can always type the ID). */
export const CLOUD_ID_TIMEOUT_MS = 5_000;

/** Confluence failures after which connecting (again) is the fix. */
const CONNECT_FIXES: ReadonlySet<string> = new Set(['unauthorized', 'missing_credentials', 'forbidden', 'site_not_allowed']);

export interface ErrorView {
  message: string;
  /** Offer "Connect Atlassian Account". */
  connect: boolean;
  kind: string;
}

export type ExpandResult =
  | { ok: true; pageIds: string[]; truncated: boolean }
  | { ok: false; cancelled: true }
  | { ok: false; cancelled?: false; error: ErrorView };

/**
 * The extension host's side of Confluence: the cloud ID cache, clients made from the stored
 * Atlassian account, the space lookup cache, and sub-page expansion with progress.
 *
 * Which site is browsed: the site the form or the flow names when it is a valid site URL, else
 * the site the account was connected with. The email and token go only to the connected site or
 * to another `<name>.atlassian.net` site (an Atlassian API token works on every site of its
 * account); any other site the form names is refused with a message, never sent the token.
 */
export class ConfluenceService {
  readonly cloudIds: CloudIdCache;
  private readonly spaces = new Map<string, ConfluenceSpace>();
  private readonly userAgent: string;

  constructor(
    private readonly services: Services,
    userAgent: string,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {
    this.userAgent = userAgent;
    this.cloudIds = new CloudIdCache({ fetch: this.fetchImpl, timeoutMs: CLOUD_ID_TIMEOUT_MS, userAgent });
  }

  /** Looks up a site's cloud ID (cached per site). Never throws. */
  async lookupCloudId(siteUrl: string, signal?: AbortSignal): Promise<CloudIdResult> {
    const result = await this.cloudIds.lookup(siteUrl, { signal });
    const { log } = this.services;
    if (result.ok) log.info('confluence', `cloud ID of ${result.siteUrl} looked up`);
    else if (result.reason !== 'cancelled') log.warn('confluence', `cloud ID lookup for ${result.siteUrl ?? 'an invalid site'} failed (${result.reason}): ${result.message}`);
    return result;
  }

  /**
   * The site to browse: `siteHint` when it is a valid site URL, else the account's. A valid hint
   * that may not receive the account's token (see `mayReceiveAtlassianCredentials`) is refused.
   */
  siteFor(account: AtlassianAccount, siteHint?: string): { ok: true; siteUrl: string } | { ok: false; view: ErrorView } {
    const hint = siteHint ? normalizeSiteUrl(siteHint) : undefined;
    if (!hint?.ok) return { ok: true, siteUrl: account.siteUrl };
    if (mayReceiveAtlassianCredentials(hint.value, account.siteUrl)) return { ok: true, siteUrl: hint.value };
    this.services.log.warn('confluence', `not browsing ${hint.value}: the Atlassian token goes only to ${account.siteUrl} and atlassian.net sites`);
    return {
      ok: false,
      view: {
        message: vscode.l10n.t(
          'Browsing sends your Atlassian API token, so it goes only to the site you connected ({0}) and to other atlassian.net sites, not to {1}. To browse {1}, connect your Atlassian account with that site.',
          account.siteUrl,
          hint.value,
        ),
        connect: true,
        kind: 'site_not_allowed',
      },
    };
  }

  /**
   * A client for the stored account on the site to browse; or why there is none: no account is
   * connected (`missing_credentials`), or the site may not receive its token (`site_not_allowed`).
   */
  async client(siteHint?: string): Promise<{ ok: true; client: ConfluenceClient } | { ok: false; view: ErrorView }> {
    const account = await this.services.atlassian.get();
    if (!account) {
      return { ok: false, view: { message: vscode.l10n.t('Browsing needs a connected Atlassian account.'), connect: true, kind: 'missing_credentials' } };
    }
    const site = this.siteFor(account, siteHint);
    return site.ok ? { ok: true, client: this.clientFor(account, site.siteUrl) } : site;
  }

  clientFor(account: Pick<AtlassianAccount, 'email' | 'apiToken'>, siteUrl: string): ConfluenceClient {
    const { log } = this.services;
    const settings = readSettings();
    return new ConfluenceClient(
      {
        fetch: this.fetchImpl,
        userAgent: this.userAgent,
        retry: { maxAttempts: settings.maxAttempts, maxWaitMs: settings.maxWaitSeconds * 1000 },
        log: (level, line) => {
          if (level === 'error') log.error('confluence', line);
          else if (level === 'warn') log.warn('confluence', line);
          else if (level === 'debug') log.debug('confluence', line);
          else log.info('confluence', line);
        },
      },
      { siteUrl, email: account.email, apiToken: account.apiToken },
    );
  }

  /** The space with this key on the client's site (cached: keys rarely move). */
  async spaceByKey(client: ConfluenceClient, key: string, signal?: AbortSignal): Promise<ConfluenceSpace | undefined> {
    const cacheKey = `${client.siteUrl ?? ''}|${key.trim()}`;
    const cached = this.spaces.get(cacheKey);
    if (cached) return cached;
    const space = await client.spaceByKey(key, { signal });
    if (space) this.spaces.set(cacheKey, space);
    return space;
  }

  remember(client: ConfluenceClient, space: ConfluenceSpace): void {
    this.spaces.set(`${client.siteUrl ?? ''}|${space.key}`, space);
  }

  /** A Confluence failure as the UI shows it (the core's message, already redacted). */
  describe(error: unknown): ErrorView {
    if (error instanceof ConfluenceError) {
      return { message: error.message, connect: CONNECT_FIXES.has(error.kind), kind: error.kind };
    }
    this.services.log.error('confluence', `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { message: vscode.l10n.t('Something went wrong while talking to Confluence. The log has the details.'), connect: false, kind: 'internal' };
  }

  /** An error notification with "Connect Atlassian Account" (when that is the fix) and "Show Log". Not awaited. */
  notify(view: ErrorView, onConnect: () => void): void {
    const connect = vscode.l10n.t('Connect Atlassian Account');
    const showLog = vscode.l10n.t('Show Log');
    const actions = view.connect ? [connect, showLog] : [showLog];
    void vscode.window.showErrorMessage(plain(view.message), ...actions).then((choice) => {
      if (choice === connect) onConnect();
      else if (choice === showLog) this.services.log.show();
    });
  }

  /**
   * The given pages and all their sub-pages, with a cancellable progress notification. Needs a
   * connected account: without one the result is an error offering to connect.
   */
  async expandSubPages(pageIds: readonly string[], siteUrl: string, options: { signal?: AbortSignal; onFound?: (found: number) => void } = {}): Promise<ExpandResult> {
    const { log } = this.services;
    const choice = await this.client(siteUrl);
    if (!choice.ok) {
      const error =
        choice.view.kind === 'missing_credentials'
          ? { ...choice.view, message: vscode.l10n.t('"Include sub-pages" needs a connected Atlassian account to find the sub-pages. Connect one, or turn the option off.') }
          : choice.view;
      return { ok: false, error };
    }
    const { client } = choice;
    log.info('confluence', `finding the sub-pages of ${pageIds.length} page(s) on ${client.siteUrl ?? siteUrl}`);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Context7: finding sub-pages'), cancellable: true },
      async (progress, token): Promise<ExpandResult> => {
        const controller = new AbortController();
        const abort = () => controller.abort();
        const cancellation = token.onCancellationRequested(abort);
        options.signal?.addEventListener('abort', abort, { once: true });
        if (options.signal?.aborted) abort();
        progress.report({ message: vscode.l10n.t('{0} pages so far…', pageIds.length) });
        try {
          const result = await client.expandSubPages(pageIds, {
            signal: controller.signal,
            onProgress: (found) => {
              progress.report({ message: vscode.l10n.t('{0} pages so far…', found) });
              options.onFound?.(found);
            },
            onWait: (tick) => progress.report({ message: vscode.l10n.t('Confluence is busy: retrying in {0} s…', Math.max(0, Math.ceil(tick.secondsLeft))) }),
          });
          log.info('confluence', `${result.pageIds.length} page(s) with their sub-pages${result.truncated ? ' (stopped at the limit)' : ''}`);
          return { ok: true, pageIds: result.pageIds, truncated: result.truncated };
        } catch (error) {
          if (isAbortError(error) || controller.signal.aborted) {
            log.info('confluence', 'finding sub-pages was cancelled; nothing was sent');
            return { ok: false, cancelled: true };
          }
          const view = this.describe(error);
          log.warn('confluence', `finding sub-pages failed: ${view.message}`);
          return { ok: false, error: view };
        } finally {
          cancellation.dispose();
          options.signal?.removeEventListener('abort', abort);
        }
      },
    );
  }
}
