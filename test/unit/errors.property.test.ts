/**
 * Property test of the response side: whatever status, headers and body come back,
 * classifying the answer of POST /v2/add/confluence never throws and always gives a
 * clear message and a documented kind. The request side has its own property tests
 * in schema.test.ts.
 *
 * Generated text never contains the words the message must not show ("undefined",
 * "null", "[object Object]"), because the server's own text is quoted in messages:
 * any of these words in a message is then ours.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyAddConfluenceResponse, DASHBOARD_URL, PLANS_URL, type FailureAction, type FailureKind } from '../../src/core/errors';
import { MAX_SERVER_DELAY_MS, type WaitReason } from '../../src/core/retry';
import { addConfluenceContract } from '../support/openapi';

/** The kinds an answer can be classified as (the README's table, without the local and network-only kinds). */
const ANSWER_KINDS: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'validation',
  'invalid_api_key',
  'access_denied',
  'forbidden_role',
  'forbidden_plan',
  'forbidden',
  'duplicate',
  'rate_limited',
  'server_error',
  'gateway_timeout',
  'bad_response',
  'unexpected_status',
]);
const ACTIONS: ReadonlySet<FailureAction> = new Set<FailureAction>(['setApiKey', 'retry', 'showLog', 'openForm', 'openDashboard', 'openPlans']);
const WAIT_REASONS: ReadonlySet<WaitReason> = new Set<WaitReason>(['rate_limited', 'server_error', 'gateway_timeout', 'network']);

const FORBIDDEN = /undefined|null|\[object object\]/i;
const clean = (text: string) => !FORBIDDEN.test(text);

/** Whether a JSON value holds (as a key or a string) one of the forbidden words. */
function hasForbiddenText(value: unknown): boolean {
  if (typeof value === 'string') return !clean(value);
  if (Array.isArray(value)) return value.some(hasForbiddenText);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([key, inner]) => !clean(key) || hasForbiddenText(inner));
  }
  return false;
}

const text = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 })).filter(clean);
const json = fc.jsonValue({ maxDepth: 3 }).filter((v) => !hasForbiddenText(v));
/** A documented body shape (`{error, message}` or `{libraryName, message}`) with members of any type, or missing. */
const shaped = fc.oneof(
  fc.record({ error: json, message: json }, { requiredKeys: [] }),
  fc.record({ libraryName: json, message: json }, { requiredKeys: [] }),
  fc.record({ error: text, message: text }),
  fc.record({ libraryName: text, message: text }),
);
const examples = addConfluenceContract().responseExamples.map((e) => JSON.stringify(e.body));

const body = fc.oneof(
  fc.constant(''),
  text,
  json.map((v) => JSON.stringify(v)),
  shaped.map((v) => JSON.stringify(v)),
  fc.constantFrom(...examples),
  // A documented body cut short, as by a dropped connection.
  fc.tuple(fc.constantFrom(...examples), fc.nat()).map(([b, n]) => b.slice(0, n % (b.length + 1))),
  text.map((t) => `<html><head><title>${t}</title></head><body><h1>${t}</h1></body></html>`),
);

const headerName = fc.oneof(
  fc.constantFrom(
    'Retry-After',
    'retry-after',
    'RateLimit-Reset',
    'ratelimit-reset',
    'RateLimit-Limit',
    'RateLimit-Remaining',
    'RateLimit',
    'RateLimit-Policy',
    'Content-Type',
    'Location',
  ),
  text,
);
const word = fc.constantFrom('soon', 'foo', 'x', 'later', 'Wed,', 'GMT', 'tomorrow');
const headerValue = fc.oneof(
  text,
  fc.nat().map(String),
  fc.stringMatching(/^\d{1,400}$/),
  fc.double().map(String),
  fc.integer({ min: -1e6, max: 0 }).map(String),
  fc.tuple(word, fc.integer({ min: -5, max: 3000 })).map(([w, n]) => `${w} ${n}`),
  fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('text/html', 'application/json', 'text/plain; charset=utf-8', 'application/problem+json'),
);
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 6 });

describe('errors: every answer is classified (property)', () => {
  it('never throws; a clear, non-empty message and a documented kind for any status, headers and body', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.option(text, { nil: undefined }),
        headers,
        body,
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (status, statusText, headerRecord, bodyText, nowMs) => {
          const outcome = classifyAddConfluenceResponse({ status, statusText, headers: headerRecord, bodyText, nowMs });
          if (outcome.ok) {
            assert.ok(status >= 200 && status < 300, `success for ${status}`);
            assert.ok(outcome.libraryName.trim() !== '');
            assert.ok(outcome.message.trim() !== '' && clean(outcome.message), outcome.message);
            return;
          }
          const { failure, retry } = outcome;
          assert.ok(failure.message.trim() !== '', 'empty message');
          assert.ok(clean(failure.message), failure.message);
          assert.ok(ANSWER_KINDS.has(failure.kind), failure.kind);
          assert.equal(failure.status, status);
          assert.ok(failure.actions.length > 0 && failure.actions.every((a) => ACTIONS.has(a)), failure.actions.join());
          if (failure.url !== undefined) assert.ok([DASHBOARD_URL, PLANS_URL].includes(failure.url), failure.url);
          for (const value of Object.values(failure.fieldErrors ?? {})) assert.ok(value.trim() !== '' && clean(value), value);
          if (retry) {
            assert.ok(WAIT_REASONS.has(retry.reason), retry.reason);
            const ms = retry.serverDelay?.ms;
            if (ms !== undefined) assert.ok(Number.isFinite(ms) && ms >= 0 && ms <= MAX_SERVER_DELAY_MS, String(ms));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
