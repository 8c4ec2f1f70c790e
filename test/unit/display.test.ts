import * as assert from 'node:assert/strict';
import { CONTEXT7_SITE, libraryUrl, plain } from '../../src/shared/display';

describe('display: library links', () => {
  it('is https://context7.com + the library name', () => {
    assert.equal(libraryUrl('/acme/docs'), 'https://context7.com/acme/docs');
    assert.equal(libraryUrl('acme/docs'), 'https://context7.com/acme/docs');
  });

  it('stays on context7.com whatever the server returns', () => {
    for (const name of ['@evil.example/x', '//evil.example/x', '/../../evil', '/a/b?x=1#frag', '\\\\evil.example', 'https://evil.example/']) {
      const url = new URL(libraryUrl(name));
      assert.equal(url.origin, CONTEXT7_SITE, `${name} -> ${url.href}`);
      assert.equal(url.search, '');
      assert.equal(url.hash, '');
    }
  });
});

describe('display: server text in notifications', () => {
  it('breaks markdown links so they stay text', () => {
    const text = plain('Click [here](command:workbench.action.terminal.new) or [docs](https://x.example)');
    assert.doesNotMatch(text, /\]\(/);
    assert.match(text, /\[here\]/);
  });

  it('leaves other text alone', () => {
    assert.equal(plain('Space key DOCS (HTTP 409) already exists.'), 'Space key DOCS (HTTP 409) already exists.');
  });
});
