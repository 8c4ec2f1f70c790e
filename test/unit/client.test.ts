/**
 * The client against the Context7 stand-in: a real HTTP server on 127.0.0.1.
 * Waits between attempts use a fake clock (instant, but recorded); real time
 * matters only for the timeout and cancellation tests.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ALREADY_PROCESSING_MESSAGE,
  Context7Client,
  MAYBE_SUBMITTED_ADVICE,
  userAgent,
  type AddResult,
  type ClientOptions,
  type Failure,
  type Progress,
} from '../../src/core/client';
import type { Clock } from '../../src/core/clock';
import type { AddSpaceDraft } from '../../src/core/schema';
import { Context7Stub, type RecordedRequest } from '../support/context7-stub';
import { BlockingClock, FakeClock } from '../support/fake-clock';
import { addConfluenceContract } from '../support/openapi';
import { EXPECTED_BY_EXAMPLE, exampleKey } from './expectations';

const KEY = 'ctx7sk-unit-test-9f8e7d6c5b4a3210';
const UA = userAgent('0.1.0', '1.100.3');
const DRAFT: AddSpaceDraft = {
  siteUrl: ' https://Acme.atlassian.net/wiki/ ',
  cloudId: '1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D',
  spaceKey: 'DOCS',
  spaceName: 'Documentation',
  pageIds: '',
  title: 'Acme Docs',
  description: 'Internal documentation',
  projectId: '  ',
};
const EXPECTED_BODY = {
  cloudId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  siteUrl: 'https://acme.atlassian.net',
  spaceKey: 'DOCS',
  spaceName: 'Documentation',
  title: 'Acme Docs',
  description: 'Internal documentation',
};
const err = (error: string, message: string) => ({ error, message });
/** The OpenAPI document's request example `cloudId` (`a]1b2c3d4-…`), which is not a UUID. */
const MALFORMED_EXAMPLE_CLOUD_ID = (addConfluenceContract().requestExample as { cloudId: string }).cloudId;

interface Run {
  result: AddResult;
  logs: string[];
  progress: Progress[];
  clock: Clock;
  requests: RecordedRequest[];
  elapsedMs: number;
}

