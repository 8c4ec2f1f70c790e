/**
 * Failure types and classification of answers and faults.
 *
 * {@link classifyAddConfluenceResponse} is a pure function from status, headers
 * and body text to an outcome (success, or a failure with its user-facing
 * message, suggested actions and retry request). {@link classifyNetworkError}
 * and {@link inspectBody} are not Context7-specific and can serve a Confluence
 * REST client too.
 *
 * No Node or VS Code imports.
 */
import * as l10n from '@vscode/l10n';
import { API_URL_SETTING } from './apiUrl';
import { fieldLabel, type FieldName } from './fields';
import { getHeader, serverRetryDelay, type HeaderSource, type RetryRequest } from './retry';
import { addConfluenceSuccessSchema, type FieldErrors } from './schema';

export const DASHBOARD_URL = 'https://context7.com/dashboard';
export const PLANS_URL = 'https://context7.com/plans';
export const TIMEOUT_SETTING = 'context7.request.timeoutSeconds';
export const MAX_WAIT_SETTING = 'context7.retry.maxWaitSeconds';
export const MAX_ATTEMPTS_SETTING = 'context7.retry.maxAttempts';

export type FailureAction = 'setApiKey' | 'retry' | 'showLog' | 'openForm' | 'openDashboard' | 'openPlans';

export type FailureKind =
  | 'validation'
  | 'invalid_api_key'
  | 'access_denied'
  | 'forbidden_role'
  | 'forbidden_plan'
  | 'forbidden'
  | 'duplicate'
  | 'rate_limited'
  | 'server_error'
  | 'gateway_timeout'
  | 'timeout'
  | 'network'
  | 'bad_response'
  | 'unexpected_status'
  | 'cancelled'
  | 'invalid_config';

/** Which network fault a `network` failure was. */
export type NetworkFault = 'refused' | 'reset' | 'dns' | 'tls' | 'connect_timeout' | 'unreachable' | 'other';

export interface Failure {
  kind: FailureKind;
  /** HTTP status, when the failure is an answer. */
  status?: number;
  /** Server error code (`error` of the body), or a fault / local code such as `ECONNREFUSED`, `missing_api_key`. */
  code?: string;
  /** User-facing, redacted, never empty. */
  message: string;
  /** The server's own `message`, redacted, when there was one. */
  serverMessage?: string;
  /** The form field the failure is about, when known. */
  field?: FieldName;
  fieldErrors?: FieldErrors;
  actions: FailureAction[];
  /** A page that helps (dashboard, plans). */
  url?: string;
  /** HTTP attempts made (0 when the failure happened before sending anything). */
  attempts: number;
  /** For `network` failures. */
  fault?: NetworkFault;
  /** When a retry may succeed (epoch ms), if the server said so. */
  retryAt?: number;
}

export type FailureInfo = Omit<Failure, 'attempts'>;

/**
 * How {@link redactFailure} treats each field of a {@link Failure}. A `Record` over
 * every key, so a field added to `Failure` does not compile until someone decides
 * whether it can carry text from outside (a server message, an echoed key).
 * `fixed` fields hold only values of our own unions, numbers or our constants.
 */
const FAILURE_FIELD_TEXT: Record<keyof Failure, 'text' | 'textValues' | 'fixed'> = {
  kind: 'fixed',
  status: 'fixed',
  code: 'text',
  message: 'text',
  serverMessage: 'text',
  field: 'fixed',
  fieldErrors: 'textValues',
  actions: 'fixed',
  url: 'text',
  attempts: 'fixed',
  fault: 'fixed',
  retryAt: 'fixed',
};

/**
 * Passes every text a failure carries through `clean` (the redactor): the message,
 * the server's message and code, the field errors (a 400 message naming a field is
 * copied there) and the URL. Returns a new object; `info` is not changed.
 */
