import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/vscode/commands';
import { Context7Stub } from '../support/context7-stub';

const EXTENSION_ID = 'context7-confluence.context7-confluence';
const KEY = 'ctx7sk-integration-scope-0123456789';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, { default: unknown; scope?: string }> };
  };
}

interface Api {
  testing?: { setApiKey(key: string): Promise<void>; deleteApiKey(): Promise<void> };
}

/** Whether Node has loaded `file` into this extension host (by its path or its real path). */
function isLoaded(file: string): boolean {
  return require.cache[file] !== undefined || (fs.existsSync(file) && require.cache[fs.realpathSync(file)] !== undefined);
}

// A root-level hook: mocha runs it before the first suite of every file, so before any test has
// used the add flow. Start-up has finished once `activate()` has settled.
let addSpaceBundle = '';
let addSpaceLoadedAtStartUp: boolean | undefined;
before(async () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this extension host`);
  await extension.activate();
  addSpaceBundle = path.join(extension.extensionPath, 'dist', 'addSpace.js');
  addSpaceLoadedAtStartUp = isLoaded(addSpaceBundle);
});

describe('Extension', () => {
  let extension: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed in this extension host`);
    extension = found;
    await extension.activate();
  });

  it('activates', () => {
    assert.equal(extension.isActive, true);
  });

  it('registers every contributed command, and contributes every command it registers', async () => {
    const manifest = extension.packageJSON as Manifest;
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('context7.')).sort();
    assert.deepEqual(registered, contributed);
  });

  it('lists in COMMAND_IDS (src/vscode/commands.ts) exactly the contributed commands', () => {
    const manifest = extension.packageJSON as Manifest;
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual([...COMMAND_IDS].sort(), contributed);
  });

  it('contributes the palette titles under the Context7 category', () => {
    const manifest = extension.packageJSON as Manifest;
    const byId = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, c]));
    for (const id of ['context7.addConfluenceSpace', 'context7.setApiKey', 'context7.removeApiKey', 'context7.showLog', 'context7.connectAtlassian', 'context7.disconnectAtlassian']) {
      assert.equal(byId[id]?.category, 'Context7', `${id} has no Context7 category`);
    }
  });

  it('declares the request settings application-scoped and the others window-scoped', () => {
    const manifest = extension.packageJSON as Manifest;
    const scopes = Object.fromEntries(Object.entries(manifest.contributes.configuration.properties).map(([key, schema]) => [key, schema.scope]));
    const application = ['context7.apiUrl', 'context7.request.timeoutSeconds', 'context7.retry.maxAttempts', 'context7.retry.maxWaitSeconds'];
    for (const key of Object.keys(scopes)) {
      const expected = application.includes(key) || key.startsWith('context7.retry.') ? 'application' : 'window';
      assert.equal(scopes[key], expected, `scope of ${key}`);
    }
    for (const key of application) assert.ok(key in scopes, `${key} is declared`);
  });

  it('does not load the add flow (dist/addSpace.js) at start-up, only on first use', async () => {
    assert.ok(fs.existsSync(addSpaceBundle), `${addSpaceBundle} exists`);
    assert.equal(addSpaceLoadedAtStartUp, false, `${addSpaceBundle} was already loaded when the suite started`);
    // An invalid Site URL fails validation before anything is sent or looked up.
    await vscode.commands.executeCommand('context7.addConfluenceSpace', { siteUrl: 'not a url', submit: true });
    assert.equal(isLoaded(addSpaceBundle), true, `${addSpaceBundle} is loaded once the add flow has run`);
  });

  it('reads back every setting default as the manifest declares it', () => {
    const manifest = extension.packageJSON as Manifest;
    const config = vscode.workspace.getConfiguration();
    const properties = Object.entries(manifest.contributes.configuration.properties);
    assert.ok(properties.length >= 6, 'the manifest declares the settings');
    for (const [key, schema] of properties) {
      assert.deepEqual(config.inspect(key)?.defaultValue, schema.default, `default of ${key}`);
    }
  });

  it('declares the defaults the issue fixes', () => {
    const config = vscode.workspace.getConfiguration('context7');
    assert.equal(config.get('apiUrl'), 'https://context7.com/api');
    assert.equal(config.get('addFlow'), 'form');
    assert.equal(config.get('confluence.siteUrl'), '');
    assert.equal(config.get('confluence.cloudId'), '');
    assert.equal(config.get('confluence.projectId'), '');
    assert.equal(config.get('statusBar.enabled'), true);
  });
});

describe('context7.apiUrl in workspace settings', function () {
  this.timeout(60_000);
  const config = () => vscode.workspace.getConfiguration('context7');
  let api: Api;
  let user: Context7Stub;
  let elsewhere: Context7Stub;
  let settingsFile: vscode.Uri;

  const SPACE = {
    siteUrl: 'https://acme.atlassian.net',
    cloudId: '5c3a1f2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b',
    spaceKey: 'SCOPE',
    spaceName: 'Scope',
    title: 'Scope',
    description: 'Workspace settings must not redirect the key.',
  };

  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration suite runs with a folder open (the runners open one)');
    settingsFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    api = await extension.activate();
    assert.ok(api.testing, 'the extension exposes its test hooks in test mode');
    user = await Context7Stub.start();
    elsewhere = await Context7Stub.start();
    await config().update('apiUrl', user.apiUrl, vscode.ConfigurationTarget.Global);
    await api.testing.setApiKey(KEY);
  });

  after(async () => {
    await vscode.workspace.fs.delete(settingsFile, { useTrash: false }).then(
      () => undefined,
      () => undefined,
    );
    await until(() => config().inspect('confluence.projectId')?.workspaceValue === undefined, 'the workspace settings to be gone').catch(() => undefined);
    await config().update('apiUrl', undefined, vscode.ConfigurationTarget.Global);
    await api?.testing?.deleteApiKey();
    await user?.close();
    await elsewhere?.close();
  });

  it('is ignored: the key goes only to the host of the user setting', async () => {
    // VS Code's API refuses to write an application-scoped setting into the workspace (1.100:
    // "can be written only into User settings"), but a repository can still carry one in its
    // .vscode/settings.json: so the file is also written directly, as a clone would bring it.
    // A window-scoped setting beside it shows when VS Code has read the file.
    await config()
      .update('apiUrl', elsewhere.apiUrl, vscode.ConfigurationTarget.Workspace)
      .then(
        () => undefined,
        () => undefined,
      );
    const workspaceSettings = { 'context7.apiUrl': elsewhere.apiUrl, 'context7.confluence.projectId': 'from-workspace' };
    await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(JSON.stringify(workspaceSettings, null, 2)));
    await until(() => config().inspect('confluence.projectId')?.workspaceValue === 'from-workspace', 'VS Code to read the workspace settings');
    assert.equal(config().inspect('apiUrl')?.globalValue, user.apiUrl);

    const result = await vscode.commands.executeCommand<{ ok: boolean }>('context7.addConfluenceSpace', { ...SPACE, submit: true });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(elsewhere.requests.length, 0, 'a request went to the host of the workspace setting');
    assert.equal(user.requests.length, 1, 'the request reached the host of the user setting');
    assert.equal(user.requests[0].headers.authorization, `Bearer ${KEY}`);
    // The window-scoped prefill from the same file is used: the file was in effect.
    assert.equal((user.requests[0].body as { projectId?: string }).projectId, 'from-workspace');
  });
});
