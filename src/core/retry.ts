/**
 * Retry and backoff policy, independent of Context7: the Confluence REST client
 * can reuse {@link runWithRetry} and the header parsers as they are.
 *
 * Delay before a retry, in order of preference:
 * 1. `Retry-After` (delta seconds, or an HTTP date; anything else is ignored);
 * 2. `RateLimit-Reset` (a Unix timestamp in seconds; small values are taken as
 *    delta seconds, as in the IETF RateLimit draft; millisecond timestamps are tolerated);
 * 3. exponential backoff with "equal jitter": base·2^(n-1), capped, then a random
 *    point in its upper half (never a near-zero wait).
 *
 * Bounds: at most `maxAttempts` attempts, and at most `maxWaitMs` spent waiting
 * in total. A server-requested delay that does not fit in the remaining budget
 * is not waited at all (waiting part of it would only earn another 429): the run
 * stops at once with a `wait_too_long` give-up so the caller can explain it.
 * Our own backoff delays are shortened to fit the remaining budget.
 *
 * No Node or VS Code imports.
 */
import * as l10n from '@vscode/l10n';
import { isAbortError, type Clock } from './clock';

export interface RetryPolicy {
  /** Total attempts, including the first (≥ 1). */
  maxAttempts: number;
  /** Total time spent waiting between attempts, in ms. */
  maxWaitMs: number;
  /** First backoff delay, in ms. */
  baseDelayMs: number;
  /** Largest single backoff delay, in ms. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 4,
  maxWaitMs: 120_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

export type WaitReason = 'rate_limited' | 'server_error' | 'gateway_timeout' | 'network';
export type ServerDelaySource = 'Retry-After' | 'RateLimit-Reset';
export type DelaySource = ServerDelaySource | 'backoff';

export interface ServerDelay {
  ms: number;
  source: ServerDelaySource;
}

/** What an attempt asks for when it wants to be retried. */
export interface RetryRequest {
  reason: WaitReason;
  /** The delay the server asked for, if any. */
  serverDelay?: ServerDelay;
  /** At most this many retries for this reason in one run (e.g. 1 for a 504). */
  maxRetries?: number;
}

/** An attempt's result: final, or retryable (then `value` is what the run returns if it gives up). */
export interface AttemptOutcome<T> {
  value: T;
  retry?: RetryRequest;
}

export type GiveUp =
  | { why: 'max_attempts'; attempts: number }
  | { why: 'retry_limit'; reason: WaitReason; maxRetries: number }
  | { why: 'wait_too_long'; requestedMs: number; remainingMs: number; source: ServerDelaySource; retryAt: number }
  | { why: 'budget_exhausted'; waitedMs: number; maxWaitMs: number };

export interface WaitTick {
  reason: WaitReason;
  secondsLeft: number;
  /** The attempt that will be sent when the wait ends. */
  attempt: number;
  maxAttempts: number;
}

export interface ScheduledRetry {
  reason: WaitReason;
  delayMs: number;
  source: DelaySource;
  nextAttempt: number;
  maxAttempts: number;
}

export interface RetryOptions<T> {
  policy: RetryPolicy;
  clock: Clock;
  signal?: AbortSignal;
  random?: () => number;
  /** Performs attempt number `attempt` (1-based). Should not throw. */
  attempt(attempt: number): Promise<AttemptOutcome<T>>;
  /** About once per second while waiting, as a countdown. */
  onWait?(tick: WaitTick): void;
  /** Once per retry, before its wait starts (for logging). */
  onRetryScheduled?(retry: ScheduledRetry): void;
}

export type RetryRun<T> =
  | { cancelled: false; value: T; attempts: number; waitedMs: number; giveUp?: GiveUp }
  | { cancelled: true; attempts: number; waitedMs: number; last?: T };

/** Runs attempts until one is final, the bounds are reached, or `signal` aborts. */
export async function runWithRetry<T>(options: RetryOptions<T>): Promise<RetryRun<T>> {
  const policy = sanitizePolicy(options.policy);
  const { clock, signal } = options;
  const random = options.random ?? Math.random;
  const retriesByReason = new Map<WaitReason, number>();
  let attempts = 0;
  let waitedMs = 0;
  let last: T | undefined;

  for (;;) {
    if (signal?.aborted) return { cancelled: true, attempts, waitedMs, last };
    attempts += 1;
    const outcome = await options.attempt(attempts);
    last = outcome.value;
    const retry = outcome.retry;
    if (!retry) return { cancelled: false, value: outcome.value, attempts, waitedMs };
    const done = (giveUp: GiveUp): RetryRun<T> => ({ cancelled: false, value: outcome.value, attempts, waitedMs, giveUp });

    const used = retriesByReason.get(retry.reason) ?? 0;
    if (retry.maxRetries !== undefined && used >= retry.maxRetries) {
      return done({ why: 'retry_limit', reason: retry.reason, maxRetries: retry.maxRetries });
    }
    if (attempts >= policy.maxAttempts) return done({ why: 'max_attempts', attempts });

    const remainingMs = Math.max(0, policy.maxWaitMs - waitedMs);
    let delayMs: number;
    let source: DelaySource;
    if (retry.serverDelay) {
      if (retry.serverDelay.ms > remainingMs) {
        return done({
          why: 'wait_too_long',
          requestedMs: retry.serverDelay.ms,
          remainingMs,
          source: retry.serverDelay.source,
          retryAt: clock.now() + retry.serverDelay.ms,
        });
      }
      delayMs = retry.serverDelay.ms;
      source = retry.serverDelay.source;
    } else {
      if (remainingMs <= 0) return done({ why: 'budget_exhausted', waitedMs, maxWaitMs: policy.maxWaitMs });
      delayMs = Math.min(backoffDelayMs(attempts, policy, random), remainingMs);
      source = 'backoff';
    }

    retriesByReason.set(retry.reason, used + 1);
    options.onRetryScheduled?.({ reason: retry.reason, delayMs, source, nextAttempt: attempts + 1, maxAttempts: policy.maxAttempts });
    try {
      await countdown(delayMs, clock, signal, (secondsLeft) =>
        options.onWait?.({ reason: retry.reason, secondsLeft, attempt: attempts + 1, maxAttempts: policy.maxAttempts }),
      );
    } catch (err) {
      if (signal?.aborted || isAbortError(err)) return { cancelled: true, attempts, waitedMs, last };
      throw err;
    }
    waitedMs += delayMs;
  }
}

/**
 * Sleeps `totalMs` in steps that end on whole seconds left, calling `tick`
 * with the seconds left before each step (3, 2, 1 for 2.5 s).
 */
export async function countdown(
  totalMs: number,
  clock: Clock,
  signal: AbortSignal | undefined,
  tick: (secondsLeft: number) => void,
): Promise<void> {
  let remaining = totalMs;
  while (remaining > 0) {
    const secondsLeft = Math.ceil(remaining / 1000);
    tick(secondsLeft);
    const step = remaining - (secondsLeft - 1) * 1000;
    await clock.sleep(step, signal);
    remaining -= step;
  }
}

/** Backoff before retry number `retry` (1-based): equal jitter over base·2^(retry-1), capped at maxDelayMs. */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
}

