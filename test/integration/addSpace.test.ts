/**
 * "Context7: Add Confluence Space" inside the real extension host, wired to the Context7 stand-in
 * (a real HTTP server on 127.0.0.1; nothing here mocks `fetch`).
 *
 * Submissions use the command's `submit: true` argument, which runs the same service the form and
 * the quick input end in, without UI, and resolves to the client's result.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Context7Stub } from '../support/context7-stub';

const EXTENSION_ID = 'context7-confluence.context7-confluence';
const COMMAND = 'context7.addConfluenceSpace';
const KEY = 'ctx7sk-integration-first-0123456789';
const OTHER_KEY = 'ctx7sk-integration-second-9876543210';

const SPACE = {
  siteUrl: 'https://acme.atlassian.net',
  cloudId: '5c3a1f2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b',
  spaceKey: 'DOCS',
  spaceName: 'Documentation',
  title: 'Acme Docs',
  description: 'Internal documentation of Acme.',
};

interface StatusBarView {
  state: 'ready' | 'noKey' | 'busy';
  visible: boolean;
  text: string;
  tooltip: string;
}

/** What the extension's `activate` returns (src/extension.ts). */
interface Api {
  statusBar(): StatusBarView;
  /** Present only when the extension runs in test mode (ExtensionMode.Test). */
  testing?: { setApiKey(key: string): Promise<void>; deleteApiKey(): Promise<void>; changeSecretElsewhere(key?: string): Promise<void> };
}

interface Result {
  ok: boolean;
  libraryName?: string;
  alreadyProcessing?: boolean;
  attempts?: number;
  failure?: { kind: string; status?: number; message: string; actions: string[]; fieldErrors?: Record<string, string>; attempts: number };
}

const submit = (args: Record<string, unknown>) => vscode.commands.executeCommand<Result>(COMMAND, { ...args, submit: true });

const config = () => vscode.workspace.getConfiguration('context7');
const SETTINGS = ['apiUrl', 'confluence.siteUrl', 'confluence.cloudId', 'confluence.projectId', 'statusBar.enabled', 'retry.maxAttempts', 'retry.maxWaitSeconds'];

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function formTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('context7.addSpaceForm'));
}

