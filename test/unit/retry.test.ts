import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { systemClock } from '../../src/core/clock';
import {
  backoffDelayMs,
  countdown,
  DEFAULT_RETRY_POLICY,
  formatDuration,
  MAX_SERVER_DELAY_MS,
  parseHttpDate,
  parseRateLimitReset,
  parseRetryAfter,
  runWithRetry,
  serverRetryDelay,
  type AttemptOutcome,
  type RetryPolicy,
  type WaitTick,
} from '../../src/core/retry';
import { retryForStatus } from '../../src/core/errors';
import { BlockingClock, FakeClock } from '../support/fake-clock';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('retry', () => {
  describe('Retry-After', () => {
    it('reads delta seconds (digits only), capping an absurd number instead of overflowing', () => {
      assert.equal(parseRetryAfter('5', NOW), 5000);
      assert.equal(parseRetryAfter(' 0 ', NOW), 0);
      assert.equal(parseRetryAfter('9'.repeat(400), NOW), MAX_SERVER_DELAY_MS);
    });
    it('reads an HTTP date; a past date means no wait', () => {
      assert.equal(parseRetryAfter(new Date(NOW + 7000).toUTCString(), NOW), 7000);
      assert.equal(parseRetryAfter(new Date(NOW - 7000).toUTCString(), NOW), 0);
    });
    it('reads the obsolete RFC 850 and asctime date forms', () => {
      // NOW is Wednesday, 1 January 2025, 12:00:00 GMT.
      assert.equal(parseRetryAfter('Wednesday, 01-Jan-25 12:00:07 GMT', NOW), 7000);
      assert.equal(parseRetryAfter('Wed Jan  1 12:00:07 2025', NOW), 7000);
      assert.equal(parseHttpDate('Wed Jan 15 12:00:07 2025', NOW), Date.UTC(2025, 0, 15, 12, 0, 7));
      // A two-digit year more than 50 years ahead is in the past century.
      assert.equal(parseHttpDate('Friday, 31-Dec-99 23:59:59 GMT', NOW), Date.UTC(1999, 11, 31, 23, 59, 59));
      assert.equal(parseHttpDate('Monday, 01-Jan-70 00:00:00 GMT', NOW), Date.UTC(2070, 0, 1));
    });
    it('ignores garbage', () => {
      for (const v of [undefined, null, '', '-5', '+5', '1.5', '1e3', '0x10', 'soon-ish']) assert.equal(parseRetryAfter(v, NOW), undefined, String(v));
    });
    it('ignores junk that Date.parse takes for a date (which meant retrying at once, or waiting until 2030)', () => {
      const junk = [
        'soon 5',
        'foo 1',
        'x 2030',
        'Wed, 01 Jan 2025',
        '2025-01-01T12:00:07Z',
        'wed, 01 jan 2025 12:00:07 gmt',
        'Wed, 01 Jan 2025 12:00:07 UTC',
        'Wed, 1 Jan 2025 12:00:07 GMT',
        'Wed, 31 Feb 2025 12:00:07 GMT',
        'Wed, 01 Jan 2025 24:00:00 GMT',
        'Wed, 01 Jan 2025 12:61:00 GMT',
        'Wed Jan 1 12:00:07 2025',
        'Wednesday, 01-Jan-2025 12:00:07 GMT',
      ];
      assert.ok(!Number.isNaN(Date.parse('soon 5')), 'the premise: Date.parse accepts it');
      for (const v of junk) assert.equal(parseRetryAfter(v, NOW), undefined, v);
    });
    it('a junk Retry-After falls back to RateLimit-Reset, then to backoff with jitter', async () => {
      assert.deepEqual(serverRetryDelay({ 'Retry-After': 'soon 5', 'RateLimit-Reset': '4' }, NOW), { ms: 4000, source: 'RateLimit-Reset' });
      assert.equal(serverRetryDelay({ 'Retry-After': 'foo 1', 'RateLimit-Reset': 'later' }, NOW), undefined);
      const retry = retryForStatus(429, { 'Retry-After': 'foo 1' }, NOW);
      assert.deepEqual(retry, { reason: 'rate_limited' });
      const clock = new FakeClock(NOW);
      const outcomes: AttemptOutcome<string>[] = [{ value: 'limited', retry }, { value: 'done' }];
      const run = await runWithRetry({ policy: DEFAULT_RETRY_POLICY, clock, random: () => 0.5, attempt: async (n) => outcomes[n - 1] });
      assert.deepEqual(run, { cancelled: false, value: 'done', attempts: 2, waitedMs: 750 });
    });
  });

  describe('RateLimit-Reset', () => {
    it('reads a Unix timestamp in seconds', () => {
      assert.equal(parseRateLimitReset(String(NOW / 1000 + 30), NOW), 30_000);
      assert.equal(parseRateLimitReset(String(NOW / 1000 - 30), NOW), 0);
    });
    it('tolerates delta seconds and millisecond timestamps', () => {
      assert.equal(parseRateLimitReset('12', NOW), 12_000);
      assert.equal(parseRateLimitReset(String(NOW + 2500), NOW), 2500);
    });
    it('ignores garbage', () => {
      assert.equal(parseRateLimitReset('tomorrow', NOW), undefined);
      assert.equal(parseRateLimitReset(undefined, NOW), undefined);
    });
    it('caps an absurd value instead of overflowing to Infinity', () => {
      assert.equal(parseRateLimitReset('9'.repeat(400), NOW), MAX_SERVER_DELAY_MS);
    });
  });

  it('prefers Retry-After over RateLimit-Reset, from a record or a Headers object', () => {
    const reset = String(NOW / 1000 + 60);
    assert.deepEqual(serverRetryDelay({ 'Retry-After': '3', 'RateLimit-Reset': reset }, NOW), { ms: 3000, source: 'Retry-After' });
    assert.deepEqual(serverRetryDelay(new Headers({ 'ratelimit-reset': reset }), NOW), { ms: 60_000, source: 'RateLimit-Reset' });
    assert.deepEqual(serverRetryDelay({ 'retry-after': 'bogus', 'RateLimit-Reset': '4' }, NOW), { ms: 4000, source: 'RateLimit-Reset' });
    assert.equal(serverRetryDelay({}, NOW), undefined);
  });

  it('backs off exponentially with equal jitter, capped (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), (retry, r) => {
        const ceiling = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (retry - 1));
        const delay = backoffDelayMs(retry, DEFAULT_RETRY_POLICY, () => r);
        assert.ok(delay >= ceiling / 2 - 1 && delay <= ceiling, `${delay} vs ${ceiling}`);
      }),
    );
    assert.equal(backoffDelayMs(1, DEFAULT_RETRY_POLICY, () => 0.5), 750);
    assert.equal(backoffDelayMs(3, DEFAULT_RETRY_POLICY, () => 1), 4000);
  });

  it('counts down in whole seconds', async () => {
    const clock = new FakeClock(NOW);
    const ticks: number[] = [];
    await countdown(2500, clock, undefined, (s) => ticks.push(s));
    assert.deepEqual(ticks, [3, 2, 1]);
    assert.deepEqual(clock.sleeps, [500, 1000, 1000]);
  });

  it('formats durations', () => {
    assert.equal(formatDuration(200), '200 ms');
    assert.equal(formatDuration(1000), '1 second');
    assert.equal(formatDuration(45_000), '45 seconds');
    assert.equal(formatDuration(120_000), '2 minutes');
    assert.equal(formatDuration(86_400_000), 'about 24 hours');
  });

  describe('runWithRetry', () => {
    const policy: RetryPolicy = { maxAttempts: 4, maxWaitMs: 10_000, baseDelayMs: 1000, maxDelayMs: 30_000 };
    const script = (...outcomes: AttemptOutcome<string>[]) => {
      const calls: number[] = [];
      return {
        calls,
        attempt: async (n: number) => {
          calls.push(n);
          return outcomes[Math.min(n - 1, outcomes.length - 1)];
        },
      };
    };

    it('returns the first final outcome', async () => {
      const clock = new FakeClock(NOW);
      const s = script({ value: 'busy', retry: { reason: 'server_error' } }, { value: 'done' });
      const ticks: WaitTick[] = [];
      const run = await runWithRetry({ policy, clock, random: () => 0.5, attempt: s.attempt, onWait: (t) => ticks.push(t) });
      assert.deepEqual(run, { cancelled: false, value: 'done', attempts: 2, waitedMs: 750 });
      assert.deepEqual(clock.sleeps, [750]);
      assert.deepEqual(ticks, [{ reason: 'server_error', secondsLeft: 1, attempt: 2, maxAttempts: 4 }]);
    });

    it('stops at maxAttempts', async () => {
      const s = script({ value: 'busy', retry: { reason: 'server_error' } });
      const run = await runWithRetry({ policy, clock: new FakeClock(NOW), random: () => 0, attempt: s.attempt });
      assert.equal(run.cancelled, false);
      assert.ok(!run.cancelled);
      assert.deepEqual(run.giveUp, { why: 'max_attempts', attempts: 4 });
      assert.deepEqual(s.calls, [1, 2, 3, 4]);
    });

    it('honours a per-reason retry limit (504: once)', async () => {
      const s = script({ value: 'gw', retry: { reason: 'gateway_timeout', maxRetries: 1 } });
      const run = await runWithRetry({ policy, clock: new FakeClock(NOW), attempt: s.attempt });
      assert.ok(!run.cancelled);
      assert.deepEqual(run.giveUp, { why: 'retry_limit', reason: 'gateway_timeout', maxRetries: 1 });
      assert.equal(run.attempts, 2);
    });

    it('uses the server delay, and gives up at once when it exceeds the remaining budget', async () => {
      const clock = new FakeClock(NOW);
      const s = script(
        { value: 'rl', retry: { reason: 'rate_limited', serverDelay: { ms: 4000, source: 'Retry-After' } } },
        { value: 'rl', retry: { reason: 'rate_limited', serverDelay: { ms: 7000, source: 'Retry-After' } } },
      );
      const run = await runWithRetry({ policy, clock, attempt: s.attempt });
      assert.ok(!run.cancelled);
      assert.deepEqual(clock.sleeps, [1000, 1000, 1000, 1000]);
      assert.deepEqual(run.giveUp, { why: 'wait_too_long', requestedMs: 7000, remainingMs: 6000, source: 'Retry-After', retryAt: NOW + 4000 + 7000 });
    });

    it('shortens backoff to the remaining budget, then gives up', async () => {
      const clock = new FakeClock(NOW);
      const s = script({ value: 'busy', retry: { reason: 'network' } });
      const run = await runWithRetry({ policy: { ...policy, maxAttempts: 10, maxWaitMs: 2000 }, clock, random: () => 0.5, attempt: s.attempt });
      assert.ok(!run.cancelled);
      assert.deepEqual(clock.sleeps, [750, 250, 1000]); // 750; then 1500 shortened to the 1250 left (counted down as 250 + 1000)
      assert.deepEqual(run.giveUp, { why: 'budget_exhausted', waitedMs: 2000, maxWaitMs: 2000 });
    });

    it('is cancelled at once during a wait', async () => {
      const clock = new BlockingClock(NOW);
      const controller = new AbortController();
      const s = script({ value: 'rl', retry: { reason: 'rate_limited', serverDelay: { ms: 5000, source: 'Retry-After' } } });
      const running = runWithRetry({ policy, clock, signal: controller.signal, attempt: s.attempt });
      await clock.sleeping;
      controller.abort();
      const run = await running;
      assert.deepEqual(run, { cancelled: true, attempts: 1, waitedMs: 0, last: 'rl' });
      assert.deepEqual(s.calls, [1]);
    });

    it('does not start when already cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      const s = script({ value: 'x' });
      const run = await runWithRetry({ policy, clock: new FakeClock(NOW), signal: controller.signal, attempt: s.attempt });
      assert.equal(run.cancelled, true);
      assert.deepEqual(s.calls, []);
    });
  });

  describe('systemClock', () => {
    it('sleeps for real', async () => {
      const started = Date.now();
      await systemClock.sleep(30);
      assert.ok(Date.now() - started >= 25);
    });

    it('rejects at once on abort', async () => {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 20);
      await assert.rejects(systemClock.sleep(60_000, controller.signal), { name: 'AbortError' });
      assert.ok(Date.now() - started < 2000);
      await assert.rejects(systemClock.sleep(10, controller.signal), { name: 'AbortError' });
    });
  });
});
