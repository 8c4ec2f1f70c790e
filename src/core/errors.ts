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
import { API_URL_SETTING } from './apiUrl';
import { FIELD_LABELS, type FieldName } from './fields';
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

/** Who a network fault happened with, for its message: the service's name and where its address is set. */
export interface FaultTarget {
  service: string;
  /** How the user finds the address to check, e.g. `the setting "context7.apiUrl"`. */
  address: string;
}

export const CONTEXT7_FAULT_TARGET: FaultTarget = { service: 'Context7', address: `the setting "${API_URL_SETTING}"` };

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
  target: FaultTarget = CONTEXT7_FAULT_TARGET,
  options: FaultOptions = {},
): string {
  const code = info.code ? ` (${info.code})` : '';
  switch (info.fault) {
    case 'refused':
      return `Could not connect to ${host}: the connection was refused${code}. Check ${target.address}, and that no firewall or proxy blocks it.`;
    case 'reset':
      return options.mayHaveBeenReceived
        ? `The connection to ${host} was closed before ${target.service} finished answering${code}, so the request may have been received. This is usually a network or proxy problem.`
        : `The connection to ${host} was closed before ${target.service} finished answering${code}. This is usually a network or proxy problem; try again.`;
    case 'dns':
      return `Could not find the server ${host}${code}: the name did not resolve. Check ${target.address} for typos, your internet connection and DNS.`;
    case 'tls':
      return `The secure connection to ${host} failed: ${tlsExplanation(info.code)}${code}. If your network inspects HTTPS traffic, install its certificate on this machine or configure VS Code's proxy support ("http.proxy", "http.proxyStrictSSL").`;
    case 'connect_timeout':
      return `Connecting to ${host} timed out${code}. Check your internet connection and proxy settings.`;
    case 'unreachable':
      return `The network cannot reach ${host}${code}. Check your internet connection and proxy settings.`;
    case 'other':
      return `The request to ${host} failed: ${truncate(info.detail, 200)}${code}.`;
  }
}

