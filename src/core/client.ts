/**
 * The Context7 client: `POST /v2/add/confluence` with validation, retries,
 * cancellation, timeout, redaction and logging.
 *
 * No VS Code import: `fetch` and the clock are injected. In the extension host,
 * pass the global `fetch`, which honours VS Code's proxy settings.
 *
 * `addConfluenceSpace` never throws for anything the outside world does (bad
 * input, bad settings, network, server): it resolves to a typed result.
 *
 * Decisions:
 * - Order of local checks: cancelled signal, request validation, API key, API URL.
 *   A missing/blank key is a `invalid_api_key` failure with code `missing_api_key`
 *   (a key with spaces or non-ASCII characters: code `malformed_api_key`), action setApiKey.
 * - Retries: 429 (server delay or backoff), 500/502/503 (backoff, or the server's
 *   Retry-After), 504 (once), connection refused/reset/connect-timeout/unreachable
 *   (backoff). DNS and TLS failures are not retried (retrying will not fix them).
 *   The client timeout is not retried: the server may still be working on it.
 * - A 409 after an attempt whose fate is unknown (a 504, or a connection reset after
 *   the request went out) means our earlier attempt was accepted: the result is
 *   `{ ok: true, alreadyProcessing: true }`, not a duplicate error. Any other failure
 *   that ends such a run says the space may already have been submitted and points
 *   at the dashboard, instead of inviting a plain retry.
 * - Every text of a failure (message, server message and code, field errors) passes
 *   through the redactor, not only the message.
 * - The request timeout uses real timers (it bounds real I/O, see ./http); waits
 *   between attempts use the injected clock.
 * - Redirects are not followed (`redirect: 'manual'`), so the key and body are never
 *   re-sent to another address; a 3xx becomes an `unexpected_status` failure.
 */
import * as l10n from '@vscode/l10n';
import { addConfluenceEndpoint, ApiUrlError } from './apiUrl';
import { systemClock, type Clock } from './clock';
import {
  classifyAddConfluenceResponse,
  describeNetworkFault,
  DASHBOARD_URL,
  MAX_ATTEMPTS_SETTING,
  MAX_WAIT_SETTING,
  redactFailure,
  submittedMessage,
  TIMEOUT_SETTING,
  truncate,
  type Failure,
  type FailureInfo,
  type FailureKind,
} from './errors';
import { exchange } from './http';
import { redact } from './redact';
import {
  DEFAULT_RETRY_POLICY,
  formatDuration,
  runWithRetry,
  type AttemptOutcome,
  type GiveUp,
  type RetryPolicy,
  type WaitReason,
} from './retry';
import { describeFieldErrors, erroredFields, validateDraft, type AddConfluenceRequest, type AddSpaceDraft } from './schema';

export { systemClock, type Clock } from './clock';
export type { Failure, FailureAction, FailureKind, NetworkFault } from './errors';

export type Progress =
  | { kind: 'sending'; attempt: number; maxAttempts: number }
  | { kind: 'waiting'; reason: WaitReason; secondsLeft: number; attempt: number; maxAttempts: number };

export type AddResult =
  | { ok: true; libraryName: string; message: string; alreadyProcessing?: false; attempts: number }
  | { ok: true; alreadyProcessing: true; libraryName?: undefined; message: string; attempts: number }
  | { ok: false; failure: Failure };

export interface ClientOptions {
  apiKey: string;
  apiUrl: string;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Per attempt, covering the whole answer (headers and body). Default 60000. */
  timeoutMs?: number;
  /** Default 4. */
  maxAttempts?: number;
  /** Total waiting budget between attempts. Default 120000. */
  maxWaitMs?: number;
}

export type LogLevel = 'info' | 'warn' | 'error' | 'debug';

