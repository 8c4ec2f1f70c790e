import * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKey';
import { promptForApiKey } from './apiKeyPrompt';
import type { AddSpaceController } from './addSpace';
import type { AtlassianStore } from './atlassianAccount';
import type { Log } from './log';
import type { StatusBar } from './statusBar';

export interface Services {
  log: Log;
  apiKey: ApiKeyStore;
  statusBar: StatusBar;
  atlassian: AtlassianStore;
}

/**
 * Every command the manifest contributes. The integration suite (test/integration/extension.test.ts)
 * checks that this list, the manifest's `contributes.commands` and the registered commands match.
 */
export const COMMAND_IDS = [
  'context7.addConfluenceSpace',
  'context7.setApiKey',
  'context7.removeApiKey',
  'context7.showLog',
  'context7.connectAtlassian',
  'context7.disconnectAtlassian',
] as const;

/**
 * The add flow (the Context7 client, the Confluence client, the schemas, the form, the quick
 * input and the Atlassian connect steps) is a bundle of its own, dist/addSpace.js, loaded the
 * first time one of them is used, so start-up loads none of it.
 */
function loadAddSpace(): typeof import('./addSpace') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./addSpace');
}

export function registerCommands(context: vscode.ExtensionContext, services: Services): void {
  const { log, apiKey, atlassian } = services;
  let addSpace: AddSpaceController | undefined;
  const controller = () => (addSpace ??= new (loadAddSpace().AddSpaceController)(context, services));

  context.subscriptions.push(
    vscode.commands.registerCommand('context7.addConfluenceSpace', (args?: unknown) => controller().start(args)),
    vscode.commands.registerCommand('context7.setApiKey', async () => {
      const key = await promptForApiKey(apiKey, log);
      if (key) void vscode.window.showInformationMessage(vscode.l10n.t('Context7 API key saved.'));
      return Boolean(key);
    }),
    vscode.commands.registerCommand('context7.removeApiKey', async (options?: { confirm?: boolean }) => {
      if (!(await apiKey.has())) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No Context7 API key is stored.'));
        return false;
      }
      if (options?.confirm !== false) {
        const remove = vscode.l10n.t('Remove');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('Remove the Context7 API key from this machine?'),
          { modal: true, detail: vscode.l10n.t('You will be asked for it again the next time you add a space.') },
          remove,
        );
        if (answer !== remove) return false;
      }
      await apiKey.delete();
      log.info('apiKey', 'API key removed from secret storage');
      void vscode.window.showInformationMessage(vscode.l10n.t('Context7 API key removed.'));
      return true;
    }),
    vscode.commands.registerCommand('context7.showLog', () => log.show()),
    // The argument may prefill the steps ({siteUrl, email}); with an apiToken too, it connects without asking.
    vscode.commands.registerCommand('context7.connectAtlassian', (args?: unknown) => controller().connect(args)),
    vscode.commands.registerCommand('context7.disconnectAtlassian', async (options?: { confirm?: boolean }) => {
      const account = await atlassian.get();
      if (!account) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No Atlassian account is connected.'));
        return false;
      }
      if (options?.confirm !== false) {
        const disconnect = vscode.l10n.t('Disconnect');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('Disconnect the Atlassian account {0}?', account.email),
          {
            modal: true,
            detail: vscode.l10n.t(
              'Its email and API token are removed from this machine. Browsing spaces and pages will ask for them again; everything else keeps working. The token itself stays valid until you revoke it at id.atlassian.com.',
            ),
          },
          disconnect,
        );
        if (answer !== disconnect) return false;
      }
      await atlassian.delete();
      log.info('atlassian', `Atlassian account ${account.email} disconnected (removed from secret storage)`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Atlassian account disconnected.'));
      return true;
    }),
    { dispose: () => addSpace?.dispose() },
  );
}
