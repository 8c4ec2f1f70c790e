import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { isAtlassianCloudHost, mayReceiveAtlassianCredentials } from '../../src/core/siteUrl';

const CONNECTED = 'https://acme.atlassian.net';

describe('where the Atlassian token may go', () => {
  const allowed: Array<[string, string, string]> = [
    ['the connected site', 'https://acme.atlassian.net', CONNECTED],
    ['the connected site, written differently', ' ACME.atlassian.net/wiki/spaces/ENG ', CONNECTED],
    ['another Atlassian Cloud site of the account', 'https://acme-sandbox.atlassian.net', CONNECTED],
    ['the connected custom domain', 'https://wiki.acme.com/wiki/x/LIQHD', 'https://wiki.acme.com'],
    ['the connected local stand-in', 'http://127.0.0.1:4100', 'http://127.0.0.1:4100'],
  ];
  for (const [what, site, connected] of allowed) {
    it(`allows ${what}`, () => assert.equal(mayReceiveAtlassianCredentials(site, connected), true));
  }

  const refused: Array<[string, string, string]> = [
    ['a host named in a pasted link', 'https://evil.example.com/wiki/spaces/X/pages/1', CONNECTED],
    ['a look-alike of atlassian.net', 'https://acme.atlassian.net.evil.com', CONNECTED],
    ['a look-alike suffix', 'https://evilatlassian.net', CONNECTED],
    ['an atlassian.net host on another port', 'https://acme.atlassian.net:8443', 'https://other.atlassian.net'],
    ['a custom domain that is not the connected one', 'https://wiki.other.com', 'https://wiki.acme.com'],
    ['another local port', 'http://127.0.0.1:4200', 'http://127.0.0.1:4100'],
    ['plain http to the connected host', 'http://localhost:4100', 'http://127.0.0.1:4100'],
    ['an invalid site', 'not a site', CONNECTED],
    ['anything, when the connected site is invalid', CONNECTED, 'ftp://acme.atlassian.net'],
  ];
  for (const [what, site, connected] of refused) {
    it(`refuses ${what}`, () => assert.equal(mayReceiveAtlassianCredentials(site, connected), false));
  }

  it('recognises only <name>.atlassian.net as Atlassian Cloud', () => {
    assert.equal(isAtlassianCloudHost('acme.atlassian.net'), true);
    assert.equal(isAtlassianCloudHost('ACME-2.Atlassian.NET'), true);
    for (const host of ['atlassian.net', '.atlassian.net', 'a.b.atlassian.net', 'acme.atlassian.net.evil.com', 'acme-.atlassian.net']) {
      assert.equal(isAtlassianCloudHost(host), false, host);
    }
  });

  it('never throws, and sends nothing to a site that is neither connected nor on atlassian.net', () => {
    fc.assert(
      fc.property(fc.string(), fc.webUrl(), (text, url) => {
        for (const site of [text, url]) {
          const result = mayReceiveAtlassianCredentials(site, CONNECTED);
          if (result) {
            const host = new URL(site.includes('://') ? site.trim() : `https://${site.trim()}`).hostname;
            assert.ok(host === 'acme.atlassian.net' || isAtlassianCloudHost(host), `${site} was allowed`);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
