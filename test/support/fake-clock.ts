/**
 * Clocks for tests. `FakeClock.sleep` resolves at once (advancing `now`) and
 * records what was asked; `BlockingClock.sleep` never resolves by itself, so a
 * test can cancel during a wait. Both honour abort signals like the real clock.
 */
import { AbortedError, type Clock } from '../../src/core/clock';

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(public time = Date.UTC(2025, 0, 1, 12, 0, 0)) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortedError());
    this.sleeps.push(ms);
    this.time += ms;
    return Promise.resolve();
  }

  get totalSlept(): number {
    return this.sleeps.reduce((a, b) => a + b, 0);
  }
}

export class BlockingClock implements Clock {
  readonly sleeps: number[] = [];
  private notify: (() => void) | undefined;
  /** Resolves when the first sleep starts. */
  readonly sleeping: Promise<void> = new Promise((resolve) => (this.notify = resolve));

  constructor(public time = Date.UTC(2025, 0, 1, 12, 0, 0)) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((_resolve, reject) => {
      if (signal?.aborted) return reject(new AbortedError());
      signal?.addEventListener('abort', () => reject(new AbortedError()), { once: true });
      this.notify?.();
    });
  }
}
