import * as vscode from 'vscode';
import { API_KEY_SECRET, ApiKeyStore } from './vscode/apiKey';
import { AtlassianStore } from './vscode/atlassianAccount';
import { registerCommands } from './vscode/commands';
import { Log } from './vscode/log';
import { onSettingsChanged, readSettings } from './vscode/settings';
import { StatusBar } from './vscode/statusBar';

/** What `activate` returns: a small surface that the integration tests read. */
export interface ExtensionApi {
  statusBar(): StatusBar['current'];
  /**
   * Only when VS Code runs the extension's tests (ExtensionMode.Test): lets the integration suite
   * store and clear the key, which it cannot type into the password box. It can never read the key.
   */
  testing?: {
    setApiKey(key: string): Promise<void>;
    deleteApiKey(): Promise<void>;
    /**
     * Writes (or, with no value, deletes) the key in SecretStorage itself, past the store, as
     * another window does: the store can learn of it only through `SecretStorage.onDidChange`.
     */
    changeSecretElsewhere(key?: string): Promise<void>;
    /** The stored Atlassian account without its token: only whether there is one. */
    atlassianAccount(): Promise<{ siteUrl: string; email: string; hasToken: boolean } | undefined>;
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const started = Date.now();
  const log = new Log();
  context.subscriptions.push(log);

  const apiKey = new ApiKeyStore(context.secrets);
  const atlassian = new AtlassianStore(context.secrets, (token) => log.addSecret(token));
  const statusBar = new StatusBar(readSettings().statusBarEnabled);
  context.subscriptions.push(apiKey, atlassian, statusBar);

  const refreshKeyState = async (hasKey: boolean) => {
    if (statusBar.current.state !== 'busy') statusBar.setState(hasKey ? 'ready' : 'noKey');
  };
  context.subscriptions.push(
    apiKey.onDidChange((hasKey) => void refreshKeyState(hasKey)),
    onSettingsChanged((e) => {
      if (e.affectsConfiguration('context7.statusBar.enabled')) statusBar.setEnabled(readSettings().statusBarEnabled);
    }),
  );

  registerCommands(context, { log, apiKey, statusBar, atlassian });
  // The status-bar item is hidden until this answers, then shows the right state from its first paint.
  void apiKey.has().then(refreshKeyState, (error: unknown) => {
    log.warn('activation', `could not read the API key's state: ${String(error)}`);
    return refreshKeyState(false);
  });
  void atlassian.get().then(() => atlassian.refreshContext());

  log.info('activation', `Context7 for Confluence ${context.extension.packageJSON.version} activated in ${Date.now() - started} ms (VS Code ${vscode.version})`);
  const testing =
    context.extensionMode === vscode.ExtensionMode.Test
      ? {
          setApiKey: (key: string) => apiKey.set(key),
          deleteApiKey: () => apiKey.delete(),
          changeSecretElsewhere: async (key?: string) => {
            if (key === undefined) await context.secrets.delete(API_KEY_SECRET);
            else await context.secrets.store(API_KEY_SECRET, key);
          },
          atlassianAccount: async () => {
            const account = await atlassian.get();
            return account ? { siteUrl: account.siteUrl, email: account.email, hasToken: account.apiToken !== '' } : undefined;
          },
        }
      : undefined;
  return { statusBar: () => statusBar.current, ...(testing ? { testing } : {}) };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