describe('Add Confluence Space (integration)', function () {
  this.timeout(60_000);
  let stub: Context7Stub;
  let api: Api;

  before(async () => {
    const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    api = await extension.activate();
    assert.ok(api.testing, 'the extension exposes its test hooks in test mode');
    stub = await Context7Stub.start();
    await config().update('apiUrl', stub.apiUrl, vscode.ConfigurationTarget.Global);
    await config().update('retry.maxWaitSeconds', 60, vscode.ConfigurationTarget.Global);
    await api.testing.setApiKey(KEY);
  });

  after(async () => {
    for (const key of SETTINGS) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    for (const tab of formTabs()) await vscode.window.tabGroups.close(tab);
    await stub?.close();
  });

  beforeEach(() => stub.reset());

  describe('the command and its argument', () => {
    it('submits the given fields to the stand-in, with the key as a bearer token', async () => {
      const result = await submit({ ...SPACE, pageIds: '123, https://acme.atlassian.net/wiki/spaces/DOCS/pages/456/Intro' });
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.libraryName, '/confluence/docs');
      assert.equal(stub.requests.length, 1);
      const [request] = stub.requests;
      assert.deepEqual(request.contractErrors, []);
      assert.deepEqual(request.body, { ...SPACE, pageIds: ['123', '456'] });
      assert.equal(request.headers.authorization, `Bearer ${KEY}`);
      assert.match(String(request.headers['user-agent']), /^context7-confluence\/\S+ VSCode\/\d/);
    });

    it('ignores unknown keys, drops values that are not text, and sends nothing when the rest is invalid', async () => {
      const result = await submit({ ...SPACE, spaceKey: 42, unknownKey: 'x' });
      assert.equal(result.ok, false);
      assert.equal(result.failure?.kind, 'validation');
      assert.ok(result.failure?.fieldErrors?.spaceKey, 'spaceKey is reported');
      assert.deepEqual(result.failure?.actions, ['openForm']);
      assert.equal(stub.requests.length, 0);
    });

    it('sends nothing for an invalid field, and names it', async () => {
      const result = await submit({ ...SPACE, cloudId: 'not-a-uuid' });
      assert.equal(result.failure?.kind, 'validation');
      assert.match(result.failure?.fieldErrors?.cloudId ?? '', /Cloud ID/);
      assert.equal(stub.requests.length, 0);
    });

    it('accepts pageIds as a list', async () => {
      const result = await submit({ ...SPACE, pageIds: ['42', 'https://acme.atlassian.net/wiki/spaces/DOCS/pages/43/T'] });
      assert.equal(result.ok, true);
      assert.deepEqual((stub.requests[0].body as { pageIds: string[] }).pageIds, ['42', '43']);
    });

    it('opens one form panel; running the command again reveals it', async () => {
      await vscode.commands.executeCommand(COMMAND);
      await until(() => formTabs().length === 1, 'the form panel');
      await vscode.commands.executeCommand(COMMAND, { spaceKey: 'ENG' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const tabs = formTabs();
      assert.equal(tabs.length, 1);
      assert.equal(tabs[0].label, 'Add Confluence Space');
      assert.equal(tabs[0].isActive, true);
      await vscode.window.tabGroups.close(tabs[0]);
    });
  });

  describe('settings', () => {
    afterEach(async () => {
      for (const key of ['confluence.siteUrl', 'confluence.cloudId', 'confluence.projectId']) {
        await config().update(key, undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('prefill the request; the argument wins; a change applies at once, without a reload', async () => {
      await config().update('confluence.siteUrl', 'https://from-settings.atlassian.net', vscode.ConfigurationTarget.Global);
      await config().update('confluence.cloudId', SPACE.cloudId, vscode.ConfigurationTarget.Global);
      await config().update('confluence.projectId', 'project-1', vscode.ConfigurationTarget.Global);
      const { siteUrl: _siteUrl, cloudId: _cloudId, ...rest } = SPACE;

      assert.equal((await submit(rest)).ok, true);
      assert.deepEqual(stub.requests[0].body, { ...rest, siteUrl: 'https://from-settings.atlassian.net', cloudId: SPACE.cloudId, projectId: 'project-1' });

      await config().update('confluence.siteUrl', 'https://changed.atlassian.net', vscode.ConfigurationTarget.Global);
      assert.equal((await submit(rest)).ok, true);
      assert.equal((stub.requests[1].body as { siteUrl: string }).siteUrl, 'https://changed.atlassian.net');

      assert.equal((await submit({ ...rest, siteUrl: 'https://argument.atlassian.net', projectId: 'project-2' })).ok, true);
      assert.equal((stub.requests[2].body as { siteUrl: string }).siteUrl, 'https://argument.atlassian.net');
      assert.equal((stub.requests[2].body as { projectId: string }).projectId, 'project-2');
    });

    it('follow context7.apiUrl live', async () => {
      const other = await Context7Stub.start();
      try {
        await config().update('apiUrl', other.apiUrl, vscode.ConfigurationTarget.Global);
        assert.equal((await submit(SPACE)).ok, true);
        assert.equal(other.requests.length, 1);
        assert.equal(stub.requests.length, 0);
      } finally {
        await config().update('apiUrl', stub.apiUrl, vscode.ConfigurationTarget.Global);
        await other.close();
      }
    });
  });

  describe('answers of the stand-in', () => {
    it('401: an invalid_api_key failure offering "Set API Key"', async () => {
      stub.enqueue({ status: 401, body: { error: 'invalid_api_key', message: 'Invalid API key' } });
      const result = await submit(SPACE);
      assert.equal(result.ok, false);
      assert.equal(result.failure?.kind, 'invalid_api_key');
      assert.equal(result.failure?.status, 401);
      assert.ok(result.failure?.actions.includes('setApiKey'));
      assert.equal(stub.requests.length, 1);
    });

    it('409: a duplicate failure', async () => {
      stub.enqueue({ status: 409, body: { error: 'duplicate', message: 'This space was already added' } });
      const result = await submit(SPACE);
      assert.equal(result.failure?.kind, 'duplicate');
      assert.equal(result.failure?.status, 409);
    });

    it('429 followed by success: retried after Retry-After, then the library name', async () => {
      stub.enqueue(
        { status: 429, headers: { 'Retry-After': '1' }, body: { error: 'rate_limited', message: 'Too many requests' } },
        { status: 200, body: { libraryName: '/acme/docs', message: 'Submitted' } },
      );
      const started = Date.now();
      const result = await submit(SPACE);
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.libraryName, '/acme/docs');
      assert.equal(result.attempts, 2);
      assert.equal(stub.requests.length, 2);
      assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
    });
  });

  describe('cancellation', () => {
    it('stops a rate-limit wait: one request, a cancelled result, at once', async () => {
      stub.enqueue({ status: 429, headers: { 'Retry-After': '30' }, body: { error: 'rate_limited', message: 'Slow down' } });
      const controller = new AbortController();
      const pending = submit({ ...SPACE, signal: controller.signal });
      await stub.waitForRequests(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const cancelledAt = Date.now();
      controller.abort();
      const result = await pending;
      assert.equal(result.failure?.kind, 'cancelled');
      assert.ok(Date.now() - cancelledAt < 3000, 'resolved soon after cancelling');
      assert.equal(stub.requests.length, 1);
    });

    it('stops a request in flight', async () => {
      stub.enqueue({ status: 200, body: { libraryName: '/acme/late', message: 'Too late' }, delayMs: 20_000 });
      const controller = new AbortController();
      const pending = submit({ ...SPACE, signal: controller.signal });
      await stub.waitForRequests(1);
      controller.abort();
      const result = await pending;
      assert.equal(result.failure?.kind, 'cancelled');
    });
  });

  describe('status bar', () => {
    it('spins while a submission runs, then shows ready', async () => {
      stub.enqueue({ status: 200, body: { libraryName: '/acme/slow', message: 'ok' }, delayMs: 1500 });
      const pending = submit(SPACE);
      await stub.waitForRequests(1);
      assert.equal(api.statusBar().state, 'busy');
      assert.match(api.statusBar().text, /\$\(sync~spin\).*Context7/);
      assert.equal((await pending).ok, true);
      assert.equal(api.statusBar().state, 'ready');
      assert.match(api.statusBar().text, /Context7/);
    });

    it('hides and shows live with context7.statusBar.enabled', async () => {
      await config().update('statusBar.enabled', false, vscode.ConfigurationTarget.Global);
      await until(() => !api.statusBar().visible, 'the item to hide');
      await config().update('statusBar.enabled', true, vscode.ConfigurationTarget.Global);
      await until(() => api.statusBar().visible, 'the item to show');
    });
  });

  describe('API key', () => {
    afterEach(async () => {
      await api.testing?.setApiKey(KEY);
    });

    it('a replaced key is the one sent', async () => {
      await api.testing?.setApiKey(OTHER_KEY);
      assert.equal((await submit(SPACE)).ok, true);
      assert.equal(stub.requests[0].headers.authorization, `Bearer ${OTHER_KEY}`);
    });

    it('removal (confirmation skipped by argument) shows the no-key state; a new key restores ready', async () => {
      assert.equal(await vscode.commands.executeCommand('context7.removeApiKey', { confirm: false }), true);
      await until(() => api.statusBar().state === 'noKey', 'the no-key state');
      assert.match(api.statusBar().tooltip, /API key/i);
      assert.equal(await vscode.commands.executeCommand('context7.removeApiKey', { confirm: false }), false, 'nothing left to remove');
      await api.testing?.setApiKey(KEY);
      await until(() => api.statusBar().state === 'ready', 'the ready state');
    });

    it('follows SecretStorage.onDidChange: a key removed or set in another window takes effect here', async () => {
      assert.equal((await submit(SPACE)).ok, true, 'the key is known (and cached) here first');
      await api.testing?.changeSecretElsewhere(undefined);
      await until(() => api.statusBar().state === 'noKey', 'the no-key state after a removal elsewhere');
      await api.testing?.changeSecretElsewhere(OTHER_KEY);
      await until(() => api.statusBar().state === 'ready', 'the ready state after a key set elsewhere');
      stub.reset();
      assert.equal((await submit(SPACE)).ok, true);
      assert.equal(stub.requests[0].headers.authorization, `Bearer ${OTHER_KEY}`, 'the key set elsewhere is the one sent');
    });
  });
});
