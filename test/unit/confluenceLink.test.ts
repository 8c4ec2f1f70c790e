import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseConfluenceLinks, type LinkParse, type LinkParseFailureReason } from '../../src/core/confluenceLink';
import { MAX_PAGE_ID, encodeTinyLinkCode } from '../../src/core/pageIds';

const SITE = 'https://acme.atlassian.net';
const PERSONAL = '~712020a3b4c5d6e7f8091a2b3c4d5e6f';

interface OkRow {
  name: string;
  input: string;
  siteUrl?: string;
  spaceKey?: string;
  pageIds: string[];
  personalSpace?: boolean;
  /** Text that one of the notes must contain. */
  note?: string;
}

interface FailRow {
  name: string;
  input: string;
  reason: LinkParseFailureReason;
  /** Texts the message must contain. */
  says: string[];
}

// Every row of the facts note ("URLs people paste"), and the forms around them.
const OK_ROWS: OkRow[] = [
  { name: 'space overview', input: `${SITE}/wiki/spaces/ENG/overview`, siteUrl: SITE, spaceKey: 'ENG', pageIds: [] },
  { name: 'space root', input: `${SITE}/wiki/spaces/ENG`, siteUrl: SITE, spaceKey: 'ENG', pageIds: [] },
  { name: 'space root with slash', input: `${SITE}/wiki/spaces/ENG/`, siteUrl: SITE, spaceKey: 'ENG', pageIds: [] },
  { name: 'space pages list', input: `${SITE}/wiki/spaces/ENG/pages`, siteUrl: SITE, spaceKey: 'ENG', pageIds: [] },
  {
    name: 'page with title',
    input: `${SITE}/wiki/spaces/ENG/pages/123456/Getting+Started`,
    siteUrl: SITE,
    spaceKey: 'ENG',
    pageIds: ['123456'],
  },
  { name: 'page without title', input: `${SITE}/wiki/spaces/ENG/pages/123456`, siteUrl: SITE, spaceKey: 'ENG', pageIds: ['123456'] },
  {
    name: 'page in the editor',
    input: `${SITE}/wiki/spaces/ENG/pages/edit-v2/123456?draftShareId=abc`,
    siteUrl: SITE,
    spaceKey: 'ENG',
    pageIds: ['123456'],
  },
  {
    name: 'page with query and fragment',
    input: `${SITE}/wiki/spaces/ENG/pages/123456/Title?atlOrigin=eyJpIjoiMSJ9#Heading-One`,
    siteUrl: SITE,
    spaceKey: 'ENG',
    pageIds: ['123456'],
  },
  {
    name: 'personal space page',
    input: `${SITE}/wiki/spaces/${PERSONAL}/pages/1587184001/My+notes`,
    siteUrl: SITE,
    spaceKey: PERSONAL,
    pageIds: ['1587184001'],
    personalSpace: true,
  },
  {
    name: 'personal space with an encoded ~',
    input: `${SITE}/wiki/spaces/%7E712020a3b4c5d6e7f8091a2b3c4d5e6f/overview`,
    siteUrl: SITE,
    spaceKey: PERSONAL,
    pageIds: [],
    personalSpace: true,
  },
  {
    name: 'tiny link (decoded to the page ID)',
    input: `${SITE}/wiki/x/LIQHD`,
    siteUrl: SITE,
    pageIds: ['201819180'],
    note: 'tiny link to page 201819180',
  },
  { name: 'tiny link of page 1587184001', input: `${SITE}/wiki/x/${encodeTinyLinkCode('1587184001')}`, siteUrl: SITE, pageIds: ['1587184001'] },
  {
    name: 'legacy Cloud /wiki/display link',
    input: `${SITE}/wiki/display/ENG/Getting+Started`,
    siteUrl: SITE,
    spaceKey: 'ENG',
    pageIds: [],
    note: 'only the space key was taken',
  },
  { name: 'legacy Cloud viewpage.action', input: `${SITE}/wiki/pages/viewpage.action?pageId=123`, siteUrl: SITE, pageIds: ['123'] },
  {
    name: 'blog post gives the space',
    input: `${SITE}/wiki/spaces/ENG/blog/2024/05/01/998877/Release+notes`,
    siteUrl: SITE,
    spaceKey: 'ENG',
    pageIds: [],
    note: 'blog post',
  },
  { name: 'the site itself', input: SITE, siteUrl: SITE, pageIds: [], note: 'only the site URL' },
  { name: 'the wiki root', input: `${SITE}/wiki/`, siteUrl: SITE, pageIds: [], note: 'only the site URL' },
  { name: 'no scheme', input: 'acme.atlassian.net/wiki/spaces/ENG', siteUrl: SITE, spaceKey: 'ENG', pageIds: [] },
  { name: 'upper-case host', input: 'https://ACME.Atlassian.NET/wiki/spaces/ENG', siteUrl: SITE, spaceKey: 'ENG', pageIds: [] },
  {
    name: 'http on a Cloud host becomes https',
    input: 'http://acme.atlassian.net/wiki/spaces/ENG/pages/5/T',
    siteUrl: SITE,
    spaceKey: 'ENG',
    pageIds: ['5'],
    note: 'https://',
  },
  { name: 'site-relative link', input: '/wiki/spaces/ENG/pages/77/T', spaceKey: 'ENG', pageIds: ['77'] },
  { name: 'bare page ID', input: '123456', pageIds: ['123456'] },
  {
    name: 'loopback 127.0.0.1 with /wiki',
    input: 'http://127.0.0.1:8765/wiki/spaces/ENG/pages/201819180/Architecture',
    siteUrl: 'http://127.0.0.1:8765',
    spaceKey: 'ENG',
    pageIds: ['201819180'],
  },
  { name: 'loopback localhost tiny link without /wiki', input: 'http://localhost:8765/x/LIQHD', siteUrl: 'http://localhost:8765', pageIds: ['201819180'] },
  { name: 'loopback site only', input: 'http://localhost:8765', siteUrl: 'http://localhost:8765', pageIds: [] },
  {
    name: 'custom domain with /wiki (possible Cloud custom domain)',
    input: 'https://docs.acme.com/wiki/spaces/ENG/pages/7/T',
    siteUrl: 'https://docs.acme.com',
    spaceKey: 'ENG',
    pageIds: ['7'],
    note: 'custom domain',
  },
  {
    name: 'several page links, mixed separators, deduplicated in order',
    input: [
      `${SITE}/wiki/spaces/ENG/pages/3/Three`,
      `${SITE}/wiki/spaces/ENG/pages/1/One,${SITE}/wiki/x/LIQHD`,
      `\n${SITE}/wiki/spaces/ENG/pages/3/Three+again`,
      `, 2`,
    ].join(' '),
    siteUrl: SITE,
    spaceKey: 'ENG',
    pageIds: ['3', '1', '201819180', '2'],
    note: 'no duplicates',
  },
  {
    name: 'comma inside a page title stays with its link',
    input: `${SITE}/wiki/spaces/ENG/pages/9/Plans,+goals, ${SITE}/wiki/spaces/ENG/pages/10/Next`,
    siteUrl: SITE,
    spaceKey: 'ENG',
    pageIds: ['9', '10'],
  },
  {
    name: 'Markdown list of links',
    input: `- [Design](${SITE}/wiki/spaces/ENG/pages/11/Design)\n- <${SITE}/wiki/spaces/ENG/pages/12/Plan>.`,
    siteUrl: SITE,
    spaceKey: 'ENG',
    pageIds: ['11', '12'],
  },
  { name: 'space key differing only in case is one space', input: `${SITE}/wiki/spaces/ENG ${SITE}/wiki/spaces/eng/pages/4/x`, siteUrl: SITE, spaceKey: 'ENG', pageIds: ['4'] },
];

