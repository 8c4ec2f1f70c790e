import * as assert from 'node:assert/strict';
import { isAbortError } from '../../src/core/clock';
import {
  ConfluenceClient,
  ConfluenceError,
  base64Utf8,
  cursorOf,
  nextFromLinkHeader,
  rankSpaces,
  type ConfluenceClientDeps,
  type ConfluenceErrorKind,
  type ConfluenceSpace,
  type LogLevel,
} from '../../src/core/confluence';
import type { WaitTick } from '../../src/core/retry';
import {
  AtlassianStub,
  DEFAULT_SPACES,
  STUB_API_TOKEN,
  STUB_EMAIL,
  STUB_PERSONAL_SPACE_KEY,
  type AtlassianStubOptions,
  type StubSpace,
} from '../support/atlassian-stub';
import { BlockingClock, FakeClock } from '../support/fake-clock';

const realFetch: typeof fetch = (input, init) => fetch(input, init);
const ENG_ID = '98305';

interface Harness {
  stub: AtlassianStub;
  client: ConfluenceClient;
  clock: FakeClock;
  lines: { level: LogLevel; line: string }[];
  /** Every message a user or the log could see. */
  seen: string[];
}

const harnesses: Harness[] = [];

async function setUp(
  stubOptions: AtlassianStubOptions = {},
  deps: Partial<ConfluenceClientDeps> = {},
  credentials: { email?: string; apiToken?: string; siteUrl?: string } = {},
): Promise<Harness> {
  const stub = await AtlassianStub.start(stubOptions);
  const clock = new FakeClock();
  const lines: Harness['lines'] = [];
  const seen: string[] = [];
  const client = new ConfluenceClient(
    {
      fetch: realFetch,
      userAgent: 'context7-confluence/test',
      clock,
      random: () => 0.5,
      log: (level, line) => {
        lines.push({ level, line });
        seen.push(line);
      },
      ...deps,
    },
    {
      siteUrl: credentials.siteUrl ?? stub.siteUrl,
      email: credentials.email ?? STUB_EMAIL,
      apiToken: credentials.apiToken ?? STUB_API_TOKEN,
    },
  );
  const harness = { stub, client, clock, lines, seen };
  harnesses.push(harness);
  return harness;
}

