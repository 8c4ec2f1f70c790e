import * as assert from 'node:assert/strict';
import { CloudIdCache, cloudIdHelp, lookupCloudId, type CloudIdResult } from '../../src/core/cloudId';
import { AtlassianStub, STUB_CLOUD_ID } from '../support/atlassian-stub';

const realFetch: typeof fetch = (input, init) => fetch(input, init);

function assertFailure(result: CloudIdResult, reason: string): asserts result is Extract<CloudIdResult, { ok: false }> {
  assert.equal(result.ok, false, `expected ${reason}, got success`);
  if (!result.ok) assert.equal(result.reason, reason, result.message);
}

/** Every failure but a cancellation says how to find the ID by hand. */
function assertHelps(message: string, site: string): void {
  assert.ok(message.includes(`${site}/_edge/tenant_info`), message);
  assert.ok(message.includes('admin.atlassian.com') && message.includes('/s/'), message);
}

describe('lookupCloudId (against the Atlassian stand-in)', () => {
  let stub: AtlassianStub;

  beforeEach(async () => {
    stub = await AtlassianStub.start();
  });
  afterEach(async () => {
    await stub.close();
  });

  it('reads the cloud ID from /_edge/tenant_info without credentials', async () => {
    const result = await lookupCloudId(stub.siteUrl, { fetch: realFetch, userAgent: 'test-agent/1' });
    assert.deepEqual(result, { ok: true, cloudId: STUB_CLOUD_ID, siteUrl: stub.siteUrl });
    assert.equal(stub.requests.length, 1);
    assert.equal(stub.requests[0].path, '/_edge/tenant_info');
    assert.equal(stub.requests[0].auth, 'none');
    assert.equal(stub.requests[0].userAgent, 'test-agent/1');
  });

  it('normalizes the site first (a pasted page link works) and lower-cases the ID', async () => {
    stub.cloudId = STUB_CLOUD_ID.toUpperCase();
    const result = await lookupCloudId(`${stub.siteUrl}/wiki/spaces/ENG/pages/1/T`, { fetch: realFetch });
    assert.deepEqual(result, { ok: true, cloudId: STUB_CLOUD_ID, siteUrl: stub.siteUrl });
  });

  it('explains a 404: not a Cloud site', async () => {
    stub.cloudId = null;
    const result = await lookupCloudId(stub.siteUrl, { fetch: realFetch });
    assertFailure(result, 'not_found');
    assert.equal(result.status, 404);
    assert.match(result.message, /HTTP 404/);
    assert.match(result.message, /Data Center or Server/);
    assertHelps(result.message, stub.siteUrl);
  });

  it('explains an answer that is not JSON (a sign-in page)', async () => {
    stub.failNext(200, 1, { 'Content-Type': 'text/html' }, { body: '<html><head><title>Log in with Atlassian account</title></head></html>' });
    const result = await lookupCloudId(stub.siteUrl, { fetch: realFetch });
    assertFailure(result, 'not_json');
    assert.match(result.message, /HTML page \("Log in with Atlassian account"\)/);
    assertHelps(result.message, stub.siteUrl);
  });

  it('rejects a cloud ID that is not a UUID, quoting it', async () => {
    stub.cloudId = 'a]1b2c3d4-5e6f-7g8h-9i0j';
    const result = await lookupCloudId(stub.siteUrl, { fetch: realFetch });
    assertFailure(result, 'no_cloud_id');
    assert.ok(result.message.includes('"a]1b2c3d4-5e6f-7g8h-9i0j" is not a UUID'), result.message);
    assertHelps(result.message, stub.siteUrl);
  });

  it('rejects JSON without a cloudId', async () => {
    stub.failNext(200, 1, {}, { body: '{"tenantId":"x"}' });
    const result = await lookupCloudId(stub.siteUrl, { fetch: realFetch });
    assertFailure(result, 'no_cloud_id');
    assert.match(result.message, /has no "cloudId"/);
  });

  it('reports other statuses', async () => {
    stub.failNext(503);
    const result = await lookupCloudId(stub.siteUrl, { fetch: realFetch });
    assertFailure(result, 'http_error');
    assert.equal(result.status, 503);
    assert.match(result.message, /HTTP 503/);
    assertHelps(result.message, stub.siteUrl);
  });

  it('times out quickly when the site does not answer', async () => {
    stub.stallNext();
    const started = Date.now();
    const result = await lookupCloudId(stub.siteUrl, { fetch: realFetch, timeoutMs: 100 });
    assertFailure(result, 'timeout');
    assert.ok(Date.now() - started < 3000);
    assert.match(result.message, /did not answer the cloud ID lookup within \S/);
    assertHelps(result.message, stub.siteUrl);
  });

  it('stops at once when cancelled', async () => {
    stub.stallNext();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const result = await lookupCloudId(stub.siteUrl, { fetch: realFetch, signal: controller.signal });
    assertFailure(result, 'cancelled');
    assert.equal(result.message, 'The cloud ID lookup was cancelled.');
  });

  it('explains a refused connection', async () => {
    const gone = await AtlassianStub.start();
    const site = gone.siteUrl;
    await gone.close();
    const result = await lookupCloudId(site, { fetch: realFetch });
    assertFailure(result, 'network');
    assert.match(result.message, /refused \(ECONNREFUSED\)/);
    assertHelps(result.message, site);
  });

  it('explains DNS and TLS faults', async () => {
    const failing = (code: string): typeof fetch => async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ${code}`), { code }) });
    };
    const dns = await lookupCloudId('https://nope.atlassian.net', { fetch: failing('ENOTFOUND') });
    assertFailure(dns, 'network');
    assert.match(dns.message, /^Could not look up the cloud ID\. Could not find the server nope\.atlassian\.net( \(\w+\))?: the name did not resolve\. Check the Site URL/);
    assertHelps(dns.message, 'https://nope.atlassian.net');
    const tls = await lookupCloudId('https://acme.atlassian.net', { fetch: failing('CERT_HAS_EXPIRED') });
    assertFailure(tls, 'network');
    assert.match(tls.message, /secure connection/);
  });

  it('rejects an invalid site URL without a request', async () => {
    let called = false;
    const result = await lookupCloudId('http://example.com', {
      fetch: async () => {
        called = true;
        throw new Error('unexpected');
      },
    });
    assertFailure(result, 'invalid_site');
    assert.equal(called, false);
    assert.match(result.message, /https:\/\//);
    assert.ok(result.message.endsWith(cloudIdHelp()));
  });
});

describe('CloudIdCache', () => {
  let stub: AtlassianStub;

  beforeEach(async () => {
    stub = await AtlassianStub.start();
  });
  afterEach(async () => {
    await stub.close();
  });

  it('caches a success per normalized site', async () => {
    const cache = new CloudIdCache({ fetch: realFetch });
    assert.equal(cache.get(stub.siteUrl), undefined);
    const first = await cache.lookup(stub.siteUrl);
    assert.equal(first.ok && first.cloudId, STUB_CLOUD_ID);
    const second = await cache.lookup(`${stub.siteUrl}/wiki/spaces/ENG`);
    assert.deepEqual(second, first);
    assert.equal(cache.get(`${stub.siteUrl}/wiki/`), STUB_CLOUD_ID);
    assert.equal(stub.requests.length, 1);
    cache.clear(stub.siteUrl);
    assert.equal(cache.get(stub.siteUrl), undefined);
  });

  it('does not cache failures', async () => {
    const cache = new CloudIdCache({ fetch: realFetch });
    stub.cloudId = null;
    assertFailure(await cache.lookup(stub.siteUrl), 'not_found');
    stub.cloudId = STUB_CLOUD_ID;
    const again = await cache.lookup(stub.siteUrl);
    assert.equal(again.ok, true);
    assert.equal(stub.requests.length, 2);
  });

  it('shares one request among concurrent lookups of a site', async () => {
    const cache = new CloudIdCache({ fetch: realFetch });
    const results = await Promise.all([cache.lookup(stub.siteUrl), cache.lookup(`${stub.siteUrl}/wiki`), cache.lookup(stub.siteUrl)]);
    for (const result of results) assert.equal(result.ok && result.cloudId, STUB_CLOUD_ID);
    assert.equal(stub.requests.length, 1);
  });

  it('lets one caller cancel without cancelling the others', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowFetch: typeof fetch = async (input, init) => {
      await gate;
      return realFetch(input, init);
    };
    const cache = new CloudIdCache({ fetch: slowFetch });
    const controller = new AbortController();
    const cancelled = cache.lookup(stub.siteUrl, { signal: controller.signal });
    const kept = cache.lookup(stub.siteUrl);
    controller.abort();
    assertFailure(await cancelled, 'cancelled');
    release?.();
    const result = await kept;
    assert.equal(result.ok && result.cloudId, STUB_CLOUD_ID);
    assert.equal(stub.requests.length, 1);
  });

  it('aborts the request when every caller has cancelled, and starts afresh later', async () => {
    stub.stallNext();
    const cache = new CloudIdCache({ fetch: realFetch });
    const a = new AbortController();
    const b = new AbortController();
    const first = cache.lookup(stub.siteUrl, { signal: a.signal });
    const second = cache.lookup(stub.siteUrl, { signal: b.signal });
    await new Promise((resolve) => setTimeout(resolve, 30));
    a.abort();
    b.abort();
    assertFailure(await first, 'cancelled');
    assertFailure(await second, 'cancelled');
    const third = await cache.lookup(stub.siteUrl);
    assert.equal(third.ok && third.cloudId, STUB_CLOUD_ID);
    assert.equal(stub.requests.length, 2);
  });

  it('answers an invalid site URL without caching anything', async () => {
    const cache = new CloudIdCache({ fetch: realFetch });
    assertFailure(await cache.lookup('not a url'), 'invalid_site');
    assert.equal(stub.requests.length, 0);
  });
});
