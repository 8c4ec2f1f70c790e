import * as vscode from 'vscode';

/** The name of the Context7 API key in SecretStorage. */
export const API_KEY_SECRET = 'context7.apiKey';

/**
 * The Context7 API key, kept only in SecretStorage. Secrets are shared across windows, so the
 * store follows `onDidChange` and tells its listeners when a key appears or goes away elsewhere.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<boolean>();
  /** Fires with whether a key is now set, after a change in this window or another one. */
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  private cached: string | undefined;
  private loaded = false;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange(async (e) => {
      if (e.key !== API_KEY_SECRET) return;
      this.loaded = false;
      const value = await this.get();
      this.emitter.fire(Boolean(value));
    });
  }

  async get(): Promise<string | undefined> {
    if (!this.loaded) {
      this.cached = (await this.secrets.get(API_KEY_SECRET)) || undefined;
      this.loaded = true;
    }
    return this.cached;
  }

  async has(): Promise<boolean> {
    return Boolean(await this.get());
  }

  async set(value: string): Promise<void> {
    this.cached = value;
    this.loaded = true;
    await this.secrets.store(API_KEY_SECRET, value);
    this.emitter.fire(true);
  }

  async delete(): Promise<void> {
    this.cached = undefined;
    this.loaded = true;
    await this.secrets.delete(API_KEY_SECRET);
    this.emitter.fire(false);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
