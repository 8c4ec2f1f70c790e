/**
 * Normalization of the Confluence "Site URL" field.
 *
 * Browser-safe: uses only the global `URL`, no Node or VS Code imports.
 *
 * Rules (documented for users in the field's help and in src/core/README.md):
 * - Leading/trailing whitespace is ignored.
 * - A bare host such as `acme.atlassian.net` is accepted and gets `https://` prepended.
 * - The scheme must be `https`. `http` is accepted only for a loopback host
 *   (`localhost`, `127.0.0.1`, `[::1]`) with an explicit port, so local
 *   stand-in servers can be used in tests; Confluence Cloud is HTTPS only.
 * - User name / password in the URL are rejected (they would be sent to Context7).
 * - The host is lower-cased (the URL parser does this; IDNs become punycode).
 * - Only origin + path are kept: query string and fragment are dropped.
 * - The `/wiki` rule: the first path segment named `wiki` and everything after
 *   it are removed. So `https://x.atlassian.net/wiki/` and a pasted page link
 *   `https://x.atlassian.net/wiki/spaces/DOCS/pages/1/T` both become
 *   `https://x.atlassian.net`. (Confluence Cloud serves the wiki under `/wiki`
 *   of the site; the site itself is what Context7 needs.)
 * - Trailing slashes are removed.
 */

import * as l10n from '@vscode/l10n';

export type SiteUrlResult = { ok: true; value: string } | { ok: false; message: string };

const EXAMPLE = 'https://your-site.atlassian.net';
const MAX_LENGTH = 2048;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Atlassian Cloud's own site addresses (`<name>.atlassian.net`), where one account's API token works on all of its sites. */
export function isAtlassianCloudHost(hostname: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.atlassian\.net$/i.test(hostname);
}

/**
 * Whether the Atlassian email and API token of an account connected with `connectedSite` may be
 * sent to `site`: only to the connected site itself, or to another `https://<name>.atlassian.net`
 * site. Never to any other host, even a valid one: a Site URL comes from what the user pasted or a
 * workspace setting, and a link can name anyone's server. Both sites are normalized first; an
 * invalid one receives nothing.
 */
export function mayReceiveAtlassianCredentials(site: string, connectedSite: string): boolean {
  const target = normalizeSiteUrl(site);
  const connected = normalizeSiteUrl(connectedSite);
  if (!target.ok || !connected.ok) return false;
  const targetUrl = new URL(target.value);
  if (targetUrl.origin === new URL(connected.value).origin) return true;
  return targetUrl.protocol === 'https:' && targetUrl.port === '' && isAtlassianCloudHost(targetUrl.hostname);
}

export function normalizeSiteUrl(input: string): SiteUrlResult {
  const text = input.trim();
  if (text === '') {
    return fail(l10n.t('Site URL is required: enter your Confluence Cloud address, for example {0}.', EXAMPLE));
  }
  if (text.length > MAX_LENGTH) {
    return fail(l10n.t('Site URL is too long: enter only the site address, for example {0}.', EXAMPLE));
  }
  if (/\s/.test(text)) {
    return fail(l10n.t('Site URL must not contain spaces: enter only the site address, for example {0}.', EXAMPLE));
  }

  // Bare host ("acme.atlassian.net", "acme.atlassian.net/wiki"): assume https.
  const withScheme = HAS_SCHEME.test(text) ? text : text.startsWith('//') ? `https:${text}` : `https://${text}`;

  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail(l10n.t('Site URL is not a valid address: enter it like {0}.', EXAMPLE));
  }

  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname) || url.port === '') {
      return fail(
        `${l10n.t('Site URL must start with https:// (Confluence Cloud sites use HTTPS), for example {0}.', EXAMPLE)} ` +
          l10n.t('http:// is accepted only for a local test server with a port, such as {0}.', 'http://127.0.0.1:8080'),
      );
    }
  } else if (url.protocol !== 'https:') {
    return fail(l10n.t('Site URL must start with https://, for example {0}.', EXAMPLE));
  }

  if (url.username !== '' || url.password !== '') {
    return fail(l10n.t('Site URL must not contain a user name or password: remove the part before "@".'));
  }
  if (url.hostname === '' || (!url.hostname.includes('.') && !isLoopbackHost(url.hostname))) {
    return fail(l10n.t('Site URL needs a full host name, for example {0}.', EXAMPLE));
  }

  const segments = url.pathname.split('/');
  const wikiAt = segments.findIndex((segment, i) => i > 0 && segment.toLowerCase() === 'wiki');
  const kept = wikiAt >= 0 ? segments.slice(0, wikiAt) : segments;
  const path = kept.join('/').replace(/\/+$/, '');

  return { ok: true, value: `${url.protocol}//${url.host}${path}` };
}

function fail(message: string): SiteUrlResult {
  return { ok: false, message };
}