describe('Context7Client against the stand-in server', function () {
  let stub: Context7Stub;
  const everyRequest: RecordedRequest[] = [];

  before(async () => {
    stub = await Context7Stub.start();
  });
  after(async () => {
    await stub.close();
  });
  afterEach(() => stub.reset());

  async function submit(
    opts: { clock?: Clock; options?: Partial<ClientOptions>; fetch?: typeof fetch; request?: AddSpaceDraft } = {},
  ): Promise<Run> {
    const clock = opts.clock ?? new FakeClock();
    const logs: string[] = [];
    const progress: Progress[] = [];
    const client = new Context7Client({
      fetch: opts.fetch ?? fetch,
      clock,
      userAgent: UA,
      log: (level, line) => logs.push(`${level} ${line}`),
      random: () => 0.5,
    });
    const started = Date.now();
    const result = await client.addConfluenceSpace(opts.request ?? DRAFT, {
      apiKey: KEY,
      apiUrl: stub.apiUrl,
      onProgress: (p) => progress.push(p),
      ...opts.options,
    });
    const elapsedMs = Date.now() - started;
    const requests = stub.requests.slice();
    everyRequest.push(...requests);

    // The key never leaves the client except in the Authorization header.
    for (const line of logs) assert.ok(!line.includes(KEY), `key in log line: ${line}`);
    assert.ok(!JSON.stringify(result).includes(KEY), 'key in result');
    // Every request sent validates against the OpenAPI contract.
    for (const r of requests) assert.deepEqual(r.contractErrors, [], `contract errors: ${r.contractErrors.join('; ')}`);
    // One log line per attempt.
    const attempts = result.ok ? result.attempts : result.failure.attempts;
    assert.equal(logs.filter((l) => /^(?:info|warn) POST \S+ -> /.test(l)).length, attempts, logs.join('\n'));
    return { result, logs, progress, clock, requests, elapsedMs };
  }

  function failureOf(result: AddResult): Failure {
    assert.equal(result.ok, false, JSON.stringify(result));
    assert.ok(!result.ok);
    assert.ok(result.failure.message.length > 0);
    assert.ok(!/\bundefined\b/.test(result.failure.message), result.failure.message);
    return result.failure;
  }

  describe('success', () => {
    it('sends the normalized request with the documented headers and returns the library', async () => {
      const { result, requests, logs } = await submit();
      assert.deepEqual(result, { ok: true, libraryName: '/confluence/docs', message: 'Confluence space submitted successfully', attempts: 1 });
      assert.equal(requests.length, 1);
      const [req] = requests;
      assert.equal(req.method, 'POST');
      assert.equal(req.path, '/api/v2/add/confluence');
      assert.equal(req.headers.authorization, `Bearer ${KEY}`);
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(req.headers.accept, 'application/json');
      assert.equal(req.headers['user-agent'], 'context7-confluence/0.1.0 VSCode/1.100.3');
      assert.deepEqual(req.body, EXPECTED_BODY);
      assert.ok(!('pageIds' in (req.body as object)) && !('projectId' in (req.body as object)), 'empty optionals are omitted');
      assert.ok(logs.some((l) => new RegExp(`^info POST ${stub.apiUrl}/v2/add/confluence -> 200 \\(\\d+ ms, attempt 1/4\\)$`).test(l)), logs.join('\n'));
    });

    it('sends pageIds and projectId when given, and tolerates a trailing slash in the API URL', async () => {
      const { result, requests } = await submit({
        request: { ...DRAFT, pageIds: '12, https://acme.atlassian.net/wiki/spaces/DOCS/pages/34/T 12', projectId: ' p-1 ' },
        options: { apiUrl: `${stub.apiUrl}//` },
      });
      assert.ok(result.ok);
      assert.deepEqual(requests[0].body, { ...EXPECTED_BODY, pageIds: ['12', '34'], projectId: 'p-1' });
      assert.equal(requests[0].path, '/api/v2/add/confluence');
    });

    it('reports "sending" progress for each attempt', async () => {
      stub.enqueue({ status: 500, body: err('internal_error', 'boom') });
      const { progress } = await submit();
      assert.deepEqual(
        progress.filter((p) => p.kind === 'sending'),
        [
          { kind: 'sending', attempt: 1, maxAttempts: 4 },
          { kind: 'sending', attempt: 2, maxAttempts: 4 },
        ],
      );
    });
  });

  describe('every response example of the OpenAPI document, through the client', () => {
    for (const example of addConfluenceContract().responseExamples) {
      const expected = EXPECTED_BY_EXAMPLE[exampleKey(example)];
      const retried = expected?.retry !== undefined;
      it(`${exampleKey(example)} -> ${expected?.kind}${retried ? ', retried, then the default 200' : ''}`, async () => {
        assert.ok(expected);
        const headers: Record<string, string> = { ...example.headers };
        // The document declares Retry-After for 429 without an example value: use 1 second.
        if ('Retry-After' in example.headerDefinitions && headers['Retry-After'] === undefined) headers['Retry-After'] = '1';
        stub.enqueue({ status: example.status, headers, body: example.body });
        const clock = new FakeClock();
        const { result, requests } = await submit({ clock });
        if (expected.kind === 'success' || retried) {
          assert.ok(result.ok, JSON.stringify(result));
          assert.equal(result.attempts, retried ? 2 : 1);
          assert.equal(requests.length, retried ? 2 : 1);
          if (example.status === 429) assert.deepEqual(clock.sleeps, [1000]);
          return;
        }
        const failure = failureOf(result);
        assert.equal(failure.kind, expected.kind);
        assert.deepEqual(failure.actions, expected.actions);
        assert.equal(failure.url, expected.url);
        assert.equal(failure.attempts, 1, 'not retried');
        assert.equal(requests.length, 1);
        if (expected.message) assert.match(failure.message, expected.message);
      });
    }
  });

  describe('4xx answers', () => {
    it('400: shows the server message mapped to its field, no retry', async () => {
      stub.enqueue({ status: 400, body: err('validation_error', 'Invalid cloudId for this site') });
      const failure = failureOf((await submit()).result);
      assert.equal(failure.kind, 'validation');
      assert.equal(failure.field, 'cloudId');
      assert.deepEqual(failure.fieldErrors, { cloudId: 'Cloud ID: Invalid cloudId for this site' });
      assert.equal(failure.serverMessage, 'Invalid cloudId for this site');
      assert.deepEqual(failure.actions, ['openForm', 'showLog']);
      assert.equal(failure.attempts, 1);
    });

    it('401: "rejected the API key" with Set API Key, no retry', async () => {
      stub.enqueue({ status: 401, body: err('invalid_api_key', 'Invalid API key.') });
      const failure = failureOf((await submit()).result);
      assert.equal(failure.kind, 'invalid_api_key');
      assert.match(failure.message, /^Context7 rejected the API key/);
      assert.deepEqual(failure.actions, ['setApiKey']);
      assert.equal(failure.attempts, 1);
    });

    const forbidden: [string, ReturnType<typeof err>, string, string][] = [
      ['access denied', err('access_denied', 'Access denied: not in your allowed libraries'), 'access_denied', 'https://context7.com/dashboard'],
      ['role', err('forbidden', 'Only team owners and admins can add private repositories'), 'forbidden_role', 'https://context7.com/dashboard'],
      ['plan', err('forbidden', 'Private repositories require a pro plan or team. Upgrade at https://context7.com/plans'), 'forbidden_plan', 'https://context7.com/plans'],
    ];
    for (const [name, body, kind, url] of forbidden) {
      it(`403 ${name}: ${kind} with a link to ${url}, no retry`, async () => {
        stub.enqueue({ status: 403, body });
        const failure = failureOf((await submit()).result);
        assert.equal(failure.kind, kind);
        assert.equal(failure.url, url);
        assert.equal(failure.attempts, 1);
      });
    }

    it('409: "already added", no retry', async () => {
      stub.enqueue({ status: 409, body: err('duplicate_repo', 'This private repository is already in your team') });
      const failure = failureOf((await submit()).result);
      assert.equal(failure.kind, 'duplicate');
      assert.match(failure.message, /already been added/);
      assert.equal(failure.attempts, 1);
    });

    it('redacts a key the server echoes back', async () => {
      stub.enqueue({ status: 400, body: err('validation_error', `Key ${KEY} has no access; header was Bearer ${KEY}`) });
      const failure = failureOf((await submit()).result); // submit() asserts the key is absent
      assert.match(failure.serverMessage ?? '', /\*\*\*/);
    });

    it('redacts a key echoed in a 400 message that names a field: message and field errors', async () => {
      // Not shaped like ctx7sk-…, so only the redaction of the current key can catch it.
      const key = 'team-key-5f4e3d2c1b0a';
      for (const apiKey of [KEY, key]) {
        stub.enqueue({ status: 400, body: err(`bad_key_${apiKey}`, `cloudId is not valid for key ${apiKey}`) });
        const failure = failureOf((await submit({ options: { apiKey } })).result);
        assert.equal(failure.field, 'cloudId');
        assert.ok(failure.fieldErrors?.cloudId, JSON.stringify(failure));
        for (const text of [failure.message, failure.serverMessage, failure.code, failure.fieldErrors.cloudId]) {
          assert.ok(text !== undefined && !text.includes(apiKey), `key in ${String(text)}`);
        }
        assert.match(failure.fieldErrors.cloudId, /^Cloud ID: cloudId is not valid for key .*\*\*\*$/);
        assert.ok(!JSON.stringify(failure).includes(apiKey));
      }
    });
  });

  describe('429', () => {
    it('waits for Retry-After seconds with a countdown, then succeeds', async () => {
      stub.enqueue({ status: 429, headers: { 'Retry-After': '3' }, body: err('rate_limit_exceeded', 'Rate limit exceeded.') });
      const clock = new FakeClock();
      const { result, progress } = await submit({ clock });
      assert.ok(result.ok);
      assert.equal(result.attempts, 2);
      assert.deepEqual(clock.sleeps, [1000, 1000, 1000]);
      assert.deepEqual(
        progress.filter((p) => p.kind === 'waiting'),
        [3, 2, 1].map((secondsLeft) => ({ kind: 'waiting', reason: 'rate_limited', secondsLeft, attempt: 2, maxAttempts: 4 })),
      );
    });

    it('waits until a Retry-After HTTP date', async () => {
      const clock = new FakeClock();
      stub.enqueue({ status: 429, headers: { 'Retry-After': new Date(clock.now() + 5000).toUTCString() }, body: err('rate_limit_exceeded', 'Slow down') });
      const { result } = await submit({ clock });
      assert.ok(result.ok);
      assert.equal(clock.totalSlept, 5000);
    });

    it('waits until RateLimit-Reset when there is no Retry-After', async () => {
      const clock = new FakeClock();
      stub.enqueue({
        status: 429,
        headers: { 'RateLimit-Limit': '60', 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(clock.now() / 1000 + 4) },
        body: err('rate_limit_exceeded', 'Slow down'),
      });
      const { result } = await submit({ clock });
      assert.ok(result.ok);
      assert.equal(clock.totalSlept, 4000);
    });

    it('backs off with jitter when there is no header', async () => {
      stub.enqueue({ status: 429, body: err('rate_limit_exceeded', 'Slow down') }, { status: 429, body: err('rate_limit_exceeded', 'Slow down') });
      const clock = new FakeClock();
      const { result } = await submit({ clock });
      assert.ok(result.ok);
      assert.equal(result.attempts, 3);
      assert.equal(clock.totalSlept, 750 + 1500);
    });

    it('does not wait out an absurd Retry-After: fails at once and explains', async () => {
      stub.enqueue({ status: 429, headers: { 'Retry-After': '86400' }, body: err('rate_limit_exceeded', 'Rate limit exceeded.') });
      const clock = new FakeClock();
      const { result, requests } = await submit({ clock });
      const failure = failureOf(result);
      assert.equal(failure.kind, 'rate_limited');
      assert.equal(failure.attempts, 1);
      assert.equal(requests.length, 1);
      assert.deepEqual(clock.sleeps, []);
      assert.match(failure.message, /asked to wait about 24 hours before retrying \(Retry-After header\)/);
      assert.match(failure.message, /waiting limit of 2 minutes \(setting "context7\.retry\.maxWaitSeconds"\), so the extension did not wait/);
      assert.equal(failure.retryAt, clock.now() + 86_400_000);
    });

    it('gives up after maxAttempts', async () => {
      stub.setDefault({ status: 429, headers: { 'Retry-After': '1' }, body: err('rate_limit_exceeded', 'Rate limit exceeded.') });
      const { result, requests } = await submit({ options: { maxAttempts: 3 } });
      const failure = failureOf(result);
      assert.equal(failure.kind, 'rate_limited');
      assert.equal(failure.attempts, 3);
      assert.equal(requests.length, 3);
      assert.match(failure.message, /Gave up after 3 attempts/);
    });
  });

  describe('5xx', () => {
    it('503: "temporarily unavailable" (server_error), retried with backoff, then succeeds', async () => {
      stub.enqueue({ status: 503, body: err('unavailable', 'Service unavailable') });
      const clock = new FakeClock();
      const { result } = await submit({ clock });
      assert.ok(result.ok);
      assert.equal(result.attempts, 2);
      assert.deepEqual(clock.sleeps, [750]);
    });

    it('503 until maxAttempts: server_error saying Context7 is temporarily unavailable', async () => {
      stub.setDefault({ status: 503 });
      const { result, requests } = await submit({ options: { maxAttempts: 2 } });
      const failure = failureOf(result);
      assert.equal(failure.kind, 'server_error');
      assert.equal(failure.status, 503);
      assert.equal(requests.length, 2);
      assert.match(failure.message, /^Context7 is temporarily unavailable \(HTTP 503\b.*Gave up after 2 attempts/);
    });

    it('500: retried with backoff, then succeeds', async () => {
      stub.enqueue({ status: 500, body: err('internal_error', 'An error occurred') });
      const clock = new FakeClock();
      const { result, progress } = await submit({ clock });
      assert.ok(result.ok);
      assert.equal(result.attempts, 2);
      assert.deepEqual(clock.sleeps, [750]);
      assert.ok(progress.some((p) => p.kind === 'waiting' && p.reason === 'server_error'));
    });

    it('500 until the waiting budget is spent: bounded, explained failure', async () => {
      stub.setDefault({ status: 500, body: err('internal_error', 'An error occurred') });
      const clock = new FakeClock();
      const { result } = await submit({ clock, options: { maxAttempts: 10, maxWaitMs: 2000 } });
      const failure = failureOf(result);
      assert.equal(failure.kind, 'server_error');
      assert.equal(clock.totalSlept, 2000);
      assert.equal(failure.attempts, 3);
      assert.match(failure.message, /Gave up after waiting 2 seconds in total/);
    });

    it('500 until maxAttempts', async () => {
      stub.setDefault({ status: 500, body: err('internal_error', 'An error occurred') });
      const { result, requests } = await submit();
      const failure = failureOf(result);
      assert.equal(failure.kind, 'server_error');
      assert.equal(failure.attempts, 4);
      assert.equal(requests.length, 4);
      assert.deepEqual(failure.actions, ['retry', 'showLog']);
    });

    it('504 then 409: submitted, already being processed', async () => {
      stub.enqueue({ status: 504, body: err('timeout', 'Request timed out.') }, { status: 409, body: err('duplicate_repo', 'Already in your team') });
      const { result, requests } = await submit();
      assert.deepEqual(result, { ok: true, alreadyProcessing: true, message: ALREADY_PROCESSING_MESSAGE, attempts: 2 });
      assert.match(ALREADY_PROCESSING_MESSAGE, /submitted and is already being processed/);
      assert.equal(requests.length, 2);
    });

    it('504 then 504: fails after exactly two attempts', async () => {
      stub.setDefault({ status: 504, body: err('timeout', 'Request timed out.') });
      const { result, requests } = await submit();
      const failure = failureOf(result);
      assert.equal(failure.kind, 'gateway_timeout');
      assert.equal(failure.attempts, 2);
      assert.equal(requests.length, 2);
      assert.match(failure.message, /may still have been submitted.*retried once and timed out again/);
    });

    it('HTML 502 from a proxy: bad_response naming the status, after bounded retries', async () => {
      stub.setDefault({
        status: 502,
        headers: { 'Content-Type': 'text/html' },
        body: '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>',
      });
      const { result } = await submit({ options: { maxAttempts: 2 } });
      const failure = failureOf(result);
      assert.equal(failure.kind, 'bad_response');
      assert.equal(failure.status, 502);
      assert.equal(failure.attempts, 2);
      assert.match(failure.message, /HTTP 502 Bad Gateway with an HTML page.*proxy/);
    });
  });

  describe('odd answers', () => {
    it('an undocumented status (418) is unexpected_status, not retried', async () => {
      stub.enqueue({ status: 418, body: err('teapot', 'I am a teapot') });
      const failure = failureOf((await submit()).result);
      assert.equal(failure.kind, 'unexpected_status');
      assert.equal(failure.status, 418);
      assert.equal(failure.attempts, 1);
      assert.match(failure.message, /418/);
    });

    it('a 200 whose body does not match the schema is bad_response', async () => {
      stub.enqueue({ status: 200, body: { library: '/x', ok: true } });
      const failure = failureOf((await submit()).result);
      assert.equal(failure.kind, 'bad_response');
      assert.equal(failure.attempts, 1);
    });

    it('a 200 with a non-JSON body is bad_response', async () => {
      stub.enqueue({ status: 200, body: 'OK' });
      assert.equal(failureOf((await submit()).result).kind, 'bad_response');
    });

    it('a redirect is not followed', async () => {
      stub.enqueue({ status: 307, headers: { Location: 'https://elsewhere.invalid/api/v2/add/confluence' } });
      const { result, requests } = await submit();
      const failure = failureOf(result);
      assert.equal(failure.kind, 'unexpected_status');
      assert.match(failure.message, /redirected/);
      assert.equal(requests.length, 1);
    });
  });

  describe('network faults', () => {
    it('connection refused: retried within bounds, then "Could not connect to <host>"', async () => {
      const dead = http.createServer();
      await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
      const port = (dead.address() as AddressInfo).port;
      await new Promise<void>((resolve) => dead.close(() => resolve()));
      const clock = new FakeClock();
      const { result } = await submit({ clock, options: { apiUrl: `http://127.0.0.1:${port}/api`, maxAttempts: 3 } });
      const failure = failureOf(result);
      assert.equal(failure.kind, 'network');
      assert.equal(failure.fault, 'refused');
      assert.equal(failure.code, 'ECONNREFUSED');
      assert.equal(failure.attempts, 3);
      assert.deepEqual(clock.sleeps, [750, 500, 1000]); // 750, then 1500 counted down as 500 + 1000
      assert.match(failure.message, new RegExp(`^Could not connect to 127\\.0\\.0\\.1:${port}`));
    });

    it('connection reset mid-body: a distinct failure after bounded retries', async () => {
      stub.setDefault({ status: 200, body: { libraryName: '/confluence/docs', message: 'Confluence space submitted successfully' }, drop: 'mid-body' });
      const { result } = await submit({ options: { maxAttempts: 2 } });
      const failure = failureOf(result);
      assert.equal(failure.kind, 'network');
      assert.equal(failure.fault, 'reset');
      assert.equal(failure.attempts, 2);
      assert.match(failure.message, /connection to 127\.0\.0\.1:\d+ was closed/);
    });

    it('reset: the final message says the space may already have been submitted, not a plain "try again"', async () => {
      stub.setDefault({ status: 200, body: { libraryName: '/confluence/docs', message: 'ok' }, drop: 'mid-body' });
      const failure = failureOf((await submit({ options: { maxAttempts: 2 } })).result);
      assert.equal(failure.fault, 'reset');
      assert.ok(failure.message.endsWith(MAYBE_SUBMITTED_ADVICE), failure.message);
      assert.match(failure.message, /may already have been submitted: check the Context7 dashboard before trying again\.$/);
      assert.ok(!/try again(?: later)?\./i.test(failure.message.slice(0, -MAYBE_SUBMITTED_ADVICE.length)), failure.message);
      assert.deepEqual(failure.actions, ['openDashboard', 'retry', 'showLog']);
      assert.equal(failure.url, 'https://context7.com/dashboard');
    });

    it('reset, then 500 until the end: the final 500 also says the space may already have been submitted', async () => {
      stub.enqueue({ status: 200, body: { libraryName: '/confluence/docs', message: 'ok' }, drop: 'mid-body' });
      stub.setDefault({ status: 500, body: err('internal_error', 'boom') });
      const failure = failureOf((await submit({ options: { maxAttempts: 3 } })).result);
      assert.equal(failure.kind, 'server_error');
      assert.ok(failure.message.endsWith(MAYBE_SUBMITTED_ADVICE), failure.message);
      assert.ok(!/Try again later/.test(failure.message), failure.message);
      assert.deepEqual(failure.actions, ['openDashboard', 'retry', 'showLog']);
    });

    it('reset mid-body, then 409: the first attempt was received, so already being processed', async () => {
      stub.enqueue(
        { status: 200, body: { libraryName: '/confluence/docs', message: 'ok' }, drop: 'mid-body' },
        { status: 409, body: err('duplicate_repo', 'Already in your team') },
      );
      const { result } = await submit();
      assert.ok(result.ok && result.alreadyProcessing);
      assert.equal(result.attempts, 2);
    });

    it('connection closed before headers, then success', async () => {
      stub.enqueue({ status: 200, drop: 'before-headers' });
      const { result } = await submit();
      assert.ok(result.ok);
      assert.equal(result.attempts, 2);
    });

    it('TLS failure (https to a plain-http port): distinct message, not retried', async () => {
      const { result } = await submit({ options: { apiUrl: stub.apiUrl.replace('http://', 'https://') } });
      const failure = failureOf(result);
      assert.equal(failure.kind, 'network');
      assert.equal(failure.fault, 'tls');
      assert.equal(failure.attempts, 1);
      assert.match(failure.message, /^The secure connection to 127\.0\.0\.1:\d+ failed/);
    });

    it('DNS failure: distinct message, not retried', async () => {
      let calls = 0;
      const failingFetch: typeof fetch = async () => {
        calls += 1;
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND context7.invalid'), { code: 'ENOTFOUND' }) });
      };
      const { result } = await submit({ fetch: failingFetch, options: { apiUrl: 'https://context7.invalid/api' } });
      const failure = failureOf(result);
      assert.equal(failure.fault, 'dns');
      assert.equal(calls, 1);
      assert.match(failure.message, /^Could not find the server context7\.invalid/);
    });

    it('slower than the timeout: kind timeout naming the setting, not retried', async function () {
      this.timeout(5000);
      stub.enqueue({ status: 200, delayMs: 2000, body: { libraryName: '/confluence/docs', message: 'late' } });
      const { result, elapsedMs } = await submit({ options: { timeoutMs: 200 } });
      const failure = failureOf(result);
      assert.equal(failure.kind, 'timeout');
      assert.equal(failure.attempts, 1);
      assert.match(failure.message, /within 200 ms \(setting "context7\.request\.timeoutSeconds"\)/);
      assert.ok(elapsedMs < 1500, `took ${elapsedMs} ms`);
    });
  });

  describe('cancellation', () => {
    it('during the request: stops at once', async function () {
      this.timeout(5000);
      stub.enqueue({ status: 200, delayMs: 10_000, body: { libraryName: '/x/y', message: 'late' } });
      const controller = new AbortController();
      const running = submit({ options: { signal: controller.signal } });
      await stub.waitForRequests(1);
      controller.abort();
      const { result, elapsedMs } = await running;
      const failure = failureOf(result);
      assert.equal(failure.kind, 'cancelled');
      assert.equal(failure.attempts, 1);
      assert.match(failure.message, /may already have reached Context7/);
      assert.ok(elapsedMs < 3000, `took ${elapsedMs} ms`);
    });

    it('during a backoff wait: stops at once, nothing more is sent', async () => {
      stub.enqueue({ status: 429, headers: { 'Retry-After': '30' }, body: err('rate_limit_exceeded', 'Slow down') });
      const clock = new BlockingClock();
      const controller = new AbortController();
      const running = submit({ clock, options: { signal: controller.signal } });
      await clock.sleeping;
      controller.abort();
      const { result, requests, progress } = await running;
      const failure = failureOf(result);
      assert.equal(failure.kind, 'cancelled');
      assert.equal(failure.attempts, 1);
      assert.equal(requests.length, 1);
      assert.deepEqual(progress.at(-1), { kind: 'waiting', reason: 'rate_limited', secondsLeft: 30, attempt: 2, maxAttempts: 4 });
    });

    it('already cancelled: nothing is sent', async () => {
      const controller = new AbortController();
      controller.abort();
      const { result, requests } = await submit({ options: { signal: controller.signal } });
      assert.equal(failureOf(result).kind, 'cancelled');
      assert.equal(requests.length, 0);
    });
  });

  describe('local checks before any request', () => {
    it('invalid fields: validation failure with field errors, nothing sent', async () => {
      assert.match(MALFORMED_EXAMPLE_CLOUD_ID, /^a\]1b2c3d4-/, 'the document still has its malformed example cloudId');
      const { result, requests } = await submit({ request: { ...DRAFT, cloudId: MALFORMED_EXAMPLE_CLOUD_ID, title: '' } });
      const failure = failureOf(result);
      assert.equal(failure.kind, 'validation');
      assert.equal(failure.field, 'cloudId');
      assert.deepEqual(Object.keys(failure.fieldErrors ?? {}), ['cloudId', 'title']);
      assert.deepEqual(failure.actions, ['openForm']);
      assert.equal(failure.attempts, 0);
      assert.equal(requests.length, 0);
    });

    for (const [name, apiKey, code] of [
      ['missing', '', 'missing_api_key'],
      ['blank', '   ', 'missing_api_key'],
      ['with spaces inside', 'ctx7sk-abc def', 'malformed_api_key'],
      ['with a new line inside', 'ctx7sk-abc\ndef', 'malformed_api_key'],
    ] as const) {
      it(`API key ${name}: invalid_api_key (${code}) with Set API Key, nothing sent`, async () => {
        const { result, requests } = await submit({ options: { apiKey } });
        const failure = failureOf(result);
        assert.equal(failure.kind, 'invalid_api_key');
        assert.equal(failure.code, code);
        assert.deepEqual(failure.actions, ['setApiKey']);
        assert.equal(requests.length, 0);
        assert.ok(!failure.message.includes('abc def') && !failure.message.includes('abc\ndef'));
      });
    }

    it('malformed API URL: invalid_config naming the setting, nothing sent', async () => {
      const { result, requests } = await submit({ options: { apiUrl: 'ftp://context7.com/api' } });
      const failure = failureOf(result);
      assert.equal(failure.kind, 'invalid_config');
      assert.match(failure.message, /context7\.apiUrl/);
      assert.equal(requests.length, 0);
    });

    it('the key is trimmed before it is sent', async () => {
      const { result, requests } = await submit({ options: { apiKey: `  ${KEY}\n` } });
      assert.ok(result.ok);
      assert.equal(requests[0].headers.authorization, `Bearer ${KEY}`);
    });
  });

  it('builds the User-Agent from the extension and VS Code versions', () => {
    assert.equal(userAgent('0.1.0', '1.100.3'), 'context7-confluence/0.1.0 VSCode/1.100.3');
    assert.equal(userAgent(' 1.0.0 beta ', ''), 'context7-confluence/1.0.0_beta VSCode/unknown');
  });

  // A nested suite, so that it runs after all the others (mocha runs a suite's own tests first).
  describe('contract', () => {
    it('every request sent in these tests validated against the OpenAPI request schema and bearer security', () => {
      assert.ok(everyRequest.length >= 30, `only ${everyRequest.length} requests`);
      const problems = everyRequest.filter((r) => r.contractErrors.length > 0);
      assert.deepEqual(problems, []);
      for (const r of everyRequest) {
        assert.deepEqual(addConfluenceContract().validateRequestBody(r.body), []);
        assert.deepEqual(addConfluenceContract().checkSecurity(r.headers), []);
      }
    });
  });
});
