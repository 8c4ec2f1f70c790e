/**
 * The one redaction utility: every log line and every user-facing error
 * message passes through {@link redact} before it leaves the core.
 *
 * Browser-safe, no imports.
 */

export const REDACTED = '***';

/** Secrets shorter than this are not replaced verbatim (a 1-character "secret" would shred every message). */
const MIN_SECRET_LENGTH = 4;

/** Anything shaped like a Context7 API key (`ctx7sk-…` / `ctx7sk_…`). */
const CONTEXT7_KEY = /ctx7sk[-_][A-Za-z0-9_-]+/g;
/**
 * `Authorization` credentials: `Bearer <token>` and `Basic <base64>` (the latter
 * only when base64-shaped, so prose such as "Basic plan" survives).
 */
const BEARER = /\b(Bearer)(\s+|%20|\+)[A-Za-z0-9._~+/=-]{3,}/gi;
const BASIC = /\b(Basic)(\s+|%20|\+)[A-Za-z0-9+/]{8,}={0,2}/gi;
/** `token=…`, `api_key: …`, `"password":"…"` style pairs. */
const SECRET_PAIR =
  /(["']?\b(?:api[_-]?key|apikey|access[_-]?token|token|password|secret)["']?\s*[:=]\s*["']?)([^\s"'&,;}]+)/gi;

/**
 * Removes the given secrets (verbatim and URL-encoded) and anything that looks
 * like a Context7 key, a `Bearer`/`Basic` credential or a `token=…` pair.
 * Idempotent: redacting twice gives the same text as redacting once.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = String(text);
  const candidates = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string') continue;
    for (const form of [secret, secret.trim()]) {
      if (form.length < MIN_SECRET_LENGTH) continue;
      candidates.add(form);
      candidates.add(encodeURIComponent(form));
    }
  }
  // Longest first, so a secret that contains another is removed whole.
  for (const secret of [...candidates].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(CONTEXT7_KEY, `ctx7sk-${REDACTED}`)
    .replace(BEARER, (_match, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(BASIC, (_match, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(SECRET_PAIR, (_match, prefix: string) => `${prefix}${REDACTED}`);
}

/** A redactor bound to a fixed set of secrets. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const fixed = [...secrets];
  return (text) => redact(text, fixed);
}