function sanitizePolicy(policy: RetryPolicy): RetryPolicy {
  const num = (value: number, fallback: number) => (Number.isFinite(value) && value >= 0 ? value : fallback);
  return {
    maxAttempts: Math.max(1, Math.floor(num(policy.maxAttempts, DEFAULT_RETRY_POLICY.maxAttempts))),
    maxWaitMs: num(policy.maxWaitMs, DEFAULT_RETRY_POLICY.maxWaitMs),
    baseDelayMs: num(policy.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs),
    maxDelayMs: num(policy.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs),
  };
}

// --- Headers -------------------------------------------------------------------

/** Anything headers can be read from: a fetch `Headers`, or a plain record (any key case). */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

export function getHeader(headers: HeaderSource | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const wanted = name.toLowerCase();
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== wanted) continue;
    const value = record[key];
    return typeof value === 'string' ? value : value?.join(', ');
  }
  return undefined;
}

const NUMBER = /^\d+(?:\.\d+)?$/;
/** `delta-seconds` of RFC 9110: digits only (no sign, no fraction, no exponent). */
const DELTA_SECONDS = /^\d+$/;
/**
 * Largest delay taken from a header: 2^31 seconds, the value RFC 9111 (§1.2.2)
 * uses for an overflowing delta-seconds. It keeps a 400-digit header from becoming
 * `Infinity` (and a "try again after Invalid Date" message); the retry loop still
 * refuses to wait that long and explains why.
 */
export const MAX_SERVER_DELAY_MS = 2 ** 31 * 1000;

/**
 * `Retry-After` in ms from `nowMs`: delta seconds or an HTTP date (past dates give 0).
 * Anything else is ignored (`undefined`), so the caller falls back to
 * `RateLimit-Reset` or backoff. `Date.parse` is not used: it accepts junk such as
 * "soon 5" as a date in the past, which would mean retrying at once.
 */
