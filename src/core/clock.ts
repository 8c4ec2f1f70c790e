/**
 * Time source for waits, injectable so tests run without real delays.
 * No Node or VS Code imports (global timers only).
 */
import * as l10n from '@vscode/l10n';

export type Clock = {
  now(): number;
  /** Resolves after `ms`; rejects at once (with an `AbortError`) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
};

/** The error every cancellable wait in the core rejects with. */
export class AbortedError extends Error {
  constructor(message = l10n.t('The operation was cancelled.')) {
    super(message);
    this.name = 'AbortError';
  }
}

export function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new AbortedError());
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(new AbortedError());
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