async function expectError(promise: Promise<unknown>, kind: ConfluenceErrorKind, h?: Harness): Promise<ConfluenceError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ConfluenceError, `expected a ConfluenceError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    h?.seen.push(err.message);
    return err;
  }
  assert.fail(`expected a ${kind} error`);
}

function manySpaces(count: number): StubSpace[] {
  return Array.from({ length: count }, (_, i) => ({ id: String(500 + i), key: `S${i}`, name: `Space ${i}` }));
}

describe('ConfluenceClient (against the Atlassian stand-in)', () => {
  afterEach(async () => {
    const done = harnesses.splice(0);
    await Promise.all(done.map((h) => h.stub.close()));
    // The token, and the Basic credential built from it, never reach a log line or a message.
    const basic = Buffer.from(`${STUB_EMAIL}:${STUB_API_TOKEN}`).toString('base64');
    for (const h of done) {
      for (const text of h.seen) {
        assert.ok(!text.includes(STUB_API_TOKEN), `token leaked: ${text}`);
        assert.ok(!text.includes(basic), `Basic credential leaked: ${text}`);
        assert.ok(!/authorization/i.test(text), `Authorization header mentioned: ${text}`);
      }
    }
  });

  describe('spaces', () => {
    it('lists spaces with Basic auth and the user agent', async () => {
      const h = await setUp();
      const batch = await h.client.listSpaces();
      assert.deepEqual(
        batch.spaces.map((s) => s.key),
        ['ENG', 'OPS', STUB_PERSONAL_SPACE_KEY],
      );
      assert.deepEqual(batch.spaces[0], { id: ENG_ID, key: 'ENG', name: 'Engineering', type: 'global', status: 'current', homepageId: '65601' });
      assert.equal(batch.spaces[2].type, 'personal');
      assert.equal(batch.nextCursor, undefined);
      const [request] = h.stub.requests;
      assert.equal(request.path, '/wiki/api/v2/spaces');
      assert.equal(request.auth, 'valid');
      assert.equal(request.user, STUB_EMAIL);
      assert.equal(request.userAgent, 'context7-confluence/test');
      assert.equal(request.query.limit, '25');
    });

    for (const paging of ['links', 'header', 'both'] as const) {
      it(`pages with cursors announced in ${paging === 'links' ? '_links.next' : paging === 'header' ? 'the Link header' : 'both'}`, async () => {
        const h = await setUp({ spaces: manySpaces(5), pageSize: 2, paging });
        const first = await h.client.listSpaces({ limit: 2 });
        assert.deepEqual(
          first.spaces.map((s) => s.key),
          ['S0', 'S1'],
        );
        assert.ok(first.nextCursor);
        const second = await h.client.listSpaces({ limit: 2, cursor: first.nextCursor });
        assert.deepEqual(
          second.spaces.map((s) => s.key),
          ['S2', 'S3'],
        );
        assert.equal(h.stub.requests[1].query.cursor, first.nextCursor);

        const batches: string[][] = [];
        const all = await h.client.allSpaces({ onBatch: (spaces) => batches.push(spaces.map((s) => s.key)) });
        assert.equal(all.truncated, false);
        assert.deepEqual(
          all.spaces.map((s) => s.key),
          ['S0', 'S1', 'S2', 'S3', 'S4'],
        );
        assert.deepEqual(batches, [['S0', 'S1'], ['S2', 'S3'], ['S4']]);
        assert.equal(h.stub.requests.length, 2 + 3);
      });
    }

    it('stops paging at the cap and says so', async () => {
      const h = await setUp({ spaces: manySpaces(7), pageSize: 2 });
      const all = await h.client.allSpaces({ max: 3 });
      assert.equal(all.truncated, true);
      assert.deepEqual(
        all.spaces.map((s) => s.key),
        ['S0', 'S1', 'S2'],
      );
      assert.equal(h.stub.requests.length, 2);
    });

    it('finds a space by key with the keys filter, personal spaces included', async () => {
      const h = await setUp();
      const ops = await h.client.spaceByKey('OPS');
      assert.equal(ops?.id, '98306');
      assert.equal(h.stub.requests[0].query.keys, 'OPS');
      const personal = await h.client.spaceByKey(STUB_PERSONAL_SPACE_KEY);
      assert.equal(personal?.name, 'Ada Lovelace');
      assert.equal(await h.client.spaceByKey('NOPE'), undefined);
      assert.equal(await h.client.spaceByKey('  '), undefined);
      assert.equal(h.stub.requests.length, 3);
    });

    it('searches spaces by key or name, best matches first', async () => {
      const h = await setUp({
        spaces: [...DEFAULT_SPACES, { id: '1', key: 'ENGX', name: 'Engine room' }, { id: '2', key: 'DOC', name: 'Docs for engineers' }],
        pageSize: 2,
      });
      const found = await h.client.searchSpaces('eng');
      assert.deepEqual(
        found.spaces.map((s) => s.key),
        ['ENG', 'ENGX', 'DOC'],
      );
      const ada = await h.client.searchSpaces('lovelace');
      assert.deepEqual(
        ada.spaces.map((s) => s.key),
        [STUB_PERSONAL_SPACE_KEY],
      );
      const filtered = await h.client.listSpaces({ query: 'operations' });
      assert.deepEqual(
        filtered.spaces.map((s) => s.key),
        ['OPS'],
      );
    });

    it('reads one space by id, and checks ids before sending', async () => {
      const h = await setUp();
      assert.equal((await h.client.spaceById(ENG_ID)).key, 'ENG');
      await expectError(h.client.spaceById('ENG'), 'not_found', h);
      assert.equal(h.stub.requests.length, 1);
    });

    it('verifies credentials with one small request', async () => {
      const h = await setUp();
      await h.client.verify();
      assert.equal(h.stub.requests.length, 1);
      assert.equal(h.stub.requests[0].query.limit, '1');
    });
  });

  describe('pages', () => {
    it('lists the root pages of a space', async () => {
      const h = await setUp();
      const batch = await h.client.rootPages(ENG_ID);
      assert.deepEqual(
        batch.pages.map((p) => [p.id, p.title]),
        [
          ['65601', 'Engineering Home'],
          ['201819180', 'Architecture'],
          ['65650', 'Onboarding'],
          ['65700', 'Runbooks'],
        ],
      );
      assert.equal(h.stub.requests[0].path, `/wiki/api/v2/spaces/${ENG_ID}/pages`);
      assert.equal(h.stub.requests[0].query.depth, 'root');
    });

    it('pages through root pages', async () => {
      const h = await setUp({ pageSize: 3 });
      const first = await h.client.rootPages(ENG_ID, { limit: 3 });
      assert.equal(first.pages.length, 3);
      assert.ok(first.nextCursor);
      const all = await h.client.allRootPages(ENG_ID);
      assert.equal(all.pages.length, 4);
      assert.equal(all.truncated, false);
    });

    it('lists the child pages of a page, without whiteboards and other content', async () => {
      const h = await setUp();
      const batch = await h.client.children('201819180');
      assert.deepEqual(
        batch.pages.map((p) => [p.id, p.title, p.position]),
        [
          ['201819181', 'Services', 0],
          ['201819182', 'Data model', 1],
        ],
      );
      assert.equal(h.stub.requests[0].path, '/wiki/api/v2/pages/201819180/children');
      assert.deepEqual((await h.client.children('65650')).pages, []);
    });

    it('pages through children', async () => {
      const many = Array.from({ length: 7 }, (_, i) => ({ id: String(9000 + i), title: `Child ${i}` }));
      const h = await setUp({ pageSize: 3, spaces: [{ id: '1', key: 'K', name: 'K', pages: [{ id: '8999', title: 'Parent', children: many }] }] });
      const all = await h.client.allChildren('8999');
      assert.deepEqual(
        all.pages.map((p) => p.id),
        many.map((p) => p.id),
      );
      assert.equal(h.stub.requests.length, 3);
    });

    it('reads one page (e.g. to find the space of a tiny link)', async () => {
      const h = await setUp();
      const page = await h.client.page('201819183');
      assert.deepEqual(page, { id: '201819183', title: 'Payments service', status: 'current', spaceId: ENG_ID, parentId: '201819181', position: 0 });
    });

    it('expands pages to their sub-pages, breadth-first and deduplicated', async () => {
      const h = await setUp({ pageSize: 1 });
      const progress: number[] = [];
      const result = await h.client.expandSubPages(['201819180', '65650', '201819180'], { onProgress: (n) => progress.push(n) });
      assert.deepEqual(result, {
        pageIds: ['201819180', '65650', '201819181', '201819182', '201819183', '201819184'],
        truncated: false,
      });
      assert.ok(progress.length > 0);
      assert.equal(progress[progress.length - 1], 6);
    });

    it('keeps a selected sub-page where it was given', async () => {
      const h = await setUp();
      const result = await h.client.expandSubPages(['201819181', '201819180']);
      assert.deepEqual(result.pageIds, ['201819181', '201819180', '201819183', '201819184', '201819182']);
    });

    it('bounds the expansion', async () => {
      const h = await setUp();
      const result = await h.client.expandSubPages(['201819180', '65700'], { maxPages: 4 });
      assert.deepEqual(result, { pageIds: ['201819180', '65700', '201819181', '201819182'], truncated: true });
    });

    it('fails when a selected page does not exist', async () => {
      const h = await setUp();
      const err = await expectError(h.client.expandSubPages(['201819180', '424242']), 'not_found', h);
      assert.match(err.message, /^Page 424242 was not found on http:\/\/127\.0\.0\.1:\d+ \(HTTP 404\)/);
    });
  });

  describe('failures', () => {
    it('401: says to check the email and create a token, never showing the token', async () => {
      const h = await setUp({}, {}, { apiToken: `${STUB_API_TOKEN}-wrong` });
      const err = await expectError(h.client.listSpaces(), 'unauthorized', h);
      assert.equal(err.status, 401);
      assert.match(err.message, /did not accept the email and API token/);
      assert.match(err.message, /id\.atlassian\.com/);
      assert.match(err.message, /Connect Atlassian Account/);
      assert.equal(h.stub.requests[0].auth, 'invalid');
      assert.equal(h.stub.requests.length, 1, '401 is not retried');
      const wrong = `${STUB_API_TOKEN}-wrong`;
      for (const text of h.seen) assert.ok(!text.includes(wrong));
    });

    it('403: no permission to the space', async () => {
      const h = await setUp();
      h.stub.failNext(403, 1, {}, { path: '/wiki/api/v2/spaces/' });
      const err = await expectError(h.client.rootPages(ENG_ID), 'forbidden', h);
      assert.match(err.message, /no permission to view space 98305 \(HTTP 403\)/);
      assert.match(err.message, /Confluence said: Forbidden/);
    });

    it('403 on the space list', async () => {
      const h = await setUp();
      h.stub.failNext(403);
      const err = await expectError(h.client.listSpaces(), 'forbidden', h);
      assert.match(err.message, /may not list the spaces/);
    });

    it('404: space or page not found, or the wrong site', async () => {
      const h = await setUp();
      const space = await expectError(h.client.rootPages('999'), 'not_found', h);
      assert.match(space.message, /^Space 999 was not found on .* \(HTTP 404\)/);
      const page = await expectError(h.client.children('123'), 'not_found', h);
      assert.match(page.message, /^Page 123 was not found on/);
      assert.match(page.message, /Site URL may be wrong/);
      h.stub.failNext(404, 1, {}, { path: '/wiki/api/v2/spaces' });
      const site = await expectError(h.client.listSpaces(), 'not_found', h);
      assert.match(site.message, /no Confluence Cloud API/);
    });

    it('429 then success: waits as asked (Retry-After), on the injected clock', async () => {
      const h = await setUp();
      h.stub.failNext(429, 2, { 'Retry-After': '3' });
      const ticks: WaitTick[] = [];
      const batch = await h.client.listSpaces({ onWait: (t) => ticks.push(t) });
      assert.equal(batch.spaces.length, 3);
      assert.equal(h.stub.requests.length, 3);
      assert.deepEqual(h.clock.sleeps, [1000, 1000, 1000, 1000, 1000, 1000]);
      assert.deepEqual(
        ticks.map((t) => [t.reason, t.secondsLeft, t.attempt]),
        [
          ['rate_limited', 3, 2],
          ['rate_limited', 2, 2],
          ['rate_limited', 1, 2],
          ['rate_limited', 3, 3],
          ['rate_limited', 2, 3],
          ['rate_limited', 1, 3],
        ],
      );
      assert.ok(h.lines.some((l) => /Retrying in 3 seconds \(rate_limited; delay from Retry-After\)/.test(l.line)));
    });

    it('429 until the attempts run out', async () => {
      const h = await setUp();
      h.stub.failNext(429, 10, { 'Retry-After': '1' });
      const err = await expectError(h.client.listSpaces(), 'rate_limited', h);
      assert.equal(err.status, 429);
      assert.equal(err.details.attempts, 4);
      assert.match(err.message, /limiting the rate of requests \(HTTP 429\)/);
      assert.match(err.message, /Gave up after 4 attempts/);
      assert.equal(h.stub.requests.length, 4);
    });

    it('429 asking for a longer wait than allowed: does not wait, says until when', async () => {
      const h = await setUp({}, { retry: { maxWaitMs: 10_000 } });
      h.stub.failNext(429, 1, { 'Retry-After': '3600' });
      const err = await expectError(h.client.listSpaces(), 'rate_limited', h);
      assert.match(err.message, /asked to wait 60 minutes \(Retry-After header\)/);
      assert.equal(err.details.retryAt, h.clock.now() + 3_600_000);
      assert.deepEqual(h.clock.sleeps, []);
    });

    it('500 then success, with backoff', async () => {
      const h = await setUp();
      h.stub.failNext(500);
      const batch = await h.client.children('201819180');
      assert.equal(batch.pages.length, 2);
      assert.equal(h.stub.requests.length, 2);
      assert.equal(h.clock.totalSlept, 750);
    });

    it('500 every time: a server error after the attempts run out', async () => {
      const h = await setUp({}, { retry: { maxAttempts: 2 } });
      h.stub.failNext(500, 5);
      const err = await expectError(h.client.page('65601'), 'server_error', h);
      assert.match(err.message, /server error \(HTTP 500/);
      assert.equal(h.stub.requests.length, 2);
    });

    it('cancellation during a retry wait', async () => {
      const clock = new BlockingClock();
      const h = await setUp({}, { clock });
      h.stub.failNext(429, 1, { 'Retry-After': '5' });
      const controller = new AbortController();
      const pending = h.client.listSpaces({ signal: controller.signal });
      await clock.sleeping;
      controller.abort();
      await assert.rejects(pending, (err: unknown) => isAbortError(err) && !(err instanceof ConfluenceError));
      assert.equal(h.stub.requests.length, 1);
    });

    it('cancellation while a request is open', async () => {
      const h = await setUp();
      h.stub.stallNext();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      await assert.rejects(h.client.listSpaces({ signal: controller.signal }), (err: unknown) => isAbortError(err));
    });

    it('cancellation of a sub-page expansion', async () => {
      const h = await setUp();
      h.stub.stallNext(1, { path: '/wiki/api/v2/pages/201819181/children' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(h.client.expandSubPages(['201819180'], { signal: controller.signal }), (err: unknown) => isAbortError(err));
    });

    it('an already aborted signal sends nothing', async () => {
      const h = await setUp();
      await assert.rejects(h.client.listSpaces({ signal: AbortSignal.abort() }), (err: unknown) => isAbortError(err));
      assert.equal(h.stub.requests.length, 0);
    });

    it('times out a request that gets no answer (not retried)', async () => {
      const h = await setUp({}, { timeoutMs: 100 });
      h.stub.stallNext();
      const err = await expectError(h.client.listSpaces(), 'timeout', h);
      assert.match(err.message, /did not answer within .+ while loading the list of spaces\. Try again\./);
      assert.equal(h.stub.requests.length, 1);
    });

    it('connection refused: retried, then explained', async () => {
      const gone = await AtlassianStub.start();
      const site = gone.siteUrl;
      await gone.close();
      const h = await setUp({}, {}, { siteUrl: site });
      const err = await expectError(h.client.listSpaces(), 'network', h);
      assert.equal(err.details.fault, 'refused');
      assert.equal(err.details.attempts, 4);
      assert.match(err.message, /Could not load the list of spaces\. Could not connect to 127\.0\.0\.1:\d+: the connection was refused \(ECONNREFUSED\)\. Check the Site URL/);
    });

    it('a redirect is not followed with the credentials', async () => {
      const h = await setUp();
      h.stub.failNext(302, 1, { Location: 'https://elsewhere.example/wiki/api/v2/spaces' });
      const err = await expectError(h.client.listSpaces(), 'unexpected_status', h);
      assert.match(err.message, /redirected .* to https:\/\/elsewhere\.example/);
      assert.equal(h.stub.requests.length, 1);
    });

    it('an HTML answer is a bad response', async () => {
      const h = await setUp();
      h.stub.failNext(200, 1, { 'Content-Type': 'text/html' }, { body: '<html><title>Log in</title></html>' });
      const err = await expectError(h.client.listSpaces(), 'bad_response', h);
      assert.match(err.message, /HTML page \("Log in"\)/);
    });

    it('a body without results is a bad response; odd items are skipped, unknown fields pass', async () => {
      const h = await setUp();
      h.stub.failNext(200, 1, {}, { body: '{"data":[]}' });
      await expectError(h.client.listSpaces(), 'bad_response', h);
      h.stub.failNext(200, 1, {}, {
        body: JSON.stringify({ results: [{ id: 7, key: 'A', extra: { x: 1 } }, { key: 'NOID' }, { id: '8', key: 'B', name: 'Bee', status: 42 }], _links: {} }),
      });
      const batch = await h.client.listSpaces();
      assert.deepEqual(batch.spaces, [
        { id: '7', key: 'A', name: 'A', type: 'global', status: 'current' },
        { id: '8', key: 'B', name: 'Bee', type: 'global', status: 'current' },
      ]);
      assert.ok(h.lines.some((l) => l.level === 'warn' && /skipped 1 result/.test(l.line)));
    });

    it('rejects an invalid site or missing credentials before sending', async () => {
      const bad = await setUp({}, {}, { siteUrl: 'http://example.com' });
      await expectError(bad.client.listSpaces(), 'invalid_site', bad);
      const empty = await setUp({}, {}, { apiToken: '  ' });
      const err = await expectError(empty.client.listSpaces(), 'missing_credentials', empty);
      assert.match(err.message, /Connect Atlassian Account/);
      assert.equal(bad.stub.requests.length + empty.stub.requests.length, 0);
    });

    it('never logs the token or the Authorization header, even at debug level and on every failure', async () => {
      const h = await setUp();
      h.stub.failNext(500, 1, {}, { body: JSON.stringify({ message: `echo ${STUB_API_TOKEN} Basic ${base64Utf8(`${STUB_EMAIL}:${STUB_API_TOKEN}`)}` }) });
      h.stub.failNext(400, 1, {}, { body: JSON.stringify({ errors: [{ title: `bad ${STUB_API_TOKEN}` }] }) });
      await expectError(h.client.listSpaces(), 'unexpected_status', h);
      assert.ok(h.lines.some((l) => l.level === 'debug'));
      assert.ok(h.seen.some((t) => t.includes('***')));
      // The afterEach hook checks every line and message for the token.
    });
  });
});

describe('Confluence helpers', () => {
  it('reads rel="next" from a Link header', () => {
    assert.equal(nextFromLinkHeader('</wiki/api/v2/spaces?cursor=abc>; rel="next", <https://x.atlassian.net/wiki>; rel="base"'), '/wiki/api/v2/spaces?cursor=abc');
    assert.equal(nextFromLinkHeader('<https://x/wiki>; rel="base", <https://x/a?cursor=b,c>; rel=next'), 'https://x/a?cursor=b,c');
    assert.equal(nextFromLinkHeader('<https://x/a?cursor=1>; rel="prev"'), undefined);
    assert.equal(nextFromLinkHeader(undefined), undefined);
  });

  it('takes only the cursor of a next link', () => {
    assert.equal(cursorOf('/wiki/api/v2/spaces?limit=2&cursor=eyJ%3D'), 'eyJ=');
    assert.equal(cursorOf('https://evil.example/steal?cursor=x'), 'x');
    assert.equal(cursorOf('/wiki/api/v2/spaces?limit=2'), undefined);
  });

  it('encodes Basic credentials as UTF-8 Base64', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'ada@example.com:tok', 'zoë@exämple.com:ŧøķēñ✓']) {
      assert.equal(base64Utf8(text), Buffer.from(text, 'utf8').toString('base64'));
    }
  });

  it('ranks spaces: exact key, then prefixes, then words, then substrings', () => {
    const spaces: ConfluenceSpace[] = [
      { id: '1', key: 'XENG', name: 'Other', type: 'global', status: 'current' },
      { id: '2', key: 'DOC', name: 'Docs for engineers', type: 'global', status: 'current' },
      { id: '3', key: 'ENGX', name: 'Engine room', type: 'global', status: 'current' },
      { id: '4', key: 'ENG', name: 'Engineering', type: 'global', status: 'current' },
      { id: '5', key: 'OPS', name: 'Operations', type: 'global', status: 'current' },
    ];
    assert.deepEqual(
      rankSpaces(spaces, 'eng').map((s) => s.key),
      ['ENG', 'ENGX', 'DOC', 'XENG'],
    );
    assert.equal(rankSpaces(spaces, '  ').length, 5);
  });
});

describe('Atlassian stand-in', () => {
  let stub: AtlassianStub;
  beforeEach(async () => {
    stub = await AtlassianStub.start();
  });
  afterEach(async () => {
    await stub.close();
  });

  const auth = { Authorization: `Basic ${Buffer.from(`${STUB_EMAIL}:${STUB_API_TOKEN}`).toString('base64')}` };

  it('listens on 127.0.0.1 and records requests without the token', async () => {
    assert.match(stub.siteUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${stub.siteUrl}/wiki/api/v2/spaces?keys=ENG,OPS&limit=1`, { headers: auth });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { results: { key: string }[]; _links: { next?: string } };
    assert.deepEqual(
      body.results.map((r) => r.key),
      ['ENG'],
    );
    assert.ok(body._links.next);
    assert.match(res.headers.get('link') ?? '', /rel="next"/);
    assert.ok(!JSON.stringify(stub.requests).includes(STUB_API_TOKEN));
    assert.ok(!JSON.stringify(stub.requests).includes(auth.Authorization.slice(6)));
    assert.deepEqual(stub.requests[0].query, { keys: 'ENG,OPS', limit: '1' });
  });

  it('answers 401 without credentials, and 400 for a bad cursor', async () => {
    const res = await fetch(`${stub.siteUrl}/wiki/api/v2/spaces`);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { code: 401, message: 'Unauthorized; scope does not match' });
    const bad = await fetch(`${stub.siteUrl}/wiki/api/v2/spaces?cursor=nope`, { headers: auth });
    assert.equal(bad.status, 400);
  });

  it('can be scripted over HTTP by another process', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${stub.siteUrl}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    assert.equal((await post('/__stub/fail', { status: 429, count: 1, headers: { 'Retry-After': '2' }, path: '/wiki/' })).status, 200);
    const limited = await fetch(`${stub.siteUrl}/wiki/api/v2/spaces`, { headers: auth });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.equal((await fetch(`${stub.siteUrl}/wiki/api/v2/spaces`, { headers: auth })).status, 200);

    await post('/__stub/cloud-id', { cloudId: null });
    assert.equal((await fetch(`${stub.siteUrl}/_edge/tenant_info`)).status, 404);

    const recorded = (await (await fetch(`${stub.siteUrl}/__stub/requests`)).json()) as { path: string; status: number }[];
    assert.deepEqual(
      recorded.map((r) => [r.path, r.status]),
      [
        ['/wiki/api/v2/spaces', 429],
        ['/wiki/api/v2/spaces', 200],
        ['/_edge/tenant_info', 404],
      ],
    );
    await post('/__stub/reset', {});
    assert.equal(stub.requests.length, 0);
    assert.equal((await post('/__stub/fail', { status: 'x' })).status, 400);
  });

  it('waits for requests', async () => {
    setTimeout(() => void fetch(`${stub.siteUrl}/_edge/tenant_info`), 20);
    const requests = await stub.waitForRequests(1);
    assert.equal(requests[0].path, '/_edge/tenant_info');
    await assert.rejects(stub.waitForRequests(5, 50), /Expected 5 request/);
  });

  it('runs standalone and prints its address', async () => {
    const { spawn } = await import('node:child_process');
    const path = await import('node:path');
    const cli = spawn(process.execPath, [path.join(__dirname, '..', 'support', 'atlassian-stub-cli.js'), '--page-size', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const info = await new Promise<{ siteUrl: string; cloudId: string }>((resolve, reject) => {
        let out = '';
        cli.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve(JSON.parse(line) as { siteUrl: string; cloudId: string });
        });
        cli.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const res = await fetch(`${info.siteUrl}/_edge/tenant_info`);
      assert.deepEqual(await res.json(), { cloudId: info.cloudId });
    } finally {
      cli.kill('SIGTERM');
    }
  });
});