const FAIL_ROWS: FailRow[] = [
  {
    name: 'Data Center /display link',
    input: 'https://confluence.acme.com/display/ENG/Getting+Started',
    reason: 'data_center',
    says: ['Data Center or Server', 'https://confluence.acme.com', 'space ENG', 'Atlassian Cloud', 'cloud ID'],
  },
  {
    name: 'Data Center viewpage.action',
    input: 'https://confluence.acme.com/pages/viewpage.action?pageId=123',
    reason: 'data_center',
    says: ['Data Center or Server', 'page 123', 'Atlassian Cloud'],
  },
  {
    name: 'Data Center with a context path over http',
    input: 'http://intranet.acme.local:8090/confluence/display/~jdoe/Notes',
    reason: 'data_center',
    says: ['http://intranet.acme.local:8090/confluence', 'space ~jdoe'],
  },
  {
    name: 'Data Center link with Cloud-like path but no /wiki',
    input: 'https://confluence.acme.com/spaces/ENG/pages/55/T',
    reason: 'data_center',
    says: ['space ENG, page 55'],
  },
  { name: 'Data Center viewspace.action', input: 'https://wiki.acme.com/spaces/viewspace.action?key=OPS', reason: 'data_center', says: ['space OPS'] },
  { name: 'empty', input: '', reason: 'empty', says: ['Paste a link'] },
  { name: 'only separators', input: ' ,\n\t, ', reason: 'empty', says: ['Paste a link'] },
  { name: 'plain words', input: 'hello', reason: 'unparseable', says: ['"hello" is not a URL'] },
  { name: 'other web site', input: 'https://example.com/some/page', reason: 'unparseable', says: ['not a Confluence page or space link'] },
  { name: 'Jira link on a Cloud site', input: `${SITE}/browse/ENG-12`, reason: 'unparseable', says: ['Jira link'] },
  { name: 'Cloud site path without /wiki', input: `${SITE}/foo/bar`, reason: 'unparseable', says: ['"/wiki/"'] },
  { name: 'bad tiny link', input: `${SITE}/wiki/x/AAAAAAAAAAAAAAA`, reason: 'unparseable', says: ['not a valid tiny link'] },
  { name: 'empty tiny link', input: `${SITE}/wiki/x/`, reason: 'unparseable', says: ['incomplete tiny link'] },
  { name: 'page segment without ID', input: `${SITE}/wiki/spaces/ENG/pages/abc`, reason: 'unparseable', says: ['no page ID'] },
  { name: 'page ID 0', input: `${SITE}/wiki/spaces/ENG/pages/0/T`, reason: 'unparseable', says: ['page ID'] },
  { name: 'page ID too large', input: '99999999999999999999', reason: 'unparseable', says: ['too large'] },
  { name: 'invalid space key', input: `${SITE}/wiki/spaces/EN$G/overview`, reason: 'unparseable', says: ['space key'] },
  { name: 'ftp link', input: 'ftp://acme.atlassian.net/wiki/spaces/ENG', reason: 'unparseable', says: ['not a web link'] },
  { name: 'credentials in the link', input: 'https://me:pw@acme.atlassian.net/wiki/spaces/ENG', reason: 'unparseable', says: ['user name or password'] },
  { name: 'loopback without a port over http', input: 'http://localhost/wiki/spaces/ENG', reason: 'unparseable', says: ['https://'] },
  {
    name: 'links to different sites',
    input: `${SITE}/wiki/spaces/ENG https://other.atlassian.net/wiki/spaces/ENG`,
    reason: 'mixed_sites',
    says: [SITE, 'https://other.atlassian.net', 'one site'],
  },
  {
    name: 'links to different spaces',
    input: `${SITE}/wiki/spaces/ENG/pages/1/A ${SITE}/wiki/spaces/OPS/pages/2/B`,
    reason: 'mixed_spaces',
    says: ['ENG', 'OPS', 'one space'],
  },
  {
    name: 'one good and one bad link fail together, naming the bad one',
    input: `${SITE}/wiki/spaces/ENG/pages/1/A notalink`,
    reason: 'unparseable',
    says: ['"notalink" is not a URL'],
  },
  {
    name: 'a Data Center link among Cloud links',
    input: `${SITE}/wiki/spaces/ENG/pages/1/A https://confluence.acme.com/display/ENG`,
    reason: 'data_center',
    says: ['confluence.acme.com'],
  },
];

