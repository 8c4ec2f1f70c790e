/**
 * The Context7 API base URL (setting `context7.apiUrl`, default
 * `https://context7.com/api`) and endpoint URLs built from it.
 *
 * Endpoints are joined as text, not resolved as relative URLs: the base's path
 * (`/api`) is kept and trailing slashes are tolerated.
 *
 * Browser-safe: uses only the global `URL`.
 */
import * as l10n from '@vscode/l10n';
import { isLoopbackHost } from './siteUrl';

export const DEFAULT_API_URL = 'https://context7.com/api';
export const API_URL_SETTING = 'context7.apiUrl';
export const ADD_CONFLUENCE_PATH = '/v2/add/confluence';

export class ApiUrlError extends Error {
  readonly code = 'invalid_api_url';
  constructor(
    message: string,
    readonly apiUrl: string,
  ) {
    super(message);
    this.name = 'ApiUrlError';
  }
}

export type ApiUrlCheck = { ok: true; base: string } | { ok: false; error: ApiUrlError };

/**
 * Checks an API base URL and returns it without trailing slashes.
 * Rules: http(s) only; plain http only for loopback hosts (the API key would
 * otherwise travel unencrypted); no user name/password, query or fragment.
 */
export function checkApiUrl(apiUrl: string): ApiUrlCheck {
  const text = typeof apiUrl === 'string' ? apiUrl.trim() : '';
  const shown = JSON.stringify(text.length > 100 ? `${text.slice(0, 99)}…` : text);
  /** Every message ends with how to fix the setting. */
  const fail = (problem: string): ApiUrlCheck => ({
    ok: false,
    error: new ApiUrlError(
      `${problem} ${l10n.t('Fix the setting "{0}" (the default is {1}).', API_URL_SETTING, DEFAULT_API_URL)}`,
      text,
    ),
  });
  if (text === '') return fail(l10n.t('The Context7 API URL {0} is empty.', shown));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(l10n.t('The Context7 API URL {0} is not a valid URL.', shown));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail(l10n.t('The Context7 API URL {0} must start with https://.', shown));
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return fail(
      l10n.t(
        'The Context7 API URL {0} must use https:// (plain http:// is allowed only for localhost, because the API key would be sent unencrypted).',
        shown,
      ),
    );
  }
  if (url.username !== '' || url.password !== '') return fail(l10n.t('The Context7 API URL {0} must not contain a user name or password.', shown));
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(text)) return fail(l10n.t('The Context7 API URL {0} must not contain "?" or "#".', shown));
  if (/\s/.test(text)) return fail(l10n.t('The Context7 API URL {0} must not contain spaces.', shown));
  return { ok: true, base: text.replace(/\/+$/, '') };
}

/** Joins an API path (`/v2/…`) onto the base URL. Throws {@link ApiUrlError} for a bad base. */
export function apiEndpoint(apiUrl: string, path: string): string {
  const checked = checkApiUrl(apiUrl);
  if (!checked.ok) throw checked.error;
  return `${checked.base}/${path.replace(/^\/+/, '')}`;
}

/** `${apiUrl}/v2/add/confluence`. Throws {@link ApiUrlError} with a clear message for a malformed or non-http(s) apiUrl. */
export function addConfluenceEndpoint(apiUrl: string): string {
  return apiEndpoint(apiUrl, ADD_CONFLUENCE_PATH);
}
