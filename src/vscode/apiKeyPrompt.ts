import * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKey';
import type { Log } from './log';

export const API_KEY_PREFIX = 'ctx7sk';

/**
 * Asks for the Context7 API key in a password input box and stores it. Returns the key, or
 * undefined when the user dismissed the box. A key without the `ctx7sk` prefix is allowed
 * (Context7 may change its format) but the box warns about it before it is accepted.
 */
export async function promptForApiKey(apiKey: ApiKeyStore, log: Log, reason?: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Context7 API Key'),
    prompt: reason ?? vscode.l10n.t('Paste your Context7 API key. It is kept in VS Code\'s secret storage, never in settings.'),
    placeHolder: 'ctx7sk-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const trimmed = text.trim();
      if (!trimmed) return { message: vscode.l10n.t('Enter an API key, or press Escape to cancel.'), severity: vscode.InputBoxValidationSeverity.Error };
      if (/\s/.test(trimmed)) return { message: vscode.l10n.t('An API key has no spaces in it. Check what you pasted.'), severity: vscode.InputBoxValidationSeverity.Error };
      if (!trimmed.startsWith(API_KEY_PREFIX)) {
        return { message: vscode.l10n.t('Context7 API keys usually start with "{0}". Press Enter to save it anyway.', API_KEY_PREFIX), severity: vscode.InputBoxValidationSeverity.Warning };
      }
      return undefined;
    },
  });
  const key = value?.trim();
  if (!key) {
    log.info('apiKey', 'API key entry dismissed');
    return undefined;
  }
  log.addSecret(key);
  await apiKey.set(key);
  log.info('apiKey', 'API key saved to secret storage');
  return key;
}
