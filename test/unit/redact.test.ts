import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRedactor, redact } from '../../src/core/redact';

const KEY = 'ctx7sk-1234abcd-5678-efgh';

describe('redact', () => {
  it('removes given secrets, verbatim and URL-encoded', () => {
    assert.equal(redact('key=my secret/value here', ['my secret/value']), 'key=*** here');
    assert.equal(redact('q=my%20secret%2Fvalue', ['my secret/value']), 'q=***');
  });

  it('removes anything shaped like a Context7 key, even when not given', () => {
    assert.equal(redact(`Invalid key ${KEY}.`), 'Invalid key ctx7sk-***.');
    assert.equal(redact('ctx7sk_abcDEF123'), 'ctx7sk-***');
  });

  it('removes Bearer and Basic credentials', () => {
    assert.equal(redact('Authorization: Bearer abc.def-ghi'), 'Authorization: Bearer ***');
    assert.equal(redact('{"authorization":"bearer xyz123"}'), '{"authorization":"bearer ***"}');
    assert.equal(redact('Authorization: Basic dXNlcjpwYXNzd29yZA=='), 'Authorization: Basic ***');
    assert.equal(redact('token=abc123&x=1'), 'token=***&x=1');
  });

  it('leaves ordinary prose alone', () => {
    const text = "Invalid API key. Please check your API key. API keys should start with 'ctx7sk' prefix. Basic plan users can upgrade.";
    assert.equal(redact(text), text);
  });

  it('ignores empty and very short secrets', () => {
    assert.equal(redact('a b c', ['', ' ', 'a']), 'a b c');
  });

  it('is idempotent and never leaves a given secret (property)', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/);
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), secret, fc.string({ maxLength: 80 }), (before, s, after) => {
        const once = redact(`${before}${s}${after}`, [s]);
        assert.ok(!once.includes(s));
        assert.equal(redact(once, [s]), once);
        const withKey = redact(`${before} Bearer ctx7sk-${s} ${after}`);
        assert.ok(!withKey.includes(`ctx7sk-${s}`));
      }),
      { numRuns: 300 },
    );
  });

  it('binds secrets with createRedactor', () => {
    const clean = createRedactor(['hunter2hunter2']);
    assert.equal(clean('pw hunter2hunter2'), 'pw ***');
  });
});
