/**
 * Parsing of the "Page IDs" field: numeric page IDs or Confluence page links,
 * separated by commas, whitespace or new lines.
 *
 * Browser-safe: no Node or VS Code imports (Base64 is done by hand so the
 * webview bundle needs neither Buffer nor atob).
 *
 * Accepted tokens:
 * - `123456` (leading zeros are dropped; 0 and values above 2^63-1 are rejected)
 * - `…/wiki/spaces/KEY/pages/123456/Title` (also `/pages/edit-v2/123456`)
 * - `…/pages/viewpage.action?pageId=123456` (any URL with a `pageId` query parameter)
 * - tiny links `…/wiki/x/CODE` or `…/x/CODE` (see {@link decodeTinyLinkCode})
 * Links may omit the scheme (`acme.atlassian.net/wiki/…`) or be site-relative (`/wiki/…`).
 * The result is de-duplicated, keeping the first occurrence's position.
 */
import * as l10n from '@vscode/l10n';
import { quoteInput } from './fields';

/** Confluence page IDs are Java longs. */
export const MAX_PAGE_ID = 9223372036854775807n;

export interface PageIdsResult {
  /** Valid page IDs, normalized and de-duplicated in input order. */
  ids: string[];
  /** One message per invalid token, each naming the token. */
  errors: string[];
  /** The invalid tokens themselves, in input order. */
  invalidTokens: string[];
}

type TokenResult = { id: string } | { error: string };

/**
 * Splits the raw text into tokens. Commas separate tokens, except that a piece
 * that is neither a number nor a link is glued back onto a preceding page link
 * that ends in a title segment or has a query string (titles and queries may
 * contain commas): `…/pages/1/A,B` stays one token, `…/x/CODE,abc` is two.
 */
export function tokenizePageIds(text: string): string[] {
  const tokens: string[] = [];
  for (const chunk of text.split(/\s+/)) {
    // Pieces are collected and joined once per token, and whether a token may hold commas is
    // decided from its first piece, so long pastes stay linear.
    let current: string[] | undefined;
    let gluesCommas = false;
    for (const piece of chunk.split(',')) {
      if (piece === '') continue;
      if (current !== undefined && gluesCommas && !/^\d+$/.test(piece) && !looksLikeLink(piece)) {
        current.push(piece);
        continue;
      }
      if (current !== undefined) tokens.push(current.join(','));
      current = [piece];
      gluesCommas = mayContainComma(piece);
    }
    if (current !== undefined) tokens.push(current.join(','));
  }
  return tokens;
}

/**
 * For a result of an array with entries that are neither text nor IDs: the labels ("item 2", in
 * the user's language) that stand for them in `invalidTokens`. Kept aside so results stay plain data.
 */
const itemLabels = new WeakMap<PageIdsResult, ReadonlySet<string>>();

/**
 * Parses free text (or an array of IDs / links, as found in an already-built
 * request) into page IDs.
 */
export function parsePageIds(input: string | readonly unknown[]): PageIdsResult {
  const tokens: string[] = [];
  const errors: string[] = [];
  const invalidTokens: string[] = [];
  /** The entries of `invalidTokens` that name an item of an array ("item 2"), not a token. */
  const items = new Set<string>();
  if (typeof input === 'string') {
    tokens.push(...tokenizePageIds(input));
  } else {
    input.forEach((item, index) => {
      if (typeof item === 'string') {
        tokens.push(...tokenizePageIds(item));
      } else if (typeof item === 'number' && Number.isSafeInteger(item) && item > 0) {
        tokens.push(String(item));
      } else {
        const shown = l10n.t('item {0}', index + 1);
        invalidTokens.push(shown);
        items.add(shown);
        errors.push(l10n.t('{0} is not a page ID (expected text such as "123456")', shown));
      }
    });
  }

  const seen = new Set<string>();
  const ids: string[] = [];
  for (const token of tokens) {
    const result = parseToken(token);
    if ('error' in result) {
      invalidTokens.push(token);
      errors.push(result.error);
    } else if (!seen.has(result.id)) {
      seen.add(result.id);
      ids.push(result.id);
    }
  }
  const result: PageIdsResult = { ids, errors, invalidTokens };
  if (items.size > 0) itemLabels.set(result, items);
  return result;
}

/** The single field message for a failed parse (what the form shows under "Page IDs"). */
export function pageIdsFieldMessage(result: PageIdsResult): string | undefined {
  if (result.errors.length === 0) return undefined;
  const howToFix = l10n.t('Enter numeric page IDs (e.g. 123456) or Confluence page links, separated by commas, spaces or new lines.');
  if (result.errors.length === 1) return `${l10n.t('Page IDs: {0}.', result.errors[0])} ${howToFix}`;
  const items = itemLabels.get(result);
  const shown = result.invalidTokens.slice(0, 3).map((t) => (items?.has(t) ? t : quoteInput(t, 40)));
  const more = result.invalidTokens.length - shown.length;
  const list = more > 0 ? l10n.t('{0} and {1} more', shown.join(', '), more) : shown.join(', ');
  return `${l10n.t('Page IDs: {0} are not page IDs or Confluence page links.', list)} ${howToFix}`;
}

/** Parses one token: a number, or a page link. */
export function parseToken(token: string): TokenResult {
  if (/^\d+$/.test(token)) return checkNumericId(token, token);
  if (looksLikeLink(token)) return pageIdFromLink(token);
  return { error: l10n.t('{0} is not a page ID or a Confluence page link', quoteInput(token)) };
}

