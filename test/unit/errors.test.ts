import * as assert from 'node:assert/strict';
import {
  classifyAddConfluenceResponse,
  classifyNetworkError,
  describeNetworkFault,
  fieldFromServerMessage,
  inspectBody,
  redactFailure,
  type Failure,
} from '../../src/core/errors';
import { redact } from '../../src/core/redact';
import { addConfluenceContract } from '../support/openapi';
import { EXPECTED_BY_EXAMPLE, exampleKey } from './expectations';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('errors', () => {
  describe('every response example of the OpenAPI document', () => {
    const examples = addConfluenceContract().responseExamples;

    it('has an expected outcome for each example, and each expected outcome is still in the document', () => {
      assert.deepEqual(examples.map(exampleKey).sort(), Object.keys(EXPECTED_BY_EXAMPLE).sort());
      assert.deepEqual(addConfluenceContract().documentedStatuses, [200, 400, 401, 403, 409, 429, 500, 504]);
    });

    for (const example of examples) {
      it(`classifies ${exampleKey(example)}${example.summary ? ` (${example.summary})` : ''}`, () => {
        const expected = EXPECTED_BY_EXAMPLE[exampleKey(example)];
        assert.ok(expected, `no expectation for ${exampleKey(example)}`);
        const outcome = classifyAddConfluenceResponse({
          status: example.status,
          headers: { 'Content-Type': example.contentType, ...example.headers },
          bodyText: JSON.stringify(example.body),
          nowMs: NOW,
        });
        if (expected.kind === 'success') {
          assert.deepEqual(outcome, { ok: true, ...(example.body as object) });
          return;
        }
        assert.ok(!outcome.ok);
        const { failure, retry } = outcome;
        const body = example.body as { error: string; message: string };
        assert.equal(failure.kind, expected.kind);
        assert.equal(failure.status, example.status);
        assert.equal(failure.code, body.error);
        assert.equal(failure.serverMessage, body.message);
        assert.deepEqual(failure.actions, expected.actions);
        assert.equal(failure.url, expected.url);
        if (expected.message) assert.match(failure.message, expected.message);
        assert.ok(!/undefined|null|\[object/.test(failure.message), failure.message);
        assert.equal(retry?.reason, expected.retry);
        assert.equal(retry?.maxRetries, expected.maxRetries);
      });
    }

    it('uses the documented rate-limit headers when present', () => {
      const example = examples.find((e) => e.status === 429);
      assert.ok(example);
      assert.ok('Retry-After' in example.headerDefinitions && 'RateLimit-Reset' in example.headerDefinitions);
      const withRetryAfter = classifyAddConfluenceResponse({ status: 429, headers: { 'Retry-After': '3' }, bodyText: JSON.stringify(example.body), nowMs: NOW });
      assert.ok(!withRetryAfter.ok);
      assert.deepEqual(withRetryAfter.retry, { reason: 'rate_limited', serverDelay: { ms: 3000, source: 'Retry-After' } });
      const withReset = classifyAddConfluenceResponse({ status: 429, headers: { 'RateLimit-Reset': String(NOW / 1000 + 9) }, bodyText: '', nowMs: NOW });
      assert.ok(!withReset.ok);
      assert.deepEqual(withReset.retry, { reason: 'rate_limited', serverDelay: { ms: 9000, source: 'RateLimit-Reset' } });
    });
  });

  describe('answers beyond the examples', () => {
    const classify = (status: number, bodyText: string, headers: Record<string, string> = {}, statusText?: string) =>
      classifyAddConfluenceResponse({ status, statusText, headers, bodyText, nowMs: NOW });

    it('maps a 400 message to the field it mentions', () => {
      const outcome = classify(400, JSON.stringify({ error: 'validation_error', message: 'cloudId must be a valid UUID' }));
      assert.ok(!outcome.ok);
      assert.equal(outcome.failure.field, 'cloudId');
      assert.deepEqual(outcome.failure.fieldErrors, { cloudId: 'Cloud ID: cloudId must be a valid UUID' });
      assert.match(outcome.failure.message, /Check the Cloud ID field\.$/);
      assert.equal(outcome.retry, undefined);
    });

    it('finds fields in server messages', () => {
      assert.equal(fieldFromServerMessage('Invalid cloud ID'), 'cloudId');
      assert.equal(fieldFromServerMessage('siteUrl must be https'), 'siteUrl');
      assert.equal(fieldFromServerMessage('space_key not found'), 'spaceKey');
      assert.equal(fieldFromServerMessage('Page IDs not in space'), 'pageIds');
      assert.equal(fieldFromServerMessage('Title too long; description too'), 'title');
      assert.equal(fieldFromServerMessage('Library name is required'), undefined);
      assert.equal(fieldFromServerMessage(undefined), undefined);
    });

    it('tells 403s apart by message when the code is "forbidden"', () => {
      const k = (message: string) => {
        const o = classify(403, JSON.stringify({ error: 'forbidden', message }));
        return o.ok ? 'success' : o.failure.kind;
      };
      assert.equal(k('Only team owners and admins can add private repositories'), 'forbidden_role');
      assert.equal(k('Private repositories require a pro plan or team. Upgrade at https://context7.com/plans'), 'forbidden_plan');
      assert.equal(k('Nope'), 'forbidden');
      const noBody = classify(403, '');
      assert.ok(!noBody.ok);
      assert.equal(noBody.failure.kind, 'forbidden');
      assert.ok(!noBody.failure.message.includes('undefined'));
    });

    it('still classifies a documented status whose body is empty or not the error shape', () => {
      for (const [status, kind] of [[401, 'invalid_api_key'], [409, 'duplicate'], [500, 'server_error'], [400, 'validation']] as const) {
        for (const body of ['', '{}', '[]', '"x"', '{"error":5}']) {
          const o = classify(status, body);
          assert.ok(!o.ok);
          assert.equal(o.failure.kind, kind, `${status} ${body}`);
          assert.ok(!/undefined|null/.test(o.failure.message), o.failure.message);
        }
      }
    });

    it('calls an HTML page from a proxy a bad response, with the status, and still retries a 502', () => {
      const html = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';
      const o = classify(502, html, { 'Content-Type': 'text/html' }, 'Bad Gateway');
      assert.ok(!o.ok);
      assert.equal(o.failure.kind, 'bad_response');
      assert.equal(o.failure.status, 502);
      assert.match(o.failure.message, /HTTP 502 Bad Gateway with an HTML page \("502 Bad Gateway"\).*proxy/);
      assert.equal(o.retry?.reason, 'server_error');
    });

    it('reads a 429 as rate limiting even with a plain-text body', () => {
      const o = classify(429, 'Too Many Requests', { 'Retry-After': '2' });
      assert.ok(!o.ok);
      assert.equal(o.failure.kind, 'rate_limited');
      assert.equal(o.retry?.serverDelay?.ms, 2000);
    });

    it('calls an undocumented status unexpected; 404 hints at the API URL setting; 418 is not retried', () => {
      const teapot = classify(418, JSON.stringify({ error: 'teapot', message: 'short and stout' }), {}, "I'm a Teapot");
      assert.ok(!teapot.ok);
      assert.equal(teapot.failure.kind, 'unexpected_status');
      assert.match(teapot.failure.message, /HTTP 418 I'm a Teapot.*short and stout/);
      assert.equal(teapot.retry, undefined);
      const notFound = classify(404, '');
      assert.ok(!notFound.ok);
      assert.match(notFound.failure.message, /context7\.apiUrl/);
    });

    it('reports 502/503 with a JSON or empty body as Context7 being temporarily unavailable, retried like 500', () => {
      const cases: [number, string, string | undefined][] = [
        [503, '', 'Service Unavailable'],
        [503, JSON.stringify({ error: 'unavailable', message: 'Down for maintenance' }), undefined],
        [502, '{}', 'Bad Gateway'],
      ];
      for (const [status, body, statusText] of cases) {
        const o = classify(status, body, { 'Retry-After': '4' }, statusText);
        assert.ok(!o.ok);
        assert.equal(o.failure.kind, 'server_error', `${status} ${body}`);
        assert.equal(o.failure.status, status);
        assert.match(o.failure.message, new RegExp(`^Context7 is temporarily unavailable \\(HTTP ${status}\\b`));
        assert.ok(!/unexpected/i.test(o.failure.message), o.failure.message);
        assert.deepEqual(o.failure.actions, ['retry', 'showLog']);
        assert.deepEqual(o.retry, { reason: 'server_error', serverDelay: { ms: 4000, source: 'Retry-After' } });
      }
      const said = classify(503, JSON.stringify({ error: 'unavailable', message: 'Down for maintenance' }));
      assert.ok(!said.ok);
      assert.equal(said.failure.message, 'Context7 is temporarily unavailable (HTTP 503): Down for maintenance.');
    });

    it('does not follow redirects', () => {
      const o = classify(302, '', { Location: 'https://elsewhere.example.com/api' });
      assert.ok(!o.ok);
      assert.equal(o.failure.kind, 'unexpected_status');
      assert.match(o.failure.message, /redirected.*elsewhere\.example\.com.*context7\.apiUrl/);
    });

    it('calls a 200 that is not the success shape a bad response', () => {
      for (const body of ['{"foo":1}', '{"libraryName":"","message":"x"}', 'OK', '', '<html></html>']) {
        const o = classify(200, body);
        assert.ok(!o.ok, body);
        assert.equal(o.failure.kind, 'bad_response');
        assert.equal(o.failure.status, 200);
        assert.equal(o.retry, undefined);
        assert.ok(!o.failure.message.includes('undefined'), o.failure.message);
      }
    });
  });

  describe('redactFailure', () => {
    it('passes every text of a failure through the redactor, field errors included, and nothing else', () => {
      const secret = 'sk-live-0123456789';
      const info: Failure = {
        kind: 'validation',
        status: 400,
        code: `bad_${secret}`,
        message: `Context7 rejected the request: cloudId ${secret} is wrong.`,
        serverMessage: `cloudId ${secret} is wrong`,
        field: 'cloudId',
        fieldErrors: { cloudId: `Cloud ID: cloudId ${secret} is wrong`, title: 'Title: fine' },
        actions: ['openForm', 'showLog'],
        url: `https://context7.com/dashboard?key=${secret}`,
        attempts: 1,
        fault: 'reset',
        retryAt: 5,
      };
      const out = redactFailure(info, (text) => redact(text, [secret]));
      assert.ok(!JSON.stringify(out).includes(secret), JSON.stringify(out));
      assert.equal(out.fieldErrors?.cloudId, 'Cloud ID: cloudId *** is wrong');
      assert.equal(out.fieldErrors?.title, 'Title: fine');
      assert.equal(out.code, 'bad_***');
      const { kind, status, field, actions, attempts, fault, retryAt } = out;
      assert.deepEqual({ kind, status, field, actions, attempts, fault, retryAt }, { kind: 'validation', status: 400, field: 'cloudId', actions: ['openForm', 'showLog'], attempts: 1, fault: 'reset', retryAt: 5 });
      assert.ok(info.fieldErrors?.cloudId?.includes(secret), 'the input is not changed');
    });
  });

  describe('bodies', () => {
    it('tells JSON, HTML, text and empty apart', () => {
      assert.deepEqual(inspectBody('  '), { type: 'empty' });
      assert.deepEqual(inspectBody('{"a":1}'), { type: 'json', value: { a: 1 } });
      assert.deepEqual(inspectBody('<html><title> Oops </title></html>'), { type: 'html', title: 'Oops' });
      assert.deepEqual(inspectBody('{"a":1}', 'text/html'), { type: 'html' });
      assert.deepEqual(inspectBody('upstream connect error'), { type: 'text', snippet: 'upstream connect error' });
    });
  });

  describe('network faults', () => {
    const undiciError = (message: string, cause: unknown) => new TypeError(message, { cause });
    const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

    const cases: [string, unknown, string, boolean][] = [
      ['refused', undiciError('fetch failed', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9')), 'refused', true],
      ['refused (several addresses)', undiciError('fetch failed', Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]), { code: 'ECONNREFUSED' })), 'refused', true],
      ['reset', undiciError('fetch failed', coded('ECONNRESET', 'read ECONNRESET')), 'reset', true],
      ['closed before headers', undiciError('fetch failed', coded('UND_ERR_SOCKET', 'other side closed')), 'reset', true],
      ['cut mid-body', undiciError('terminated', coded('UND_ERR_SOCKET', 'other side closed')), 'reset', true],
      ['dns', undiciError('fetch failed', coded('ENOTFOUND', 'getaddrinfo ENOTFOUND x.invalid')), 'dns', false],
      ['dns (temporary)', undiciError('fetch failed', coded('EAI_AGAIN')), 'dns', false],
      ['tls expired', undiciError('fetch failed', coded('CERT_HAS_EXPIRED', 'certificate has expired')), 'tls', false],
      ['tls self-signed', undiciError('fetch failed', coded('SELF_SIGNED_CERT_IN_CHAIN')), 'tls', false],
      ['tls hostname', undiciError('fetch failed', coded('ERR_TLS_CERT_ALTNAME_INVALID')), 'tls', false],
      ['tls wrong version', undiciError('fetch failed', coded('ERR_SSL_WRONG_VERSION_NUMBER')), 'tls', false],
      ['connect timeout', undiciError('fetch failed', coded('UND_ERR_CONNECT_TIMEOUT')), 'connect_timeout', true],
      ['unreachable', undiciError('fetch failed', coded('ENETUNREACH')), 'unreachable', true],
      ['unknown', new Error('something odd'), 'other', false],
      ['not an error', 'a string', 'other', false],
    ];
    for (const [name, err, fault, retryable] of cases) {
      it(`classifies ${name}`, () => {
        const info = classifyNetworkError(err);
        assert.equal(info.fault, fault);
        assert.equal(info.retryable, retryable);
        const message = describeNetworkFault(info, 'context7.com');
        assert.ok(message.includes('context7.com'));
        assert.ok(!/undefined/.test(message), message);
      });
    }

    it('writes distinct messages per fault', () => {
      const messages = new Set(
        (['refused', 'reset', 'dns', 'tls', 'connect_timeout', 'unreachable', 'other'] as const).map((fault) =>
          describeNetworkFault({ fault, detail: 'd', retryable: false }, 'h'),
        ),
      );
      assert.equal(messages.size, 7);
      assert.match(describeNetworkFault({ fault: 'refused', code: 'ECONNREFUSED', detail: '', retryable: true }, 'h:1'), /^Could not connect to h:1/);
    });

    it('does not say "try again" after a reset when the request may have been received', () => {
      const reset = { fault: 'reset', code: 'ECONNRESET', detail: 'read ECONNRESET', retryable: true } as const;
      assert.match(describeNetworkFault(reset, 'h'), /try again\.$/);
      const received = describeNetworkFault(reset, 'h', undefined, { mayHaveBeenReceived: true });
      assert.match(received, /^The connection to h was closed .*\(ECONNRESET\), so the request may have been received\./);
      assert.ok(!/try again/i.test(received), received);
    });
  });
});