export function redactFailure<T extends FailureInfo>(info: T, clean: (text: string) => string): T {
  const out: Record<string, unknown> = { ...info };
  for (const [key, value] of Object.entries(info)) {
    const treatment = FAILURE_FIELD_TEXT[key as keyof Failure] ?? 'text';
    if (treatment === 'text' && typeof value === 'string') out[key] = clean(value);
    if (treatment === 'textValues' && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? clean(v) : v]));
    }
  }
  return out as T;
}

// --- Bodies --------------------------------------------------------------------

export type BodyInfo =
  | { type: 'empty' }
  | { type: 'json'; value: unknown }
  | { type: 'html'; title?: string }
  | { type: 'text'; snippet: string };

/** Tells JSON, HTML and other text apart (by content, with the content type as a hint). */
export function inspectBody(text: string, contentType?: string): BodyInfo {
  const trimmed = text.trim();
  if (trimmed === '') return { type: 'empty' };
  const looksHtml = /^<(?:!doctype\s+html|html|head|body|title|h1|center|p|div)\b/i.test(trimmed) || /\bhtml\b/i.test(contentType ?? '');
  if (!looksHtml) {
    try {
      return { type: 'json', value: JSON.parse(trimmed) as unknown };
    } catch {
      // not JSON
    }
  }
  if (looksHtml || trimmed.startsWith('<')) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(trimmed)?.[1];
    const clean = title?.replace(/\s+/g, ' ').trim();
    return clean ? { type: 'html', title: truncate(clean, 80) } : { type: 'html' };
  }
  return { type: 'text', snippet: truncate(trimmed.replace(/\s+/g, ' '), 120) };
}

/** Reads `{error, message}` leniently: each part is used when it is a non-empty string. */
export function readErrorBody(body: BodyInfo): { code?: string; message?: string } {
  if (body.type !== 'json' || typeof body.value !== 'object' || body.value === null) return {};
  const { error, message } = body.value as { error?: unknown; message?: unknown };
  return {
    code: typeof error === 'string' && error.trim() !== '' ? error.trim() : undefined,
    message: typeof message === 'string' && message.trim() !== '' ? truncate(message.trim(), 500) : undefined,
  };
}

// --- Network faults ----------------------------------------------------------------

export interface NetworkFaultInfo {
  fault: NetworkFault;
  /** The underlying error code (`ECONNREFUSED`, `UND_ERR_SOCKET`, `CERT_HAS_EXPIRED`…), if any. */
  code?: string;
  /** The lowest-level error message, for the log. */
  detail: string;
  /** Whether retrying can help. Refused/reset/connect-timeout/unreachable: yes; DNS/TLS/other: no. */
  retryable: boolean;
}

const TLS_CODES = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|EPROTO$|HOSTNAME_MISMATCH$|ERR_OSSL_)/;

/**
 * Classifies an error thrown by `fetch` or while reading a body. undici wraps
 * the real cause: `TypeError('fetch failed' | 'terminated', { cause })`, where
 * the cause may itself be an `AggregateError` (one error per address tried).
 */