function assertOk(result: LinkParse): asserts result is Extract<LinkParse, { ok: true }> {
  assert.equal(result.ok, true, result.ok ? '' : `expected ok, got ${result.reason}: ${result.message}`);
}

describe('parseConfluenceLinks', () => {
  describe('link forms that fill fields', () => {
    for (const row of OK_ROWS) {
      it(row.name, () => {
        const result = parseConfluenceLinks(row.input);
        assertOk(result);
        assert.equal(result.kind, 'cloud');
        assert.equal(result.siteUrl, row.siteUrl);
        assert.equal(result.spaceKey, row.spaceKey);
        assert.deepEqual(result.pageIds, row.pageIds);
        assert.equal(result.personalSpace, row.personalSpace ?? false);
        if (row.note) {
          assert.ok(
            result.notes.some((n) => n.includes(row.note as string)),
            `no note contains ${JSON.stringify(row.note)}: ${JSON.stringify(result.notes)}`,
          );
        }
      });
    }
  });

  describe('link forms that explain why they cannot be used', () => {
    for (const row of FAIL_ROWS) {
      it(row.name, () => {
        const result = parseConfluenceLinks(row.input);
        assert.equal(result.ok, false, `expected a failure for ${row.input}`);
        if (result.ok) return;
        assert.equal(result.reason, row.reason, result.message);
        for (const text of row.says) assert.ok(result.message.includes(text), `message lacks ${JSON.stringify(text)}: ${result.message}`);
      });
    }
  });

  const DATA_CENTER_RECOGNISED: Array<[string, { site: string; spaceKey?: string; pageId?: string }]> = [
    ['https://confluence.acme.com/display/ENG/Home', { site: 'https://confluence.acme.com', spaceKey: 'ENG' }],
    ['https://confluence.acme.com/pages/viewpage.action?pageId=123', { site: 'https://confluence.acme.com', pageId: '123' }],
    ['http://intranet.acme.local:8090/confluence/display/~jdoe/Notes', { site: 'http://intranet.acme.local:8090/confluence', spaceKey: '~jdoe' }],
    ['https://confluence.acme.com/spaces/ENG/pages/55/T', { site: 'https://confluence.acme.com', spaceKey: 'ENG', pageId: '55' }],
    ['https://wiki.acme.com/spaces/viewspace.action?key=OPS', { site: 'https://wiki.acme.com', spaceKey: 'OPS' }],
  ];
  for (const [input, recognised] of DATA_CENTER_RECOGNISED) {
    it(`names what a Data Center link carries in \`recognised\`: ${input}`, () => {
      const result = parseConfluenceLinks(input);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.reason, 'data_center');
      assert.deepEqual(result.recognised, recognised);
      assert.deepEqual(result.invalidInputs, [input]);
    });
  }

  it('describes each link it read', () => {
    const result = parseConfluenceLinks(`${SITE}/wiki/x/LIQHD ${SITE}/wiki/spaces/ENG/overview 42`);
    assertOk(result);
    assert.deepEqual(
      result.links.map((l) => l.form),
      ['tiny', 'space', 'page_id'],
    );
    assert.deepEqual(result.pageIds, ['201819180', '42']);
  });

  it('asks for the space key when only tiny links were pasted', () => {
    const result = parseConfluenceLinks(`${SITE}/wiki/x/LIQHD`);
    assertOk(result);
    assert.ok(result.notes.some((n) => n.includes('Space key')));
  });

  it('lists at most three bad tokens', () => {
    const result = parseConfluenceLinks('a b c d e');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.message, /and 2 more/);
    assert.deepEqual(result.invalidInputs, ['a', 'b', 'c', 'd', 'e']);
  });

  it('refuses a huge paste without reading it', () => {
    const result = parseConfluenceLinks(`${SITE}/wiki/spaces/ENG `.repeat(5000));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.message, /too long/);
  });

  describe('properties', () => {
    const fragments = fc.constantFrom(
      'https://',
      'http://',
      '//',
      'acme.atlassian.net',
      'other.atlassian.net',
      'confluence.acme.com',
      'localhost:',
      '127.0.0.1',
      '[::1]',
      ':8080',
      '/wiki',
      '/spaces/',
      '/pages/',
      '/edit-v2/',
      '/display/',
      '/x/',
      '/blog/',
      'viewpage.action',
      '?pageId=',
      '&key=',
      'ENG',
      '~712020a3',
      '%7E',
      '%',
      '%E0%A4%A',
      '123',
      '0',
      '99999999999999999999',
      'LIQHD',
      '-_',
      ',',
      ' ',
      '\n',
      '#',
      '?',
      '..',
      '<',
      '>',
      '[x](',
      ')',
      '"',
      '@',
      'user:pw@',
    );
    const linkish = fc.array(fragments, { maxLength: 25 }).map((parts) => parts.join(''));

    it('never throws, and answers a well-formed result, for arbitrary strings', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }), linkish), (text) => {
          const result = parseConfluenceLinks(text);
          if (result.ok) {
            assert.equal(result.kind, 'cloud');
            for (const id of result.pageIds) assert.match(id, /^[1-9]\d*$/);
            assert.equal(new Set(result.pageIds).size, result.pageIds.length);
            if (result.siteUrl !== undefined) assert.match(result.siteUrl, /^(?:https:\/\/|http:\/\/(?:localhost|127\.0\.0\.1|\[::1\]):\d+)/);
          } else {
            assert.ok(result.message.length > 0);
            assert.ok(['data_center', 'unparseable', 'mixed_sites', 'mixed_spaces', 'empty'].includes(result.reason));
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('never throws on non-string input', () => {
      for (const value of [undefined, null, 42, {}, []]) {
        const result = parseConfluenceLinks(value as unknown as string);
        assert.equal(result.ok, false);
      }
    });

    const pageId = fc.bigInt({ min: 1n, max: MAX_PAGE_ID });

    it('round-trips any page ID through a tiny link', () => {
      fc.assert(
        fc.property(pageId, (id) => {
          const result = parseConfluenceLinks(`${SITE}/wiki/x/${encodeTinyLinkCode(id)}`);
          assertOk(result);
          assert.deepEqual(result.pageIds, [id.toString()]);
          assert.equal(result.siteUrl, SITE);
        }),
      );
    });

    it('round-trips any page ID through a page URL', () => {
      fc.assert(
        fc.property(pageId, fc.constantFrom('', '/Title', '/A+title,+with+commas', '?x=1#h'), (id, tail) => {
          const result = parseConfluenceLinks(`${SITE}/wiki/spaces/ENG/pages/${id}${tail}`);
          assertOk(result);
          assert.deepEqual(result.pageIds, [id.toString()]);
          assert.equal(result.spaceKey, 'ENG');
        }),
      );
    });

    it('keeps several pasted links as several page IDs, deduplicated in order', () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(pageId, fc.boolean(), fc.constantFrom(' ', '\n', ', ', ',', '\t')), { minLength: 1, maxLength: 12 }),
          (items) => {
            const text = items
              .map(([id, tiny, sep]) => (tiny ? `${SITE}/wiki/x/${encodeTinyLinkCode(id)}` : `${SITE}/wiki/spaces/ENG/pages/${id}/T`) + sep)
              .join('');
            const expected = [...new Set(items.map(([id]) => id.toString()))];
            const result = parseConfluenceLinks(text);
            assertOk(result);
            assert.deepEqual(result.pageIds, expected);
          },
        ),
      );
    });
  });
});
