/**
 * The Confluence side of the extension inside the real extension host, wired to two stand-ins on
 * 127.0.0.1: Atlassian (test/support/atlassian-stub.ts: tenant_info, spaces, pages, Basic auth)
 * and Context7. Nothing mocks `fetch`.
 *
 * Credentials are connected with the command's argument (site, email and token: checked and
 * stored without asking); the tests read back only whether a token is stored, never the token.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { AtlassianStub, STUB_API_TOKEN, STUB_CLOUD_ID, STUB_EMAIL } from '../support/atlassian-stub';
import { Context7Stub } from '../support/context7-stub';

const EXTENSION_ID = 'context7-confluence.context7-confluence';
const KEY = 'ctx7sk-integration-confluence-0123456789';

interface Api {
  testing?: {
    setApiKey(key: string): Promise<void>;
    atlassianAccount(): Promise<{ siteUrl: string; email: string; hasToken: boolean } | undefined>;
  };
}

type ConnectResult = { ok: true; siteUrl: string; email: string } | { ok: false; reason: string; kind?: string; message?: string };

interface Result {
  ok: boolean;
  libraryName?: string;
  failure?: { kind: string; code?: string; message: string; fieldErrors?: Record<string, string> };
}

const config = () => vscode.workspace.getConfiguration('context7');
const connect = (args: Record<string, unknown>) => vscode.commands.executeCommand<ConnectResult>('context7.connectAtlassian', args);
const disconnect = () => vscode.commands.executeCommand<boolean>('context7.disconnectAtlassian', { confirm: false });
const submit = (args: Record<string, unknown>) => vscode.commands.executeCommand<Result>('context7.addConfluenceSpace', { ...args, submit: true });

describe('Confluence (integration)', function () {
  this.timeout(60_000);
  let atlassian: AtlassianStub;
  let context7: Context7Stub;
  let api: Api;
  let space: Record<string, string>;

  before(async () => {
    const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    api = await extension.activate();
    assert.ok(api.testing, 'the extension exposes its test hooks in test mode');
    atlassian = await AtlassianStub.start();
    context7 = await Context7Stub.start();
    await config().update('apiUrl', context7.apiUrl, vscode.ConfigurationTarget.Global);
    await config().update('retry.maxWaitSeconds', 5, vscode.ConfigurationTarget.Global);
    await api.testing.setApiKey(KEY);
    space = { siteUrl: atlassian.siteUrl, spaceKey: 'ENG', spaceName: 'Engineering', title: 'Engineering', description: 'Engineering documentation from Confluence' };
  });

  after(async () => {
    await disconnect();
    for (const key of ['apiUrl', 'retry.maxWaitSeconds']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await atlassian?.close();
    await context7?.close();
  });

  beforeEach(() => {
    atlassian.reset();
    context7.reset();
  });

  describe('Connect and Disconnect Atlassian Account', () => {
    afterEach(async () => {
      await disconnect();
    });

    it('checks the credentials with Confluence, then stores them in secret storage', async () => {
      const result = await connect({ siteUrl: `${atlassian.siteUrl}/wiki/spaces/ENG`, email: STUB_EMAIL, apiToken: STUB_API_TOKEN });
      assert.deepEqual(result, { ok: true, siteUrl: atlassian.siteUrl, email: STUB_EMAIL });
      assert.deepEqual(await api.testing?.atlassianAccount(), { siteUrl: atlassian.siteUrl, email: STUB_EMAIL, hasToken: true });
      const checks = atlassian.requestsTo('/wiki/api/v2/spaces');
      assert.equal(checks.length, 1, 'one request checked the credentials');
      assert.equal(checks[0].auth, 'valid');
      assert.equal(checks[0].user, STUB_EMAIL);
    });

    it('a token Atlassian does not accept is not stored, and the result says why', async () => {
      const result = await connect({ siteUrl: atlassian.siteUrl, email: STUB_EMAIL, apiToken: 'ATATT-wrong-token' });
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.kind, 'unauthorized');
      assert.match((!result.ok && result.message) || '', /HTTP 401/);
      assert.doesNotMatch((!result.ok && result.message) || '', /ATATT-wrong-token/);
      assert.equal(await api.testing?.atlassianAccount(), undefined);
    });

    it('a 403 and a 429 that never clears each get their own message', async () => {
      atlassian.failNext(403, 1);
      const forbidden = await connect({ siteUrl: atlassian.siteUrl, email: STUB_EMAIL, apiToken: STUB_API_TOKEN });
      assert.equal(!forbidden.ok && forbidden.kind, 'forbidden');
      assert.match((!forbidden.ok && forbidden.message) || '', /HTTP 403/);

      atlassian.failNext(429, 10, { 'Retry-After': '600' });
      const limited = await connect({ siteUrl: atlassian.siteUrl, email: STUB_EMAIL, apiToken: STUB_API_TOKEN });
      assert.equal(!limited.ok && limited.kind, 'rate_limited');
      assert.match((!limited.ok && limited.message) || '', /HTTP 429/);
      assert.equal(await api.testing?.atlassianAccount(), undefined);
    });

    it('Disconnect removes the credentials; a second Disconnect has nothing to remove', async () => {
      assert.equal((await connect({ siteUrl: atlassian.siteUrl, email: STUB_EMAIL, apiToken: STUB_API_TOKEN })).ok, true);
      assert.equal(await disconnect(), true);
      assert.equal(await api.testing?.atlassianAccount(), undefined);
      assert.equal(await disconnect(), false);
    });

    it('keeps the Atlassian account apart from the Context7 key', async () => {
      assert.equal((await connect({ siteUrl: atlassian.siteUrl, email: STUB_EMAIL, apiToken: STUB_API_TOKEN })).ok, true);
      assert.equal(await disconnect(), true);
      // The Context7 key is still there: a submission goes out with it.
      const result = await submit({ ...space, cloudId: STUB_CLOUD_ID });
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(context7.requests[0].headers.authorization, `Bearer ${KEY}`);
    });
  });

  describe('cloud ID lookup', () => {
    it('fills an empty Cloud ID from the site\'s tenant_info, once per site', async () => {
      const result = await submit(space);
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal((context7.requests[0].body as { cloudId: string }).cloudId, STUB_CLOUD_ID);
      assert.equal(atlassian.requestsTo('/_edge/tenant_info').length, 1);
      assert.equal(atlassian.requestsTo('/_edge/tenant_info')[0].auth, 'none', 'the lookup sends no credentials');

      assert.equal((await submit(space)).ok, true);
      assert.equal(atlassian.requestsTo('/_edge/tenant_info').length, 1, 'the second lookup came from the cache');
    });

    it('never replaces a Cloud ID that was given', async () => {
      const given = '11111111-2222-4333-8444-555555555555';
      assert.equal((await submit({ ...space, cloudId: given })).ok, true);
      assert.equal((context7.requests[0].body as { cloudId: string }).cloudId, given);
    });

    it('a site without a cloud ID: nothing is sent, and the Cloud ID message says how to find it by hand', async () => {
      const other = await AtlassianStub.start({ cloudId: null });
      try {
        const result = await submit({ ...space, siteUrl: other.siteUrl });
        assert.equal(result.ok, false);
        assert.equal(result.failure?.kind, 'validation');
        assert.match(result.failure?.fieldErrors?.cloudId ?? '', /looking it up failed/);
        assert.match(result.failure?.fieldErrors?.cloudId ?? '', /by hand/);
        assert.equal(other.requestsTo('/_edge/tenant_info').length, 1);
        assert.equal(context7.requests.length, 0);
      } finally {
        await other.close();
      }
    });
  });

  describe('Include sub-pages', () => {
    const request = () => ({ ...space, cloudId: STUB_CLOUD_ID, pageIds: '201819180, 65650', includeSubPages: true });

    it('without a connection: nothing is sent, and the failure asks to connect', async () => {
      const result = await submit(request());
      assert.equal(result.ok, false);
      assert.equal(result.failure?.code, 'confluence_missing_credentials');
      assert.match(result.failure?.message ?? '', /Atlassian account/);
      assert.equal(context7.requests.length, 0);
    });

    describe('with a connection', () => {
      before(async () => {
        assert.equal((await connect({ siteUrl: atlassian.siteUrl, email: STUB_EMAIL, apiToken: STUB_API_TOKEN })).ok, true);
      });

      it('the request\'s pageIds hold the pages and all their sub-pages', async () => {
        const result = await submit(request());
        assert.equal(result.ok, true, JSON.stringify(result));
        assert.deepEqual((context7.requests[0].body as { pageIds: string[] }).pageIds, [
          '201819180',
          '65650',
          '201819181', // Services, under Architecture
          '201819182', // Data model (the whiteboard next to it is not a page)
          '201819183', // Payments service, under Services
          '201819184', // Search service
        ]);
        const children = atlassian.requestsTo('/wiki/api/v2/pages/');
        assert.ok(children.length >= 4, 'the children of each page were listed');
        assert.ok(children.every((r) => r.auth === 'valid'));
      });

      it('without the option, the pages are sent as given', async () => {
        const result = await submit({ ...request(), includeSubPages: false });
        assert.equal(result.ok, true);
        assert.deepEqual((context7.requests[0].body as { pageIds: string[] }).pageIds, ['201819180', '65650']);
        assert.equal(atlassian.requestsTo('/wiki/api/v2/pages/').length, 0);
      });

      it('a revoked token (401): nothing is sent, and the message says what to do', async () => {
        atlassian.failNext(401, 5, {}, { path: '/wiki/api/v2/pages/' });
        const result = await submit(request());
        assert.equal(result.ok, false);
        assert.equal(result.failure?.code, 'confluence_unauthorized');
        assert.match(result.failure?.message ?? '', /Connect Atlassian Account/);
        assert.doesNotMatch(result.failure?.message ?? '', new RegExp(STUB_API_TOKEN));
        assert.equal(context7.requests.length, 0);
      });

      it('never sends the token to a site that is neither the connected one nor on atlassian.net', async () => {
        // Another server on another port stands for any host a pasted link might name.
        const elsewhere = await AtlassianStub.start();
        try {
          const result = await submit({ ...request(), siteUrl: elsewhere.siteUrl });
          assert.equal(result.ok, false);
          assert.equal(result.failure?.code, 'confluence_site_not_allowed');
          assert.match(result.failure?.message ?? '', new RegExp(`goes only to the site you connected \\(${atlassian.siteUrl.replace(/[.]/g, '\\.')}\\)`));
          assert.equal(elsewhere.requests.length, 0, 'the other site received nothing');
          assert.equal(atlassian.requestsTo('/wiki/api/v2/pages/').length, 0, 'and the pages were not looked up on the connected site instead');
          assert.equal(context7.requests.length, 0);
        } finally {
          await elsewhere.close();
        }
      });

      it('a page that does not exist (404) is named', async () => {
        const result = await submit({ ...request(), pageIds: '999999' });
        assert.equal(result.ok, false);
        assert.equal(result.failure?.code, 'confluence_not_found');
        assert.match(result.failure?.message ?? '', /999999/);
        assert.equal(context7.requests.length, 0);
      });
    });
  });
});
