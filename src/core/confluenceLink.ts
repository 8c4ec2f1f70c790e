/**
 * Smart paste: reads one or several Confluence links and says what they carry
 * (site URL, space key, page IDs), or why they cannot be used.
 *
 * Browser-safe (the webview bundles it): only the global `URL` and other
 * browser-safe core modules. {@link parseConfluenceLinks} never throws.
 *
 * Accepted, per link (tokens are separated by whitespace or commas; a comma
 * inside a page title is kept with its link):
 *
 * | input                                                      | gives                              |
 * |------------------------------------------------------------|------------------------------------|
 * | `https://S.atlassian.net/wiki/spaces/KEY[/overview]`        | site, space key                    |
 * | `…/wiki/spaces/KEY/pages/123456[/Title]` (also `edit-v2/`)  | site, space key, page ID           |
 * | `…/wiki/spaces/~712020a3…/pages/1587184001/…`               | site, personal space key, page ID  |
 * | `…/wiki/spaces/KEY/blog/…`, `/whiteboard/…`, `/database/…`  | site, space key (+ a note)         |
 * | `…/wiki/x/LIQHD` (tiny link)                               | site, page ID (decoded)            |
 * | `…/wiki/display/KEY[/Title]` (legacy Cloud link)           | site, space key (+ a note)         |
 * | `…/wiki/pages/viewpage.action?pageId=123` (legacy)         | site, page ID                      |
 * | `https://S.atlassian.net[/wiki]`                           | site (+ a note)                    |
 * | `/wiki/spaces/KEY/pages/123` (site-relative)               | space key, page ID                 |
 * | `123456` (a bare page ID)                                  | page ID                            |
 *
 * Decisions (where issue 5 is silent):
 * - Cloud hosts are `*.atlassian.net` (and legacy `*.jira.com`). `http://` on a
 *   Cloud host is upgraded to `https://` with a note (Cloud serves HTTPS only).
 * - Loopback hosts (`localhost`, `127.0.0.1`, `[::1]`) with a port are treated
 *   as Cloud sites so local stand-ins can be used; on them `/wiki` is optional.
 * - Any other host: Data Center / Server forms (`/display/…`, `…viewpage.action`,
 *   `/spaces/viewspace.action`, a `pageId` query parameter, and Cloud-shaped
 *   paths without `/wiki`, under any context path) fail with reason
 *   `data_center`, naming what was recognised. A Cloud-shaped `https` link with
 *   `/wiki` (`/wiki/spaces/…`, `/wiki/x/…`) on another host is accepted, with a
 *   note, since Atlassian Cloud sites can have custom domains.
 * - Every token must be usable: one bad token fails the whole paste (the
 *   message names each bad token and why), so nothing is filled half-way.
 * - Links to different sites fail with `mixed_sites`; links to different
 *   spaces fail with `mixed_spaces` (a library is one space).
 * - Page IDs are de-duplicated, keeping the first occurrence's position.
 * - Markdown / angle-bracket wrappers (`<…>`, `(…)`, `[t](…)`, quotes) and
 *   trailing sentence punctuation are stripped.
 */
import * as l10n from '@vscode/l10n';
import { quoteInput } from './fields';
import { decodeTinyLinkCode, numericIdProblem, parseToken, tokenizePageIds } from './pageIds';
import { validateField } from './schema';
import { isLoopbackHost, normalizeSiteUrl } from './siteUrl';

/** What one link was recognised as. */
export type LinkForm =
  | 'site' // a link to the site itself (no space or page)
  | 'space' // …/wiki/spaces/KEY, …/wiki/display/KEY
  | 'page' // …/wiki/spaces/KEY/pages/123…, …viewpage.action?pageId=123
  | 'tiny' // …/wiki/x/CODE
  | 'page_id'; // a bare numeric page ID

/** One recognised link (or bare page ID), in input order. */
export interface LinkPart {
  /** The token as pasted (after stripping wrappers such as `<…>`). */
  input: string;
  form: LinkForm;
  /** Normalized site URL (see ./siteUrl), when the link names a site. */
  siteUrl?: string;
  spaceKey?: string;
  pageId?: string;
}

