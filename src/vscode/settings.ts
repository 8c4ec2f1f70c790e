import * as vscode from 'vscode';

export const SECTION = 'context7';

export type AddFlow = 'form' | 'quickInput';

/** A typed, always-fresh view of the extension's settings: read at the moment of use, never cached. */
export interface Settings {
  apiUrl: string;
  addFlow: AddFlow;
  siteUrl: string;
  cloudId: string;
  projectId: string;
  statusBarEnabled: boolean;
  timeoutSeconds: number;
  maxAttempts: number;
  maxWaitSeconds: number;
}

export const DEFAULT_API_URL = 'https://context7.com/api';

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  // `apiUrl` is application-scoped in the manifest; reading the global value explicitly means a
  // workspace file that sets it anyway (VS Code warns but still returns it) can never redirect the key.
  const apiUrlInspect = c.inspect<string>('apiUrl');
  const apiUrl = apiUrlInspect?.globalValue ?? apiUrlInspect?.defaultValue ?? DEFAULT_API_URL;
  return {
    apiUrl,
    addFlow: c.get<string>('addFlow') === 'quickInput' ? 'quickInput' : 'form',
    siteUrl: c.get<string>('confluence.siteUrl', '').trim(),
    cloudId: c.get<string>('confluence.cloudId', '').trim(),
    projectId: c.get<string>('confluence.projectId', '').trim(),
    statusBarEnabled: c.get<boolean>('statusBar.enabled', true),
    timeoutSeconds: positive(c.get<number>('request.timeoutSeconds'), 60),
    maxAttempts: Math.max(1, Math.floor(positive(c.get<number>('retry.maxAttempts'), 4))),
    maxWaitSeconds: Math.max(0, c.get<number>('retry.maxWaitSeconds') ?? 120),
  };
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

export function onSettingsChanged(listener: (e: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener(e);
  });
}