function tlsExplanation(code: string | undefined): string {
  if (!code) return 'the TLS handshake failed';
  if (/EXPIRED/.test(code)) return "the server's certificate has expired";
  if (/SELF_SIGNED|UNABLE_TO_(?:GET|VERIFY)/.test(code)) return "the server's certificate is not trusted on this machine";
  if (/ALTNAME|HOSTNAME/.test(code)) return "the server's certificate is for a different host name";
  if (/WRONG_VERSION_NUMBER|EPROTO/.test(code)) return 'the server did not speak HTTPS at this address';
  return 'the TLS handshake failed';
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

/** The success message when Context7's own is empty. */
export const SUBMITTED_MESSAGE = 'Confluence space submitted successfully.';

/** Classifies an answer of `POST /v2/add/confluence`. Pure: no I/O, no clock. */
export function classifyAddConfluenceResponse(res: ResponseToClassify): Classification {
  const { status } = res;
  const body = inspectBody(res.bodyText, getHeader(res.headers, 'content-type'));
  const retry = retryForStatus(status, res.headers, res.nowMs);
  const httpLabel = `HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}`;

  if (status >= 200 && status < 300) {
    if (body.type === 'json') {
      const parsed = addConfluenceSuccessSchema.safeParse(body.value);
      if (parsed.success) return { ok: true, libraryName: parsed.data.libraryName, message: parsed.data.message.trim() || SUBMITTED_MESSAGE };
      const where = parsed.error.issues[0]?.path.join('.');
      return failure({
        kind: 'bad_response',
        status,
        message:
          `Context7 answered ${httpLabel}, but not in the expected form (${where ? `"${where}" is missing or invalid` : 'the body is not an object'}). ` +
          `The space may have been submitted: check the Context7 dashboard before trying again.`,
        actions: ['openDashboard', 'showLog'],
        url: DASHBOARD_URL,
      });
    }
    return failure({
      kind: 'bad_response',
      status,
      message: `${notJson(body, httpLabel)} The space may have been submitted: check the Context7 dashboard before trying again.`,
      actions: ['openDashboard', 'showLog'],
      url: DASHBOARD_URL,
    });
  }

  const { code, message: rawServerMessage } = readErrorBody(body);
  const serverMessage = rawServerMessage === undefined ? undefined : sentence(rawServerMessage);
  const server = serverMessage ? `: ${serverMessage}` : '.';
  const base = { status, ...(code ? { code } : {}), ...(rawServerMessage ? { serverMessage: rawServerMessage } : {}) };

  if (status === 429) {
    return failure(
      {
        ...base,
        kind: 'rate_limited',
        message: `Context7 is limiting the rate of requests (${httpLabel})${server}`,
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
      message:
        `Context7 redirected the request (${httpLabel})${location ? ` to ${truncate(location, 200)}` : ''}. ` +
        `The extension does not follow redirects with your API key: check the setting "${API_URL_SETTING}".`,
      actions: ['showLog'],
    });
  }

  switch (status) {
    case 400: {
      const field = fieldFromServerMessage(serverMessage);
      const fix = field ? ` Check the ${FIELD_LABELS[field]} field.` : ' Check the form and try again.';
      return failure({
        ...base,
        kind: 'validation',
        message: `Context7 rejected the request${server}${fix}`,
        ...(field ? { field, fieldErrors: { [field]: `${FIELD_LABELS[field]}: ${rawServerMessage}` } } : {}),
        actions: ['openForm', 'showLog'],
      });
    }
    case 401:
      return failure({
        ...base,
        kind: 'invalid_api_key',
        message:
          'Context7 rejected the API key. Run "Context7: Set API Key" and paste a valid key (it starts with ctx7sk-) ' +
          `from ${DASHBOARD_URL}.${serverMessage ? ` Context7 said: ${serverMessage}` : ''}`,
        actions: ['setApiKey'],
        url: DASHBOARD_URL,
      });
    case 403:
      return classifyForbidden(base, code, serverMessage);
    case 409:
      return failure({
        ...base,
        kind: 'duplicate',
        message: `This Confluence space has already been added to your Context7 team: open the Context7 dashboard to see or refresh it.${serverMessage ? ` Context7 said: ${serverMessage}` : ''}`,
        actions: ['openDashboard'],
        url: DASHBOARD_URL,
      });
    case 500:
      return failure(
        {
          ...base,
          kind: 'server_error',
          message: `Context7 had an internal error (${httpLabel})${server}`,
          actions: ['retry', 'showLog'],
        },
        retry,
      );
    case 502:
    case 503:
      // Not documented, but what a gateway or load balancer in front of Context7 says
      // while it is restarting or overloaded: retried like a 500 (see retryForStatus),
      // and worded as an outage rather than as a puzzling "unexpected status".
      return failure(
        {
          ...base,
          kind: 'server_error',
          message: `Context7 is temporarily unavailable (${httpLabel})${server}`,
          actions: ['retry', 'showLog'],
        },
        retry,
      );
    case 504:
      return failure(
        {
          ...base,
          kind: 'gateway_timeout',
          message:
            `Context7 timed out while processing the request (${httpLabel})${server} ` +
            'The space may still have been submitted: check the Context7 dashboard before trying again.',
          actions: ['openDashboard', 'retry', 'showLog'],
          url: DASHBOARD_URL,
        },
        retry,
      );
    default: {
      const hint =
        status === 404 || status === 405
          ? ` Check the setting "${API_URL_SETTING}": it should be the API's base address, such as https://context7.com/api.`
          : ' See the log for details.';
      return failure(
        {
          ...base,
          kind: 'unexpected_status',
          message: `Context7 answered with an unexpected status (${httpLabel})${server}${hint}`,
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
  const said = serverMessage ? ` Context7 said: ${serverMessage}` : '';
  const text = serverMessage ?? '';
  if (code === 'access_denied') {
    return failure({
      ...base,
      kind: 'access_denied',
      message: `Context7 denied access to this source for your API key or team.${said} Check your team's access settings in the Context7 dashboard.`,
      actions: ['openDashboard', 'showLog'],
      url: DASHBOARD_URL,
    });
  }
  if (/\bplans?\b|upgrade|\bpro\b|enterprise|subscription/i.test(text)) {
    return failure({
      ...base,
      kind: 'forbidden_plan',
      message: `Adding a private source such as a Confluence space needs a Context7 Pro or Enterprise plan.${said} See the plans at ${PLANS_URL}.`,
      actions: ['openPlans'],
      url: PLANS_URL,
    });
  }
  if (/\bowners?\b|\badmins?\b|administrator|\broles?\b/i.test(text)) {
    return failure({
      ...base,
      kind: 'forbidden_role',
      message: `Only owners and admins of your Context7 team can add a Confluence space.${said} Ask one of them to add it, or to change your role in the Context7 dashboard.`,
      actions: ['openDashboard'],
      url: DASHBOARD_URL,
    });
  }
  return failure({
    ...base,
    kind: 'forbidden',
    message: `Context7 refused the request (HTTP 403).${said} Check your team and plan in the Context7 dashboard.`,
    actions: ['openDashboard', 'showLog'],
    url: DASHBOARD_URL,
  });
}

function notJson(body: BodyInfo, httpLabel: string): string {
  if (body.type === 'html') {
    return (
      `Context7's address answered ${httpLabel} with an HTML page${body.title ? ` ("${body.title}")` : ''} instead of JSON. ` +
      `It looks like it came from a proxy, firewall or gateway between VS Code and Context7: check VS Code's proxy settings ("http.proxy") and the setting "${API_URL_SETTING}".`
    );
  }
  if (body.type === 'text') return `Context7 answered ${httpLabel} with a body that is not JSON ("${body.snippet}").`;
  return `Context7 answered ${httpLabel} with an empty body instead of JSON.`;
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
