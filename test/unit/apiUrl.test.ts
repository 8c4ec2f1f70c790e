import * as assert from 'node:assert/strict';
import { addConfluenceEndpoint, apiEndpoint, ApiUrlError, checkApiUrl } from '../../src/core/apiUrl';

describe('apiUrl', () => {
  const joins: [string, string][] = [
    ['https://context7.com/api', 'https://context7.com/api/v2/add/confluence'],
    ['https://context7.com/api/', 'https://context7.com/api/v2/add/confluence'],
    ['https://context7.com/api///', 'https://context7.com/api/v2/add/confluence'],
    ['  https://context7.com/api  ', 'https://context7.com/api/v2/add/confluence'],
    ['https://proxy.example.com/context7/api', 'https://proxy.example.com/context7/api/v2/add/confluence'],
    ['https://context7.com', 'https://context7.com/v2/add/confluence'],
    ['http://127.0.0.1:4321/api', 'http://127.0.0.1:4321/api/v2/add/confluence'],
    ['http://localhost:4321/api/', 'http://localhost:4321/api/v2/add/confluence'],
  ];
  for (const [base, expected] of joins) {
    it(`joins ${JSON.stringify(base)} as text, keeping its path`, () => {
      assert.equal(addConfluenceEndpoint(base), expected);
    });
  }

  it('joins any API path', () => {
    assert.equal(apiEndpoint('https://context7.com/api/', '/v1/refresh'), 'https://context7.com/api/v1/refresh');
  });

  const bad: [string, RegExp][] = [
    ['', /is empty/],
    ['context7.com/api', /is not a valid URL/],
    ['not a url', /is not a valid URL/],
    ['ftp://context7.com/api', /must start with https:\/\//],
    ['file:///etc/passwd', /must start with https:\/\//],
    ['http://context7.com/api', /must use https:\/\/.*unencrypted/],
    ['https://user:pw@context7.com/api', /user name or password/],
    ['https://context7.com/api?x=1', /"\?" or "#"/],
    ['https://context7.com/api#frag', /"\?" or "#"/],
  ];
  for (const [base, pattern] of bad) {
    it(`rejects ${JSON.stringify(base)} with a clear, typed error`, () => {
      assert.throws(
        () => addConfluenceEndpoint(base),
        (err: unknown) => {
          assert.ok(err instanceof ApiUrlError);
          assert.equal(err.code, 'invalid_api_url');
          assert.match(err.message, pattern);
          assert.match(err.message, /setting "context7\.apiUrl"/);
          return true;
        },
      );
      assert.equal(checkApiUrl(base).ok, false);
    });
  }

  it('does not throw on non-string input (settings can hold anything)', () => {
    assert.equal(checkApiUrl(undefined as unknown as string).ok, false);
    assert.equal(checkApiUrl(42 as unknown as string).ok, false);
  });
});
