import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'context7-confluence.context7-confluence';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, { default: unknown; scope?: string }> };
  };
}

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

  it('contributes the palette titles under the Context7 category', () => {
    const manifest = extension.packageJSON as Manifest;
    const byId = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, c]));
    for (const id of ['context7.addConfluenceSpace', 'context7.setApiKey', 'context7.removeApiKey', 'context7.showLog', 'context7.connectAtlassian', 'context7.disconnectAtlassian']) {
      assert.equal(byId[id]?.category, 'Context7', `${id} has no Context7 category`);
    }
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