function checkNumericId(digits: string, token: string): TokenResult {
  switch (numericIdProblem(digits)) {
    case 'too_large':
      return { error: l10n.t('{0} is too large to be a Confluence page ID', quoteInput(token)) };
    case 'zero':
      return { error: l10n.t('{0} is not a valid page ID (page IDs start at 1)', quoteInput(token)) };
    case undefined:
      return { id: digits.replace(/^0+(?=\d)/, '') };
  }
}

/** Why a string of digits is not a page ID (`undefined` when it is one). */
export function numericIdProblem(digits: string): 'too_large' | 'zero' | undefined {
  const normalized = digits.replace(/^0+(?=\d)/, '');
  if (digits.length > 25 || BigInt(normalized) > MAX_PAGE_ID) return 'too_large';
  if (normalized === '0') return 'zero';
  return undefined;
}

function mayContainComma(link: string): boolean {
  return /\/pages\/(?:edit-v2\/|edit\/)?\d+\/[^/?#]+/.test(link) || /\/display\/[^/]+\/[^/?#]+/.test(link) || link.includes('?');
}

function looksLikeLink(token: string): boolean {
  return token.includes('/') || /^https?:/i.test(token) || /[?&]pageId=/i.test(token);
}

function pageIdFromLink(token: string): TokenResult {
  let url: URL;
  try {
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(token)
      ? token
      : token.startsWith('/') || token.startsWith('?')
        ? `https://confluence.invalid${token.startsWith('?') ? '/' : ''}${token}`
        : `https://${token}`;
    url = new URL(absolute);
  } catch {
    return { error: l10n.t('{0} is not a page ID or a valid Confluence page link', quoteInput(token)) };
  }

  const queryId = url.searchParams.get('pageId');
  if (queryId !== null) {
    return /^\d+$/.test(queryId)
      ? checkNumericId(queryId, token)
      : { error: l10n.t('{0} has a pageId that is not a number', quoteInput(token)) };
  }

  const path = url.pathname;
  const pageMatch = /\/pages\/(?:edit-v2\/|edit\/)?(\d+)(?:\/|$)/.exec(path);
  if (pageMatch) return checkNumericId(pageMatch[1], token);

  const tinyMatch = /(?:^|\/)x\/([A-Za-z0-9_-]+)\/?$/.exec(path);
  if (tinyMatch) {
    const id = decodeTinyLinkCode(tinyMatch[1]);
    return id !== undefined ? { id } : { error: l10n.t('{0} is not a valid Confluence tiny link', quoteInput(token)) };
  }

  if (/\/spaces\/[^/]+(?:\/(?:overview)?)?$/.test(path) || /\/display\/[^/]+\/?$/.test(path)) {
    return {
      error: l10n.t('{0} links to a whole space, not a page (leave Page IDs empty to add the whole space)', quoteInput(token)),
    };
  }
  return { error: l10n.t('{0} is not a Confluence page link (no page ID found in it)', quoteInput(token)) };
}

// --- Tiny links ------------------------------------------------------------
//
// A Confluence tiny link `/wiki/x/CODE` encodes the page ID as: the ID's
// 8 little-endian bytes, Base64-encoded, with trailing `A`s and `=`s removed
// and `+` replaced by `_`, `/` by `-`. (Trailing `A`s are zero bits from the
// high bytes, so decoding pads them back.)

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODE_LENGTH = 11; // ceil(64 bits / 6)

/** Encodes a page ID as a tiny-link code (the part after `/x/`). */
export function encodeTinyLinkCode(pageId: string | bigint): string {
  const value = typeof pageId === 'bigint' ? pageId : BigInt(pageId);
  if (value < 1n || value > MAX_PAGE_ID) throw new RangeError(`Not a page ID: ${String(pageId)}`);
  // Bit stream of the LE bytes, most significant bit of each byte first.
  let bits = '';
  for (let i = 0n; i < 8n; i++) {
    bits += Number((value >> (8n * i)) & 0xffn)
      .toString(2)
      .padStart(8, '0');
  }
  bits = bits.padEnd(CODE_LENGTH * 6, '0');
  let code = '';
  for (let i = 0; i < bits.length; i += 6) code += BASE64[parseInt(bits.slice(i, i + 6), 2)];
  return code.replace(/A+$/, '').replace(/\+/g, '_').replace(/\//g, '-');
}

/** Decodes a tiny-link code into a page ID, or `undefined` if it is not a valid code. */
export function decodeTinyLinkCode(code: string): string | undefined {
  const trimmed = code.replace(/=+$/, '');
  if (trimmed === '' || trimmed.length > CODE_LENGTH || !/^[A-Za-z0-9_-]+$/.test(trimmed)) return undefined;
  const standard = trimmed.replace(/_/g, '+').replace(/-/g, '/').padEnd(CODE_LENGTH, 'A');
  let bits = '';
  for (const char of standard) bits += BASE64.indexOf(char).toString(2).padStart(6, '0');
  if (/1/.test(bits.slice(64))) return undefined; // bits beyond the 8 bytes must be zero
  let value = 0n;
  for (let i = 0; i < 8; i++) value |= BigInt(parseInt(bits.slice(i * 8, i * 8 + 8), 2)) << BigInt(8 * i);
  if (value < 1n || value > MAX_PAGE_ID) return undefined;
  return value.toString();
}