export interface ClientDeps {
  fetch: typeof fetch;
  clock?: Clock;
  userAgent: string;
  log?: (level: LogLevel, line: string) => void;
  random?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
/** The message of an `alreadyProcessing` result, in the user's language. */
export function alreadyProcessingMessage(): string {
  return l10n.t(
    'The Confluence space was submitted and is already being processed by Context7 (an earlier attempt timed out or was cut off, but Context7 had received it).',
  );
}

/** Ends a failure that followed an attempt Context7 may have accepted (a reset after sending, a 504). */
export function maybeSubmittedAdvice(): string {
  return l10n.t('The space may already have been submitted: check the Context7 dashboard before trying again.');
}

// Their English texts: computed as the module loads, before an l10n bundle can be configured.
export const ALREADY_PROCESSING_MESSAGE = alreadyProcessingMessage();
export const MAYBE_SUBMITTED_ADVICE = maybeSubmittedAdvice();

/** `context7-confluence/0.1.0 VSCode/1.100.3` (characters not allowed in a header token are replaced). */
export function userAgent(extVersion: string, vscodeVersion: string): string {
  const token = (value: string) => String(value ?? '').trim().replace(/[^A-Za-z0-9.+_-]/g, '_') || 'unknown';
  return `context7-confluence/${token(extVersion)} VSCode/${token(vscodeVersion)}`;
}

/** What one attempt produced; turned into an {@link AddResult} at the end. */
type Step =
  | { type: 'success'; libraryName: string; message: string }
  | { type: 'alreadyProcessing' }
  | { type: 'failure'; failure: FailureInfo };

export class Context7Client {
  private readonly clock: Clock;