export function parseRetryAfter(value: string | undefined | null, nowMs: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (DELTA_SECONDS.test(text)) return Math.min(MAX_SERVER_DELAY_MS, Number(text) * 1000);
  const at = parseHttpDate(text, nowMs);
  return at === undefined ? undefined : Math.min(MAX_SERVER_DELAY_MS, Math.max(0, at - nowMs));
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = DAY_NAMES.join('|');
const MONTH = MONTHS.join('|');
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^(?:${DAY}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete) */
const RFC850_DATE = new RegExp(`^(?:${LONG_DAY_NAMES.join('|')}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`);
/** `Sun Nov  6 08:49:37 1994` (obsolete; the day is space-padded) */
const ASCTIME_DATE = new RegExp(`^(?:${DAY}) (${MONTH}) ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/**
 * An `HTTP-date` of RFC 9110 §5.6.7 in epoch ms: the IMF-fixdate, or one of the two
 * obsolete forms recipients must still accept. Case-sensitive, as the grammar is.
 * Impossible dates (31 Feb, 25:00) are rejected rather than rolled over. The day
 * name is not checked against the date (RFC 9110 does not ask recipients to).
 * A two-digit RFC 850 year more than 50 years ahead of `nowMs` is in the past century.
 */
export function parseHttpDate(text: string, nowMs: number): number | undefined {
  let m: RegExpExecArray | null;
  let day: string, month: string, year: number, time: [string, string, string];
  if ((m = IMF_FIXDATE.exec(text))) {
    [day, month, year, time] = [m[1], m[2], Number(m[3]), [m[4], m[5], m[6]]];
  } else if ((m = RFC850_DATE.exec(text))) {
    const nowYear = new Date(nowMs).getUTCFullYear();
    year = Math.floor(nowYear / 100) * 100 + Number(m[3]);
    if (year > nowYear + 50) year -= 100;
    [day, month, time] = [m[1], m[2], [m[4], m[5], m[6]]];
  } else if ((m = ASCTIME_DATE.exec(text))) {
    [month, day, time, year] = [m[1], m[2], [m[3], m[4], m[5]], Number(m[6])];
  } else {
    return undefined;
  }
  const [d, mon, h, min, s] = [Number(day.trim()), MONTHS.indexOf(month), Number(time[0]), Number(time[1]), Number(time[2])];
  // 60 seconds is a leap second: allowed by the grammar, counted as the next minute.
  if (h > 23 || min > 59 || s > 60) return undefined;
  const at = Date.UTC(year, mon, d, h, min, s);
  const check = new Date(Date.UTC(year, mon, d));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== mon || check.getUTCDate() !== d) return undefined;
  return at;
}

/** Values below this are delta seconds, not Unix timestamps (1e9 s ≈ September 2001). */
const UNIX_SECONDS_FLOOR = 1e9;
/** Values at or above this are Unix timestamps in milliseconds. */
const UNIX_MILLIS_FLOOR = 1e12;

/** `RateLimit-Reset` in ms from `nowMs`. */
export function parseRateLimitReset(value: string | undefined | null, nowMs: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  let ms: number;
  if (n >= UNIX_MILLIS_FLOOR) ms = n - nowMs;
  else if (n >= UNIX_SECONDS_FLOOR) ms = n * 1000 - nowMs;
  else ms = n * 1000;
  return Math.min(MAX_SERVER_DELAY_MS, Math.max(0, Math.round(ms)));
}

/** The delay a response asks for: `Retry-After` first, then `RateLimit-Reset`. */
export function serverRetryDelay(headers: HeaderSource | undefined, nowMs: number): ServerDelay | undefined {
  const retryAfter = parseRetryAfter(getHeader(headers, 'retry-after'), nowMs);
  if (retryAfter !== undefined) return { ms: retryAfter, source: 'Retry-After' };
  const reset = parseRateLimitReset(getHeader(headers, 'ratelimit-reset'), nowMs);
  if (reset !== undefined) return { ms: reset, source: 'RateLimit-Reset' };
  return undefined;
}

/** "200 ms", "45 seconds", "3 minutes", "about 24 hours" (in the user's language). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return l10n.t('{0} ms', Math.max(0, Math.round(ms)));
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds === 1) return l10n.t('1 second');
  if (seconds < 90) return l10n.t('{0} seconds', seconds);
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return l10n.t('{0} minutes', minutes);
  const hours = Math.round(minutes / 60);
  if (hours < 48) return l10n.t('about {0} hours', hours);
  return l10n.t('about {0} days', Math.round(hours / 24));
}