export function classifyNetworkError(err: unknown): NetworkFaultInfo {
  const codes: string[] = [];
  let detail = '';
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): void => {
    if (typeof e !== 'object' || e === null || seen.has(e) || depth > 6) return;
    seen.add(e);
    const { code, message, cause, errors } = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (typeof message === 'string' && message !== '') detail = message;
    if (Array.isArray(errors)) errors.forEach((inner) => visit(inner, depth + 1));
    visit(cause, depth + 1);
  };
  visit(err, 0);
  if (detail === '') detail = String(err);

  const has = (...wanted: string[]) => codes.find((c) => wanted.includes(c));
  const tls = codes.find((c) => TLS_CODES.test(c));
  let code: string | undefined;
  if ((code = has('ECONNREFUSED'))) return { fault: 'refused', code, detail, retryable: true };
  if ((code = has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA'))) return { fault: 'dns', code, detail, retryable: false };
  if (tls) return { fault: 'tls', code: tls, detail, retryable: false };
  if ((code = has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED'))) return { fault: 'reset', code, detail, retryable: true };
  if ((code = has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'))) return { fault: 'connect_timeout', code, detail, retryable: true };
  if ((code = has('ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN'))) return { fault: 'unreachable', code, detail, retryable: true };
  // Body cut short without a code ("terminated") is a reset too.
  if (/\b(?:terminated|other side closed|socket hang up|premature close)\b/i.test(detail)) {
    return { fault: 'reset', code: codes[0], detail, retryable: true };
  }
  return { fault: 'other', code: codes[0], detail, retryable: false };
}

/** Who a network fault happened with, for its message: the service's name and where its address is set (localized). */
export interface FaultTarget {
  service: string;
  /** How the user finds the address to check, e.g. `the setting "context7.apiUrl"`. */
  address: string;
}

/** The target of the Context7 client's faults (a function: its text is localized when used). */
export function context7FaultTarget(): FaultTarget {
  return { service: 'Context7', address: l10n.t('the setting "{0}"', API_URL_SETTING) };
}

export interface FaultOptions {
  /**
   * The request may have been received and acted on (a reset while a POST was under
   * way): the message then does not end in "try again", because the caller has to
   * say what to check first (retrying blindly could submit twice).
   */
  mayHaveBeenReceived?: boolean;
}

/** The user-facing message for a network fault talking to `host`. */
export function describeNetworkFault(
  info: NetworkFaultInfo,
  host: string,
  target: FaultTarget = context7FaultTarget(),
  options: FaultOptions = {},
): string {
  const code = info.code ? ` (${info.code})` : '';
  switch (info.fault) {
    case 'refused':
      return l10n.t('Could not connect to {0}: the connection was refused{1}. Check {2}, and that no firewall or proxy blocks it.', host, code, target.address);
    case 'reset':
      return options.mayHaveBeenReceived
        ? l10n.t(
            'The connection to {0} was closed before {1} finished answering{2}, so the request may have been received. This is usually a network or proxy problem.',
            host,
            target.service,
            code,
          )
        : l10n.t(
            'The connection to {0} was closed before {1} finished answering{2}. This is usually a network or proxy problem; try again.',
            host,
            target.service,
            code,
          );
    case 'dns':
      return l10n.t('Could not find the server {0}{1}: the name did not resolve. Check {2} for typos, your internet connection and DNS.', host, code, target.address);
    case 'tls':
      return `${l10n.t('The secure connection to {0} failed: {1}{2}.', host, tlsExplanation(info.code), code)} ${l10n.t(
        'If your network inspects HTTPS traffic, install its certificate on this machine or configure VS Code\'s proxy support ("http.proxy", "http.proxyStrictSSL").',
      )}`;
    case 'connect_timeout':
      return l10n.t('Connecting to {0} timed out{1}. Check your internet connection and proxy settings.', host, code);
    case 'unreachable':
      return l10n.t('The network cannot reach {0}{1}. Check your internet connection and proxy settings.', host, code);
    case 'other':
      return l10n.t('The request to {0} failed: {1}{2}.', host, truncate(info.detail, 200), code);
  }
}

function tlsExplanation(code: string | undefined): string {
  if (!code) return l10n.t('the TLS handshake failed');
  if (/EXPIRED/.test(code)) return l10n.t("the server's certificate has expired");
  if (/SELF_SIGNED|UNABLE_TO_(?:GET|VERIFY)/.test(code)) return l10n.t("the server's certificate is not trusted on this machine");
  if (/ALTNAME|HOSTNAME/.test(code)) return l10n.t("the server's certificate is for a different host name");
  if (/WRONG_VERSION_NUMBER|EPROTO/.test(code)) return l10n.t('the server did not speak HTTPS at this address');
  return l10n.t('the TLS handshake failed');
}

// --- Answers -----------------------------------------------------------------------

export interface ResponseToClassify {
  status: number;
  statusText?: string;
  headers?: HeaderSource;
  bodyText: string;
  /** Current time (epoch ms) for HTTP-date / timestamp headers. */
  nowMs: number;
}

export type Classification =
  | { ok: true; libraryName: string; message: string }
  | { ok: false; failure: FailureInfo; retry?: RetryRequest };

/** Field named in a server message ("cloudId", "cloud id", "Space key"…): the earliest mention wins. */
export function fieldFromServerMessage(message: string | undefined): FieldName | undefined {
  if (!message) return undefined;
  const patterns: [FieldName, RegExp][] = [
    ['cloudId', /cloud[\s_-]*id/i],
    ['siteUrl', /site[\s_-]*url/i],
    ['spaceKey', /space[\s_-]*key/i],
    ['spaceName', /space[\s_-]*name/i],
    ['pageIds', /page[\s_-]*ids?\b/i],
    ['projectId', /project[\s_-]*id/i],
    ['title', /\btitle\b/i],
    ['description', /\bdescription\b/i],
  ];
  let best: { field: FieldName; at: number } | undefined;
  for (const [field, pattern] of patterns) {
    const at = message.search(pattern);
    if (at >= 0 && (best === undefined || at < best.at)) best = { field, at };
  }
  return best?.field;
}

const RETRYABLE_STATUS: Partial<Record<number, RetryRequest['reason']>> = {
  429: 'rate_limited',
  500: 'server_error',
  502: 'server_error',
  503: 'server_error',
  504: 'gateway_timeout',
};

/** The retry a status calls for (429, 500, 502, 503: bounded retries; 504: one retry), honouring server delays. */
export function retryForStatus(status: number, headers: HeaderSource | undefined, nowMs: number): RetryRequest | undefined {
  const reason = RETRYABLE_STATUS[status];
  if (!reason) return undefined;
  const serverDelay = serverRetryDelay(headers, nowMs);
  return {
    reason,
    ...(serverDelay ? { serverDelay } : {}),
    ...(status === 504 ? { maxRetries: 1 } : {}),
  };
}

/** The success message when Context7's own is empty, in the user's language. */
export function submittedMessage(): string {
  return l10n.t('Confluence space submitted successfully.');
}

/** Its English text: computed as the module loads, before an l10n bundle can be configured. */
export const SUBMITTED_MESSAGE = submittedMessage();

/** Said of an answer that may have come after the space was accepted. */
function maySubmitted(): string {
  return l10n.t('The space may have been submitted: check the Context7 dashboard before trying again.');
}

/** Classifies an answer of `POST /v2/add/confluence`. Pure: no I/O, no clock. */
export function classifyAddConfluenceResponse(res: ResponseToClassify): Classification {
  const { status } = res;
  const body = inspectBody(res.bodyText, getHeader(res.headers, 'content-type'));
  const retry = retryForStatus(status, res.headers, res.nowMs);
  const httpLabel = `HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}`;

  if (status >= 200 && status < 300) {
    if (body.type === 'json') {
      const parsed = addConfluenceSuccessSchema.safeParse(body.value);
      if (parsed.success) return { ok: true, libraryName: parsed.data.libraryName, message: parsed.data.message.trim() || submittedMessage() };
      const where = parsed.error.issues[0]?.path.join('.');
      const problem = where
        ? l10n.t('Context7 answered {0}, but not in the expected form ("{1}" is missing or invalid).', httpLabel, where)
        : l10n.t('Context7 answered {0}, but not in the expected form (the body is not an object).', httpLabel);
      return failure({
        kind: 'bad_response',
        status,
        message: `${problem} ${maySubmitted()}`,
        actions: ['openDashboard', 'showLog'],
        url: DASHBOARD_URL,
      });
    }
    return failure({
      kind: 'bad_response',
      status,
      message: `${notJson(body, httpLabel)} ${maySubmitted()}`,
      actions: ['openDashboard', 'showLog'],
      url: DASHBOARD_URL,
    });
  }

  const { code, message: rawServerMessage } = readErrorBody(body);
  const serverMessage = rawServerMessage === undefined ? undefined : sentence(rawServerMessage);
  /** `withServer` when the server gave a message (it ends with punctuation), otherwise `alone`. */
  const either = (withServer: (message: string) => string, alone: () => string): string =>
    serverMessage ? withServer(serverMessage) : alone();
  /** " Context7 said: …", or nothing. */
  const said = serverMessage ? ` ${l10n.t('Context7 said: {0}', serverMessage)}` : '';
  const base = { status, ...(code ? { code } : {}), ...(rawServerMessage ? { serverMessage: rawServerMessage } : {}) };

  if (status === 429) {
    return failure(
      {
        ...base,
        kind: 'rate_limited',
        message: either(
          (m) => l10n.t('Context7 is limiting the rate of requests ({0}): {1}', httpLabel, m),
          () => l10n.t('Context7 is limiting the rate of requests ({0}).', httpLabel),
        ),
        actions: ['retry', 'showLog'],
      },
      retry,
    );
  }

  if (body.type === 'html' || body.type === 'text') {
    return failure({ kind: 'bad_response', status, message: notJson(body, httpLabel), actions: ['showLog', 'retry'] }, retry);
  }

  if (status >= 300 && status < 400) {
    const location = getHeader(res.headers, 'location');
    return failure({
      ...base,
      kind: 'unexpected_status',
      message: `${
        location
          ? l10n.t('Context7 redirected the request ({0}) to {1}.', httpLabel, truncate(location, 200))
          : l10n.t('Context7 redirected the request ({0}).', httpLabel)
      } ${l10n.t('The extension does not follow redirects with your API key: check the setting "{0}".', API_URL_SETTING)}`,
      actions: ['showLog'],
    });
  }

  switch (status) {
    case 400: {
      const field = fieldFromServerMessage(serverMessage);
      const fix = field ? l10n.t('Check the {0} field.', fieldLabel(field)) : l10n.t('Check the form and try again.');
      const rejected = either(
        (m) => l10n.t('Context7 rejected the request: {0}', m),
        () => l10n.t('Context7 rejected the request.'),
      );
      return failure({
        ...base,
        kind: 'validation',
        message: `${rejected} ${fix}`,
        ...(field ? { field, fieldErrors: { [field]: l10n.t('{0}: {1}', fieldLabel(field), rawServerMessage ?? '') } } : {}),
        actions: ['openForm', 'showLog'],
      });
    }
    case 401:
      return failure({
        ...base,
        kind: 'invalid_api_key',
        message:
          l10n.t('Context7 rejected the API key. Run "Context7: Set API Key" and paste a valid key (it starts with ctx7sk-) from {0}.', DASHBOARD_URL) +
          said,
        actions: ['setApiKey'],
        url: DASHBOARD_URL,
      });
    case 403:
      return classifyForbidden(base, code, serverMessage);
    case 409:
      return failure({
        ...base,
        kind: 'duplicate',
        message: l10n.t('This Confluence space has already been added to your Context7 team: open the Context7 dashboard to see or refresh it.') + said,
        actions: ['openDashboard'],
        url: DASHBOARD_URL,
      });
    case 500:
    case 502:
    case 503:
      // 502/503 are not documented, but they are what a gateway or load balancer in front of
      // Context7 says while it is restarting or overloaded: retried like a 500 (see
      // retryForStatus), and worded as an outage rather than as a puzzling "unexpected status".
      return failure(
        {
          ...base,
          kind: 'server_error',
          message:
            status === 500
              ? either(
                  (m) => l10n.t('Context7 had an internal error ({0}): {1}', httpLabel, m),
                  () => l10n.t('Context7 had an internal error ({0}).', httpLabel),
                )
              : either(
                  (m) => l10n.t('Context7 is temporarily unavailable ({0}): {1}', httpLabel, m),
                  () => l10n.t('Context7 is temporarily unavailable ({0}).', httpLabel),
                ),
          actions: ['retry', 'showLog'],
        },
        retry,
      );
    case 504:
      return failure(
        {
          ...base,
          kind: 'gateway_timeout',
          message: `${either(
            (m) => l10n.t('Context7 timed out while processing the request ({0}): {1}', httpLabel, m),
            () => l10n.t('Context7 timed out while processing the request ({0}).', httpLabel),
          )} ${l10n.t('The space may still have been submitted: check the Context7 dashboard before trying again.')}`,
          actions: ['openDashboard', 'retry', 'showLog'],
          url: DASHBOARD_URL,
        },
        retry,
      );
    default: {
      const hint =
        status === 404 || status === 405
          ? l10n.t('Check the setting "{0}": it should be the API\'s base address, such as {1}.', API_URL_SETTING, 'https://context7.com/api')
          : l10n.t('See the log for details.');
      return failure(
        {
          ...base,
          kind: 'unexpected_status',
          message: `${either(
            (m) => l10n.t('Context7 answered with an unexpected status ({0}): {1}', httpLabel, m),
            () => l10n.t('Context7 answered with an unexpected status ({0}).', httpLabel),
          )} ${hint}`,
          actions: ['showLog', 'retry'],
        },
        retry,
      );
    }
  }
}

function classifyForbidden(
  base: { status: number; code?: string; serverMessage?: string },
  code: string | undefined,
  serverMessage: string | undefined,
): Classification {
  const said = serverMessage ? ` ${l10n.t('Context7 said: {0}', serverMessage)}` : '';
  const text = serverMessage ?? '';
  if (code === 'access_denied') {
    return failure({
      ...base,
      kind: 'access_denied',
      message: `${l10n.t('Context7 denied access to this source for your API key or team.')}${said} ${l10n.t("Check your team's access settings in the Context7 dashboard.")}`,
      actions: ['openDashboard', 'showLog'],
      url: DASHBOARD_URL,
    });
  }
  if (/\bplans?\b|upgrade|\bpro\b|enterprise|subscription/i.test(text)) {
    return failure({
      ...base,
      kind: 'forbidden_plan',
      message: `${l10n.t('Adding a private source such as a Confluence space needs a Context7 Pro or Enterprise plan.')}${said} ${l10n.t('See the plans at {0}.', PLANS_URL)}`,
      actions: ['openPlans'],
      url: PLANS_URL,
    });
  }
  if (/\bowners?\b|\badmins?\b|administrator|\broles?\b/i.test(text)) {
    return failure({
      ...base,
      kind: 'forbidden_role',
      message: `${l10n.t('Only owners and admins of your Context7 team can add a Confluence space.')}${said} ${l10n.t('Ask one of them to add it, or to change your role in the Context7 dashboard.')}`,
      actions: ['openDashboard'],
      url: DASHBOARD_URL,
    });
  }
  return failure({
    ...base,
    kind: 'forbidden',
    message: `${l10n.t('Context7 refused the request (HTTP 403).')}${said} ${l10n.t('Check your team and plan in the Context7 dashboard.')}`,
    actions: ['openDashboard', 'showLog'],
    url: DASHBOARD_URL,
  });
}

function notJson(body: BodyInfo, httpLabel: string): string {
  if (body.type === 'html') {
    const answered = body.title
      ? l10n.t('Context7\'s address answered {0} with an HTML page ("{1}") instead of JSON.', httpLabel, body.title)
      : l10n.t("Context7's address answered {0} with an HTML page instead of JSON.", httpLabel);
    return `${answered} ${l10n.t(
      'It looks like it came from a proxy, firewall or gateway between VS Code and Context7: check VS Code\'s proxy settings ("http.proxy") and the setting "{0}".',
      API_URL_SETTING,
    )}`;
  }
  if (body.type === 'text') return l10n.t('Context7 answered {0} with a body that is not JSON ("{1}").', httpLabel, body.snippet);
  return l10n.t('Context7 answered {0} with an empty body instead of JSON.', httpLabel);
}

function failure(info: FailureInfo, retry?: RetryRequest): Classification {
  return retry ? { ok: false, failure: info, retry } : { ok: false, failure: info };
}

/** Ends a server message with punctuation so it can be followed by our own sentence. */
function sentence(text: string): string {
  return /[.!?…)]$/.test(text) ? text : `${text}.`;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