  constructor(private readonly deps: ClientDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  async addConfluenceSpace(input: AddConfluenceRequest | AddSpaceDraft, options: ClientOptions): Promise<AddResult> {
    const apiKey = typeof options.apiKey === 'string' ? options.apiKey.trim() : '';
    const clean = (text: string) => redact(text, [apiKey, options.apiKey]);
    const log = (level: LogLevel, line: string) => {
      try {
        this.deps.log?.(level, clean(line));
      } catch {
        // A logging problem must not change the outcome.
      }
    };
    const progress = (p: Progress) => {
      try {
        options.onProgress?.(p);
      } catch {
        // Same for a progress listener.
      }
    };
    const finish = (info: FailureInfo, attempts: number): AddResult => {
      const redacted = redactFailure(info, clean);
      const failure: Failure = { ...redacted, message: redacted.message || l10n.t('The request failed.'), attempts };
      const level: LogLevel = failure.kind === 'cancelled' ? 'info' : failure.kind === 'validation' && attempts === 0 ? 'warn' : 'error';
      log(level, `Add Confluence space failed: ${failure.kind}${failure.status ? ` (HTTP ${failure.status})` : ''}: ${failure.message}`);
      return { ok: false, failure };
    };

    if (options.signal?.aborted) return finish(cancelled(false), 0);

    const validation = validateDraft(input);
    if (!validation.ok) {
      const fields = erroredFields(validation.errors);
      return finish(
        {
          kind: 'validation',
          code: 'invalid_request',
          message: describeFieldErrors(validation.errors),
          field: fields[0],
          fieldErrors: validation.errors,
          actions: ['openForm'],
        },
        0,
      );
    }
    const request = validation.request;

    if (apiKey === '') {
      return finish(
        {
          kind: 'invalid_api_key',
          code: 'missing_api_key',
          message: l10n.t('No Context7 API key is set. Run "Context7: Set API Key" and paste a key from {0}.', DASHBOARD_URL),
          actions: ['setApiKey'],
          url: DASHBOARD_URL,
        },
        0,
      );
    }
    if (!/^[\x21-\x7e]+$/.test(apiKey)) {
      return finish(
        {
          kind: 'invalid_api_key',
          code: 'malformed_api_key',
          message: l10n.t(
            'The Context7 API key contains spaces or characters that cannot be sent. Run "Context7: Set API Key" and paste the key exactly as shown in the dashboard.',
          ),
          actions: ['setApiKey'],
          url: DASHBOARD_URL,
        },
        0,
      );
    }

    let url: string;
    try {
      url = addConfluenceEndpoint(options.apiUrl);
    } catch (err) {
      const message = err instanceof ApiUrlError ? err.message : l10n.t('The Context7 API URL is not valid: {0}', String(err));
      return finish({ kind: 'invalid_config', code: 'invalid_api_url', message, actions: ['showLog'] }, 0);
    }
    const host = hostOf(url);

    const policy: RetryPolicy = {
      ...DEFAULT_RETRY_POLICY,
      maxAttempts: clampInt(options.maxAttempts, DEFAULT_RETRY_POLICY.maxAttempts, 1, 100),
      maxWaitMs: clampNumber(options.maxWaitMs, DEFAULT_RETRY_POLICY.maxWaitMs, 0, Number.MAX_SAFE_INTEGER),
    };
    const timeoutMs = clampNumber(options.timeoutMs, DEFAULT_TIMEOUT_MS, 1, 2_147_483_647);
    const body = JSON.stringify(request);
    const headers = {
      Authorization: `Bearer ${apiKey}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': this.deps.userAgent,
    };
    log('debug', `Request body: ${body}`);

    // Set once an attempt may have reached Context7 without us learning the outcome.
    let mayHaveBeenAccepted = false;

    const attempt = async (n: number): Promise<AttemptOutcome<Step>> => {
      progress({ kind: 'sending', attempt: n, maxAttempts: policy.maxAttempts });
      const result = await exchange(
        this.deps.fetch,
        url,
        // Redirects are not followed: the key and body must not be re-sent elsewhere.
        { method: 'POST', headers, body, redirect: 'manual' },
        { timeoutMs, signal: options.signal, now: () => this.clock.now() },
      );
      const suffix = `(${result.durationMs} ms, attempt ${n}/${policy.maxAttempts})`;

      switch (result.type) {
        case 'cancelled':
          log('warn', `POST ${url} -> cancelled ${suffix}`);
          return { value: { type: 'failure', failure: cancelled(true) } };

        case 'timeout':
          log('warn', `POST ${url} -> no answer within ${timeoutMs} ms ${suffix}`);
          return {
            value: {
              type: 'failure',
              failure: {
                kind: 'timeout',
                code: 'client_timeout',
                message: `${l10n.t('Context7 did not answer within {0} (setting "{1}").', formatDuration(timeoutMs), TIMEOUT_SETTING)} ${l10n.t(
                  'The space may still have been submitted: check the Context7 dashboard before trying again, or raise the setting.',
                )}`,
                actions: ['openDashboard', 'retry', 'showLog'],
                url: DASHBOARD_URL,
              },
            },
          };

        case 'fault': {
          const { fault } = result;
          log('warn', `POST ${url} -> failed: ${fault.fault}${fault.code ? ` ${fault.code}` : ''}: ${fault.detail} ${suffix}`);
          // A reset may come after Context7 received the request.
          if (fault.fault === 'reset') mayHaveBeenAccepted = true;
          const value: Step = {
            type: 'failure',
            failure: {
              kind: 'network',
              ...(fault.code ? { code: fault.code } : {}),
              fault: fault.fault,
              message: describeNetworkFault(fault, host, undefined, { mayHaveBeenReceived: fault.fault === 'reset' }),
              actions: ['retry', 'showLog'],
            },
          };
          return fault.retryable ? { value, retry: { reason: 'network' } } : { value };
        }

        case 'response': {
          log(result.status < 400 ? 'info' : 'warn', `POST ${url} -> ${result.status} ${suffix}`);
          if (result.status >= 300 && result.bodyText.trim() !== '') {
            log('debug', `Response body: ${truncate(result.bodyText.replace(/\s+/g, ' '), 500)}`);
          }
          const outcome = classifyAddConfluenceResponse({
            status: result.status,
            statusText: result.statusText,
            headers: result.headers,
            bodyText: result.bodyText,
            nowMs: this.clock.now(),
          });
          if (outcome.ok) return { value: { type: 'success', libraryName: outcome.libraryName, message: outcome.message } };
          if (outcome.failure.kind === 'duplicate' && mayHaveBeenAccepted) return { value: { type: 'alreadyProcessing' } };
          if (result.status === 504) mayHaveBeenAccepted = true;
          const value: Step = { type: 'failure', failure: outcome.failure };
          return outcome.retry ? { value, retry: outcome.retry } : { value };
        }
      }
    };

    let run;
    try {
      run = await runWithRetry<Step>({
        policy,
        clock: this.clock,
        signal: options.signal,
        random: this.deps.random,
        attempt,
        onWait: (tick) => progress({ kind: 'waiting', ...tick }),
        onRetryScheduled: (r) =>
          log(
            'info',
            `Retrying in ${formatDuration(r.delayMs)} (${r.reason}; delay from ${r.source}), attempt ${r.nextAttempt}/${r.maxAttempts}`,
          ),
      });
    } catch (err) {
      // Only reachable if the injected fetch or clock misbehaves.
      log('error', `Unexpected error: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }

    if (run.cancelled) {
      log('info', 'Cancelled while waiting to retry');
      return finish(cancelled(mayHaveBeenAccepted), run.attempts);
    }
    const step = run.value;
    if (step.type === 'success') {
      log('info', `Submitted as ${step.libraryName} after ${run.attempts} attempt(s)`);
      return {
        ok: true,
        libraryName: step.libraryName,
        message: clean(step.message.trim()) || submittedMessage(),
        attempts: run.attempts,
      };
    }
    if (step.type === 'alreadyProcessing') {
      log('info', `Already being processed (409 after an unconfirmed attempt), ${run.attempts} attempt(s)`);
      return { ok: true, alreadyProcessing: true, message: alreadyProcessingMessage(), attempts: run.attempts };
    }
    const info = run.giveUp ? explainGiveUp(step.failure, run.giveUp, run.attempts, policy, mayHaveBeenAccepted) : step.failure;
    return finish(mayHaveBeenAccepted ? warnMaybeSubmitted(info) : info, run.attempts);
  }
}

function cancelled(maybeSubmitted: boolean): FailureInfo {
  return {
    kind: 'cancelled',
    code: 'cancelled',
    message: maybeSubmitted
      ? l10n.t('Cancelled. The request may already have reached Context7: check the Context7 dashboard before trying again.')
      : l10n.t('Cancelled. Nothing was added.'),
    actions: [],
  };
}

/**
 * Failures that say nothing about the fate of an earlier attempt. When one ends a run
 * after an attempt that may have been accepted (a reset after sending, a 504), it
 * gets {@link MAYBE_SUBMITTED_ADVICE}. The others either say so already (timeout,
 * 504, a malformed 2xx), or prove nothing was accepted (400, 401, 403: the same
 * request with the same key), or are handled apart (409: already processing).
 */
const SILENT_ABOUT_EARLIER_ATTEMPTS: ReadonlySet<FailureKind> = new Set([
  'network',
  'server_error',
  'rate_limited',
  'bad_response',
  'unexpected_status',
]);

/** Says that the space may already have been submitted, with the dashboard as the first action. */
function warnMaybeSubmitted(info: FailureInfo): FailureInfo {
  if (!SILENT_ABOUT_EARLIER_ATTEMPTS.has(info.kind) || info.actions.includes('openDashboard')) return info;
  return {
    ...info,
    message: `${info.message} ${maybeSubmittedAdvice()}`,
    actions: ['openDashboard', ...info.actions],
    url: DASHBOARD_URL,
  };
}

/**
 * Adds to a failure's message why the client stopped retrying. With `maybeSubmitted`
 * it leaves out "Try again later": {@link warnMaybeSubmitted} follows with what to check first.
 */
function explainGiveUp(failure: FailureInfo, giveUp: GiveUp, attempts: number, policy: RetryPolicy, maybeSubmitted: boolean): FailureInfo {
  const later = maybeSubmitted ? '' : ` ${l10n.t('Try again later.')}`;
  let why: string;
  let retryAt: number | undefined;
  switch (giveUp.why) {
    case 'max_attempts':
      why = l10n.t('Gave up after {0} attempts (setting "{1}").', attempts, MAX_ATTEMPTS_SETTING) + later;
      break;
    case 'retry_limit':
      why =
        giveUp.reason === 'gateway_timeout'
          ? l10n.t('It was retried once and timed out again.')
          : l10n.t('Gave up after {0} attempts.', attempts);
      break;
    case 'budget_exhausted':
      why =
        l10n.t('Gave up after waiting {0} in total between {1} attempts (setting "{2}").', formatDuration(giveUp.waitedMs), attempts, MAX_WAIT_SETTING) +
        later;
      break;
    case 'wait_too_long': {
      retryAt = giveUp.retryAt;
      const requested = formatDuration(giveUp.requestedMs);
      const notWaited =
        giveUp.remainingMs < policy.maxWaitMs
          ? l10n.t(
              'Context7 asked to wait {0} before retrying ({1} header), longer than the {2} left of the waiting limit (setting "{3}"), so the extension did not wait.',
              requested,
              giveUp.source,
              formatDuration(giveUp.remainingMs),
              MAX_WAIT_SETTING,
            )
          : l10n.t(
              'Context7 asked to wait {0} before retrying ({1} header), longer than the waiting limit of {2} (setting "{3}"), so the extension did not wait.',
              requested,
              giveUp.source,
              formatDuration(policy.maxWaitMs),
              MAX_WAIT_SETTING,
            );
      why = `${notWaited} ${l10n.t('Try again after {0}.', new Date(giveUp.retryAt).toLocaleString())}`;
      break;
    }
  }
  return { ...failure, message: `${failure.message} ${why}`, ...(retryAt !== undefined ? { retryAt } : {}) };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function clampNumber(value: number | undefined, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  return Math.floor(clampNumber(value, fallback, min, max));
}
