/**
 * One HTTP exchange with a timeout and cancellation, reduced to a plain result.
 * Not Context7-specific: a Confluence REST client can use it with
 * {@link runWithRetry} from ./retry and the classifiers in ./errors.
 *
 * The timeout covers the whole exchange (headers and body) and uses real
 * timers: it bounds real I/O, unlike the waits between attempts, which use the
 * injected clock. No Node or VS Code imports.
 */
import { classifyNetworkError, type NetworkFaultInfo } from './errors';

export type Exchange =
  | { type: 'response'; status: number; statusText: string; headers: Headers; bodyText: string; durationMs: number }
  | { type: 'cancelled'; durationMs: number }
  | { type: 'timeout'; durationMs: number }
  | { type: 'fault'; fault: NetworkFaultInfo; durationMs: number };

export interface ExchangeOptions {
  timeoutMs: number;
  /** Aborting it ends the exchange at once with `cancelled`. */
  signal?: AbortSignal;
  /** Time source for `durationMs` (defaults to Date.now). */
  now?: () => number;
}

/** Sends `init` to `url` and reads the whole body. Never throws. */
export async function exchange(
  fetchImpl: typeof fetch,
  url: string,
  init: Omit<RequestInit, 'signal'>,
  options: ExchangeOptions,
): Promise<Exchange> {
  const now = options.now ?? Date.now;
  const started = now();
  const durationMs = () => Math.max(0, Math.round(now() - started));
  if (options.signal?.aborted) return { type: 'cancelled', durationMs: 0 };

  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  try {
    const response = await fetchImpl(url, { ...init, signal: controller.signal });
    const bodyText = await response.text();
    return {
      type: 'response',
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      bodyText,
      durationMs: durationMs(),
    };
  } catch (err) {
    if (options.signal?.aborted) return { type: 'cancelled', durationMs: durationMs() };
    if (timedOut) return { type: 'timeout', durationMs: durationMs() };
    return { type: 'fault', fault: classifyNetworkError(err), durationMs: durationMs() };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