/** A usable paste. Every field is optional but `pageIds` (possibly empty). */
export interface LinkParseOk {
  ok: true;
  kind: 'cloud';
  /** Normalized site URL, when at least one link named the site. */
  siteUrl?: string;
  /** The space key, when at least one link named the space. May be an alias of a renamed space. */
  spaceKey?: string;
  /** True when the space is a personal space (`~accountId`). */
  personalSpace: boolean;
  /** Page IDs, de-duplicated in input order. Empty for site or space links. */
  pageIds: string[];
  /** Short explanations for the user (tiny link decoded, only the space key taken, …). */
  notes: string[];
  links: LinkPart[];
}

export type LinkParseFailureReason = 'data_center' | 'unparseable' | 'mixed_sites' | 'mixed_spaces' | 'empty';

/** A paste that cannot be used. `message` is user-facing, complete and says how to fix it. */
export interface LinkParseFailure {
  ok: false;
  reason: LinkParseFailureReason;
  message: string;
  /** The tokens that failed (for `data_center` / `unparseable`). */
  invalidInputs?: string[];
  /** For `data_center`: what was recognised in the first Data Center link. */
  recognised?: { site: string; spaceKey?: string; pageId?: string };
}

export type LinkParse = LinkParseOk | LinkParseFailure;

/** Longest text the parser reads (a paste of several hundred links fits). */
export const MAX_LINK_INPUT_LENGTH = 100_000;

const EXAMPLE_LINK = 'https://your-site.atlassian.net/wiki/spaces/KEY/pages/123456/Title';

// Texts are functions, not constants, so they are localized when used (after the l10n bundle is set).
// The lower-case ones follow a quoted link: `"https://…" links to the site itself: …`.

function howToFix(): string {
  return l10n.t('Paste a link from your Confluence Cloud site, such as {0}.', EXAMPLE_LINK);
}

function siteOnly(): string {
  return l10n.t('links to the site itself: only the site URL was taken');
}

function cloudOnly(): string {
  return l10n.t(
    "Context7 can add Confluence spaces only from an Atlassian Cloud site ({0}): its API needs the site's cloud ID, and Data Center and Server sites have none.",
    'https://your-site.atlassian.net',
  );
}

// --- Per token -------------------------------------------------------------------

/** What a Confluence path carries, relative to the wiki root. */
interface PathInfo {
  form: Exclude<LinkForm, 'page_id'>;
  /** The path has Cloud's `spaces/…`, `x/…` shape (as opposed to the legacy `display/…`, `….action` forms). */
  modern: boolean;
  spaceKey?: string;
  pageId?: string;
  note?: string;
  error?: string;
}

type TokenResult =
  | { type: 'ok'; part: LinkPart; note?: string }
  | { type: 'error'; input: string; why: string }
  | { type: 'data_center'; input: string; site: string; info: PathInfo };

/** Space sub-paths that carry nothing more than the space. */
const PLAIN_SPACE_TAILS = new Set(['', 'overview', 'pages']);
/** What a space sub-path holds ("a blog post"), for the note "links to …, not a page". */
function spaceContentName(tail: string): string | undefined {
  switch (tail) {
    case 'blog':
      return l10n.t('a blog post');
    case 'whiteboard':
      return l10n.t('a whiteboard');
    case 'database':
      return l10n.t('a database');
    case 'folder':
      return l10n.t('a folder');
    case 'embed':
      return l10n.t('a Smart Link embed');
    case 'calendars':
      return l10n.t('the space calendar');
    case 'settings':
      return l10n.t('the space settings');
    default:
      return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function isCloudHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:atlassian\.net|jira\.com)$/.test(host) && host !== 'api.atlassian.net';
}

/** Checks a space key taken from a link; returns an error text or undefined. */
function spaceKeyProblem(key: string): string | undefined {
  if (key === '') return l10n.t('has an empty space key');
  return validateField('spaceKey', key) === undefined ? undefined : l10n.t('has {0} where a space key should be', quoteInput(key, 40));
}

/** Why digits are not a page ID, following the quoted digits ("…" is too large …), or `undefined`. */
function numberProblem(digits: string): string | undefined {
  switch (numericIdProblem(digits)) {
    case 'too_large':
      return l10n.t('is too large to be a Confluence page ID');
    case 'zero':
      return l10n.t('is not a valid page ID (page IDs start at 1)');
    case undefined:
      return undefined;
  }
}

