import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeTinyLinkCode,
  encodeTinyLinkCode,
  MAX_PAGE_ID,
  pageIdsFieldMessage,
  parsePageIds,
  tokenizePageIds,
} from '../../src/core/pageIds';

/** An independent tiny-link encoder (Node's Buffer) to check ours against. */
function referenceTinyCode(id: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(id);
  return bytes.toString('base64').replace(/[A=]+$/, '').replace(/\+/g, '_').replace(/\//g, '-');
}

describe('pageIds', () => {
  describe('numeric IDs and separators', () => {
    it('accepts IDs separated by commas, spaces, tabs and new lines', () => {
      const text = '  111,222 333\n444\r\n555\t666,,, 777 ,888  ';
      assert.deepEqual(parsePageIds(text), {
        ids: ['111', '222', '333', '444', '555', '666', '777', '888'],
        errors: [],
        invalidTokens: [],
      });
    });

    it('de-duplicates in first-seen order, including IDs written with leading zeros', () => {
      assert.deepEqual(parsePageIds('3, 1, 3, 2, 001, 0002').ids, ['3', '1', '2']);
    });

    it('gives no IDs and no errors for blank text', () => {
      assert.deepEqual(parsePageIds(' \n , ,'), { ids: [], errors: [], invalidTokens: [] });
    });

    it('rejects 0 and IDs beyond 2^63-1, naming the token', () => {
      const result = parsePageIds(`0 ${MAX_PAGE_ID + 1n} ${MAX_PAGE_ID}`);
      assert.deepEqual(result.ids, [MAX_PAGE_ID.toString()]);
      assert.deepEqual(result.invalidTokens, ['0', (MAX_PAGE_ID + 1n).toString()]);
      assert.match(result.errors[0], /"0"/);
      assert.match(result.errors[1], /too large/);
    });

    it('accepts an array (an already-built request) with strings or positive integers', () => {
      assert.deepEqual(parsePageIds(['12', 13, '12', '14 15']).ids, ['12', '13', '14', '15']);
      const bad = parsePageIds(['12', {}, -1]);
      assert.deepEqual(bad.invalidTokens, ['item 2', 'item 3']);
    });
  });

  describe('page links', () => {
    const cases: [string, string][] = [
      ['https://acme.atlassian.net/wiki/spaces/DOCS/pages/123456/Getting+Started', '123456'],
      ['https://acme.atlassian.net/wiki/spaces/DOCS/pages/123456', '123456'],
      ['https://acme.atlassian.net/wiki/spaces/~712020a3b4c5/pages/1587184001/My+Notes', '1587184001'],
      ['https://acme.atlassian.net/wiki/spaces/DOCS/pages/edit-v2/98765', '98765'],
      ['https://wiki.example.com/pages/viewpage.action?pageId=4242', '4242'],
      ['https://wiki.example.com/confluence/pages/viewpage.action?spaceKey=X&pageId=77&x=1', '77'],
      ['acme.atlassian.net/wiki/spaces/DOCS/pages/31337/T', '31337'],
      ['/wiki/spaces/DOCS/pages/555/T', '555'],
      ['https://acme.atlassian.net/wiki/spaces/DOCS/pages/123456/Title#section', '123456'],
    ];
    for (const [link, id] of cases) {
      it(`reads ${id} from ${link}`, () => {
        assert.deepEqual(parsePageIds(link), { ids: [id], errors: [], invalidTokens: [] });
      });
    }

    it('keeps a comma inside a page title, but splits at a comma before a number or another link', () => {
      const text = 'https://a.atlassian.net/wiki/spaces/D/pages/1/Hello,World,2,https://a.atlassian.net/wiki/spaces/D/pages/3';
      assert.deepEqual(tokenizePageIds(text), [
        'https://a.atlassian.net/wiki/spaces/D/pages/1/Hello,World',
        '2',
        'https://a.atlassian.net/wiki/spaces/D/pages/3',
      ]);
      assert.deepEqual(parsePageIds(text).ids, ['1', '2', '3']);
    });

    it('mixes IDs and links and de-duplicates across them', () => {
      const text = '10\nhttps://a.atlassian.net/wiki/spaces/D/pages/20/T, 10 /wiki/spaces/D/pages/20';
      assert.deepEqual(parsePageIds(text).ids, ['10', '20']);
    });

    it('explains a space link instead of a page link', () => {
      const result = parsePageIds('https://acme.atlassian.net/wiki/spaces/DOCS/overview');
      assert.equal(result.ids.length, 0);
      assert.match(result.errors[0], /whole space/);
      assert.match(result.errors[0], /Page IDs empty/);
    });

    it('rejects a link without a page ID, and a non-numeric pageId', () => {
      assert.match(parsePageIds('https://acme.atlassian.net/wiki/home').errors[0], /no page ID/);
      assert.match(parsePageIds('https://x.example.com/pages/viewpage.action?pageId=abc').errors[0], /not a number/);
    });
  });

  describe('tiny links', () => {
    it('encodes like an independent Base64 implementation (1587184001 -> gYGaXg)', () => {
      assert.equal(encodeTinyLinkCode('1587184001'), referenceTinyCode(1587184001n));
      assert.equal(encodeTinyLinkCode('1587184001'), 'gYGaXg');
    });

    it('decodes the facts sheet example /wiki/x/LIQHD to the same ID the reference encoder maps to it', () => {
      const id = decodeTinyLinkCode('LIQHD');
      assert.equal(id, '201819180');
      assert.equal(referenceTinyCode(BigInt(id as string)), 'LIQHD');
    });

    it('round-trips any page ID (property)', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 1n, max: MAX_PAGE_ID }), (id) => {
          const code = encodeTinyLinkCode(id);
          assert.equal(code, referenceTinyCode(id));
          assert.equal(decodeTinyLinkCode(code), id.toString());
        }),
        { numRuns: 300 },
      );
    });

    it('uses _ and - for + and / (IDs whose bytes produce them)', () => {
      assert.equal(encodeTinyLinkCode(255n), '-w'); // 0xff -> "/w==" in standard Base64
      assert.equal(decodeTinyLinkCode('-w'), '255');
      assert.equal(encodeTinyLinkCode(251n), '_w'); // 0xfb -> "+w=="
      assert.equal(decodeTinyLinkCode('_w'), '251');
    });

    it('parses tiny links in a page list', () => {
      const code = encodeTinyLinkCode('1587184001');
      assert.deepEqual(parsePageIds(`https://acme.atlassian.net/wiki/x/${code} /x/LIQHD`).ids, ['1587184001', '201819180']);
    });

    it('rejects invalid codes', () => {
      for (const code of ['', 'A', 'AAAA', '!!', 'ABCDEFGHIJKLM', '__________8']) {
        assert.equal(decodeTinyLinkCode(code), undefined, code);
      }
      assert.match(parsePageIds('https://acme.atlassian.net/wiki/x/AAAA').errors[0], /tiny link/);
    });
  });

  describe('messages', () => {
    it('names a single bad token and says how to fix it', () => {
      const message = pageIdsFieldMessage(parsePageIds('123 abc'));
      assert.ok(message);
      assert.match(message, /^Page IDs: "abc" is not a page ID/);
      assert.match(message, /separated by commas, spaces or new lines/);
    });

    it('lists several bad tokens', () => {
      const message = pageIdsFieldMessage(parsePageIds('a b c d e'));
      assert.ok(message);
      assert.match(message, /^Page IDs: "a", "b", "c" and 2 more are not page IDs/);
    });

    it('gives no message when everything is valid', () => {
      assert.equal(pageIdsFieldMessage(parsePageIds('1 2')), undefined);
    });

    it('never throws on arbitrary text (property)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
          const result = parsePageIds(text);
          for (const id of result.ids) assert.match(id, /^[1-9]\d*$/);
          assert.equal(new Set(result.ids).size, result.ids.length);
          assert.equal(result.errors.length, result.invalidTokens.length);
        }),
        { numRuns: 300 },
      );
    });
  });
});