function pageIdFrom(digits: string): { id: string } | { error: string } {
  if (!/^\d+$/.test(digits)) return { error: l10n.t('has {0} where a page ID (a number) should be', quoteInput(digits, 40)) };
  const result = parseToken(digits);
  if ('id' in result) return result;
  const shown = quoteInput(digits, 30);
  return {
    error:
      numericIdProblem(digits) === 'too_large'
        ? l10n.t('has page ID {0}, which is too large to be a Confluence page ID', shown)
        : l10n.t('has page ID {0}, which is not a valid page ID (page IDs start at 1)', shown),
  };
}

function withSpace(info: Omit<PathInfo, 'spaceKey'>, key: string): PathInfo {
  const problem = spaceKeyProblem(key);
  return problem ? { ...info, error: problem } : { ...info, spaceKey: key };
}

function withPage(info: Omit<PathInfo, 'pageId'>, digits: string): PathInfo {
  const page = pageIdFrom(digits);
  return 'id' in page ? { ...info, pageId: page.id } : { ...info, error: page.error };
}

/**
 * Reads a Confluence path (segments after the wiki root, already decoded).
 * Returns `undefined` when the path is not a known Confluence form.
 */
function readConfluencePath(segments: readonly string[], query: URLSearchParams): PathInfo | undefined {
  const [first = '', second, third, fourth] = segments;
  const head = first.toLowerCase();

  if (head === 'spaces' && second !== undefined) {
    if (second.toLowerCase() === 'viewspace.action') {
      const key = query.get('key') ?? query.get('spaceKey');
      return key === null ? undefined : withSpace({ form: 'space', modern: false }, key);
    }
    const tail = (third ?? '').toLowerCase();
    if (tail === 'pages' && fourth !== undefined) {
      // pages/123/Title, and the editor's pages/edit-v2/123, pages/edit/123, pages/resumedraft/123.
      const info = withSpace({ form: 'page', modern: true }, second);
      if (info.error) return info;
      const idSegment = /^\d+$/.test(fourth) ? fourth : segments[4];
      return idSegment !== undefined && /^\d+$/.test(idSegment)
        ? withPage(info, idSegment)
        : { ...info, error: l10n.t('has no page ID after "/pages/"') };
    }
    const info = withSpace({ form: 'space', modern: true }, second);
    if (info.error || PLAIN_SPACE_TAILS.has(tail)) return info;
    const what = spaceContentName(tail) ?? l10n.t("a space's {0} page", quoteInput(third ?? '', 30));
    return { ...info, note: l10n.t('links to {0}, not a page: only the space key was taken', what) };
  }

  if (head === 'x' && second === undefined) return { form: 'tiny', modern: true, error: l10n.t('is an incomplete tiny link (nothing after "/x/")') };
  if (head === 'x' && segments.length <= 3) {
    const id = decodeTinyLinkCode(second);
    return id === undefined
      ? { form: 'tiny', modern: true, error: l10n.t('is not a valid tiny link (the code {0} does not encode a page ID)', quoteInput(second, 20)) }
      : { form: 'tiny', modern: true, pageId: id, note: l10n.t('is a tiny link to page {0}', id) };
  }

  if (head === 'display' && second !== undefined) {
    const info = withSpace({ form: 'space', modern: false }, second);
    if (info.error || third === undefined || third === '') return info;
    return {
      ...info,
      note: l10n.t(
        'names its page by title, not by ID: only the space key was taken (open the page and copy the link from the address bar to get its page ID)',
      ),
    };
  }

  const pageIdParam = query.get('pageId');
  if (pageIdParam !== null) return withPage({ form: 'page', modern: false }, pageIdParam);

  if (head === 'pages' && second !== undefined && /\.action$/i.test(second)) {
    const key = query.get('spaceKey');
    if (key !== null) {
      const info = withSpace({ form: 'space', modern: false }, key);
      return info.error ? info : { ...info, note: l10n.t('names its page by title, not by ID: only the space key was taken') };
    }
  }
  return undefined;
}

function describeRecognised(info: PathInfo): string {
  const parts: string[] = [];
  if (info.spaceKey) parts.push(l10n.t('space {0}', info.spaceKey));
  if (info.pageId) parts.push(l10n.t('page {0}', info.pageId));
  return parts.length > 0 ? parts.join(', ') : l10n.t('a Confluence link');
}

/** Strips wrappers people paste links in: `<…>`, `(…)`, `"…"`, Markdown `[title](…)`, trailing punctuation. */
function unwrap(token: string): string {
  let text = token;
  const scheme = /https?:\/\//i.exec(text);
  if (scheme && scheme.index > 0) text = text.slice(scheme.index);
  text = text.replace(/^[<("'[]+/, '');
  // Trailing closers and sentence punctuation (a Confluence path never ends in them).
  text = text.replace(/[>)"'\].;:!]+$/, '');
  return text;
}

function parseOne(raw: string): TokenResult {
  const input = unwrap(raw);
  if (input === '') return { type: 'error', input: raw, why: l10n.t('is not a link') };

  if (/^\d+$/.test(input)) {
    const page = parseToken(input);
    if ('id' in page) return { type: 'ok', part: { input, form: 'page_id', pageId: page.id } };
    // The caller quotes the token before the reason.
    return { type: 'error', input, why: numberProblem(input) ?? page.error };
  }

  // Site-relative Cloud link: "/wiki/…".
  if (input.startsWith('/') && !input.startsWith('//')) {
    let url: URL;
    try {
      url = new URL(input, 'https://site.invalid');
    } catch {
      return { type: 'error', input, why: l10n.t('is not a URL') };
    }
    const segments = url.pathname.split('/').filter((s) => s !== '').map(safeDecode);
    if (segments[0]?.toLowerCase() !== 'wiki') {
      return { type: 'error', input, why: l10n.t('is only part of an address: paste the whole link, starting with https://') };
    }
    const info = readConfluencePath(segments.slice(1), url.searchParams);
    if (!info) return { type: 'error', input, why: l10n.t('is not a Confluence page or space link') };
    if (info.error) return { type: 'error', input, why: info.error };
    return okPart(input, info, undefined);
  }

  let text = input;
  if (/^\/\//.test(text)) text = `https:${text}`;
  else if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    // A bare host ("acme.atlassian.net/wiki/…", "localhost:8090/…")?
    if (!/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+|localhost|\[[0-9a-f:.]+\])(?::\d+)?(?:[/?#]|$)/i.test(text)) {
      return { type: 'error', input, why: l10n.t('is not a URL') };
    }
    text = `https://${text}`;
  }

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { type: 'error', input, why: l10n.t('is not a URL') };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { type: 'error', input, why: l10n.t('is not a web link (it starts with "{0}")', url.protocol) };
  }
  if (url.username !== '' || url.password !== '') {
    return { type: 'error', input, why: l10n.t('contains a user name or password: remove the part before "@"') };
  }

  const host = url.hostname;
  const segments = url.pathname.split('/').filter((s) => s !== '').map(safeDecode);
  const wikiFirst = segments[0]?.toLowerCase() === 'wiki';

  if (isCloudHost(host)) {
    let upgraded: string | undefined;
    if (url.protocol === 'http:') {
      url.protocol = 'https:';
      upgraded = l10n.t('used https:// instead of http:// (Atlassian Cloud sites use HTTPS)');
    }
    const site = siteOf(url);
    if (!site.ok) return { type: 'error', input, why: site.message };
    if (segments.length === 0) return okSite(input, site.value, upgraded, siteOnly());
    if (!wikiFirst) {
      const jira = ['jira', 'browse', 'secure', 'projects', 'servicedesk', 'issues'].includes(segments[0].toLowerCase());
      return {
        type: 'error',
        input,
        why: jira
          ? l10n.t('is a Jira link, not a Confluence one')
          : l10n.t('is not a Confluence page or space link (Confluence Cloud links contain "/wiki/")'),
      };
    }
    const info = readConfluencePath(segments.slice(1), url.searchParams);
    if (!info) return okSite(input, site.value, upgraded, l10n.t('has no space or page in it: only the site URL was taken'));
    if (info.error) return { type: 'error', input, why: info.error };
    return okPart(input, info, site.value, upgraded);
  }

  if (isLoopbackHost(host)) {
    const site = siteOf(url);
    if (!site.ok) return { type: 'error', input, why: site.message };
    const rest = wikiFirst ? segments.slice(1) : segments;
    if (rest.length === 0) return okSite(input, site.value, undefined, siteOnly());
    const info = readConfluencePath(rest, url.searchParams);
    if (!info) return { type: 'error', input, why: l10n.t('is not a Confluence page or space link') };
    if (info.error) return { type: 'error', input, why: info.error };
    return okPart(input, info, site.value);
  }

  // Any other host: Data Center / Server, or a Cloud site on a custom domain.
  if (url.protocol === 'https:' && wikiFirst) {
    const info = readConfluencePath(segments.slice(1), url.searchParams);
    if (info?.modern) {
      if (info.error) return { type: 'error', input, why: info.error };
      const site = siteOf(url);
      if (!site.ok) return { type: 'error', input, why: site.message };
      return okPart(
        input,
        info,
        site.value,
        l10n.t(
          'is not on an atlassian.net address: it can be used only if {0} is a custom domain of an Atlassian Cloud site (Data Center and Server sites cannot be added)',
          url.host,
        ),
      );
    }
  }
  // Look for a Confluence path under a context path of up to two segments ("/confluence/display/…").
  for (let at = 0; at <= Math.min(2, segments.length); at++) {
    const info = readConfluencePath(segments.slice(at), url.searchParams);
    if (info && !info.error) {
      return { type: 'data_center', input, site: `${url.protocol}//${url.host}${prefixPath(segments.slice(0, at))}`, info };
    }
    if (info?.error) return { type: 'error', input, why: info.error };
  }
  return { type: 'error', input, why: l10n.t('is not a Confluence page or space link') };
}

function prefixPath(segments: readonly string[]): string {
  return segments.map((s) => `/${encodeURIComponent(s)}`).join('');
}

function siteOf(url: URL): { ok: true; value: string } | { ok: false; message: string } {
  const result = normalizeSiteUrl(`${url.protocol}//${url.host}`);
  return result.ok ? result : { ok: false, message: l10n.t('has a site address that cannot be used: {0}', result.message) };
}

function joinNotes(...notes: (string | undefined)[]): string | undefined {
  const kept = notes.filter((n): n is string => n !== undefined && n !== '');
  return kept.length > 0 ? kept.join('; ') : undefined;
}

function okSite(input: string, siteUrl: string, extraNote: string | undefined, note: string): TokenResult {
  return { type: 'ok', part: { input, form: 'site', siteUrl }, note: joinNotes(extraNote, note) };
}

function okPart(input: string, info: PathInfo, siteUrl: string | undefined, extraNote?: string): TokenResult {
  const part: LinkPart = { input, form: info.form };
  if (siteUrl !== undefined) part.siteUrl = siteUrl;
  if (info.spaceKey !== undefined) part.spaceKey = info.spaceKey;
  if (info.pageId !== undefined) part.pageId = info.pageId;
  return { type: 'ok', part, note: joinNotes(extraNote, info.note) };
}

// --- Whole paste ---------------------------------------------------------------------

function fail(reason: LinkParseFailureReason, message: string, extra: Partial<LinkParseFailure> = {}): LinkParseFailure {
  return { ok: false, reason, message, ...extra };
}

/**
 * Parses pasted text holding one or several Confluence links (or page IDs).
 * Never throws; see the module comment for the accepted forms and decisions.
 */
export function parseConfluenceLinks(text: string): LinkParse {
  try {
    return parseAll(text);
  } catch {
    // Not reachable with the code above; a safety net for a parser fed arbitrary text.
    return fail('unparseable', `${l10n.t('The link could not be read.')} ${howToFix()}`);
  }
}

function parseAll(text: string): LinkParse {
  const source = typeof text === 'string' ? text : '';
  if (source.length > MAX_LINK_INPUT_LENGTH) {
    return fail('unparseable', `${l10n.t('The pasted text is too long ({0} characters): paste only Confluence links.', source.length)} ${howToFix()}`);
  }
  // Bullets and dashes of a pasted list ("- link", "• link") are not tokens.
  const tokens = tokenizePageIds(source).filter((t) => !/^[-<>()[\]"'.;:!|*•–—]+$/.test(t));
  if (tokens.length === 0) return fail('empty', `${l10n.t('Nothing to read.')} ${howToFix()}`);

  const results = tokens.map(parseOne);

  const dataCenter = results.filter((r): r is Extract<TokenResult, { type: 'data_center' }> => r.type === 'data_center');
  const errors = results.filter((r): r is Extract<TokenResult, { type: 'error' }> => r.type === 'error');

  if (dataCenter.length > 0) {
    const first = dataCenter[0];
    const others = dataCenter.length + errors.length - 1;
    const looksLike = l10n.t(
      '{0} looks like a link to a Confluence Data Center or Server site ({1}; recognised: {2}).',
      quoteInput(first.input),
      first.site,
      describeRecognised(first.info),
    );
    const alsoBad =
      others === 0 ? '' : ` ${others === 1 ? l10n.t('1 other link could not be used either.') : l10n.t('{0} other links could not be used either.', others)}`;
    const message = `${looksLike} ${cloudOnly()} ${l10n.t('If your team also has a Cloud site, paste a link from it.')}${alsoBad}`;
    const recognised: LinkParseFailure['recognised'] = { site: first.site };
    if (first.info.spaceKey !== undefined) recognised.spaceKey = first.info.spaceKey;
    if (first.info.pageId !== undefined) recognised.pageId = first.info.pageId;
    return fail('data_center', message, { invalidInputs: [...dataCenter, ...errors].map((r) => r.input), recognised });
  }

  if (errors.length > 0) {
    const shown = errors.slice(0, 3).map((e) => `${quoteInput(e.input)} ${e.why.replace(/[.\s]+$/, '')}`);
    const more = errors.length - shown.length;
    const what = errors.length === 1 ? shown[0] : more > 0 ? l10n.t('{0}; and {1} more', shown.join('; '), more) : shown.join('; ');
    return fail('unparseable', `${capitalize(what)}. ${howToFix()}`, { invalidInputs: errors.map((e) => e.input) });
  }

  const parts: LinkPart[] = [];
  const notes: string[] = [];
  for (const result of results) {
    if (result.type !== 'ok') continue;
    parts.push(result.part);
    if (result.note) notes.push(`${quoteInput(result.part.input)} ${result.note}.`);
  }

  const sites = unique(parts.map((p) => p.siteUrl).filter((s): s is string => s !== undefined), (s) => s.toLowerCase());
  if (sites.length > 1) {
    return fail(
      'mixed_sites',
      l10n.t('The links point to different Confluence sites ({0}). A library comes from one site: paste links from one site at a time.', sites.join(', ')),
    );
  }

  // Personal-space keys are case-sensitive; others are compared without case.
  const keyId = (key: string) => (key.startsWith('~') ? key : key.toUpperCase());
  const keys = unique(parts.map((p) => p.spaceKey).filter((k): k is string => k !== undefined), keyId);
  if (keys.length > 1) {
    return fail(
      'mixed_spaces',
      l10n.t('The links point to different spaces ({0}). A library is one space: paste links from one space at a time.', keys.join(', ')),
    );
  }

  const pageIds: string[] = [];
  const listed = new Set<string>();
  let duplicates = 0;
  for (const part of parts) {
    if (part.pageId === undefined) continue;
    if (listed.has(part.pageId)) duplicates += 1;
    else {
      listed.add(part.pageId);
      pageIds.push(part.pageId);
    }
  }
  if (duplicates > 0) {
    notes.push(
      duplicates === 1
        ? l10n.t('1 link pointed to a page already listed, so Page IDs has no duplicates.')
        : l10n.t('{0} links pointed to a page already listed, so Page IDs has no duplicates.', duplicates),
    );
  }
  const spaceKey = keys[0];
  if (spaceKey === undefined && pageIds.length > 0) {
    notes.push(l10n.t('The links do not name the space: fill in Space key yourself, or pick the space.'));
  }

  const result: LinkParseOk = {
    ok: true,
    kind: 'cloud',
    personalSpace: spaceKey?.startsWith('~') ?? false,
    pageIds,
    notes,
    links: parts,
  };
  if (sites[0] !== undefined) result.siteUrl = sites[0];
  if (spaceKey !== undefined) result.spaceKey = spaceKey;
  return result;
}

function unique<T>(items: readonly T[], identity: (item: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const id = identity(item);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(item);
  }
  return out;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
