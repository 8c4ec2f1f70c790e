import * as vscode from 'vscode';

/** The secret's key: one JSON value, separate from the Context7 key (`context7.apiKey`). */
export const ATLASSIAN_SECRET_KEY = 'context7.atlassian';
/** Context key for `when` clauses: an Atlassian account is connected. */
export const CONNECTED_CONTEXT_KEY = 'context7.atlassianConnected';

/** Atlassian credentials for browsing Confluence: the site they were checked on, the email and an API token. */
export interface AtlassianAccount {
  siteUrl: string;
  email: string;
  apiToken: string;
}

/** What may be shown about the connection: never the token. */
export interface AtlassianConnection {
  connected: boolean;
  siteUrl?: string;
  email?: string;
}

function readAccount(raw: string | undefined): AtlassianAccount | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Record<keyof AtlassianAccount, unknown>>;
    const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    const account = { siteUrl: text(value.siteUrl), email: text(value.email), apiToken: text(value.apiToken) };
    return account.siteUrl && account.email && account.apiToken ? account : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The connected Atlassian account, kept only in SecretStorage as one JSON secret. Like the
 * Context7 key store, it follows `SecretStorage.onDidChange`, so connecting or disconnecting in
 * another window takes effect here. Small on purpose: it is part of the start-up bundle.
 */
export class AtlassianStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<AtlassianConnection>();
  /** Fires after a change in this window or another one. */
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  private cached: AtlassianAccount | undefined;
  private loaded = false;

  /** `onToken` sees every token loaded or stored, so the log can redact it. */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly onToken: (token: string) => void = () => undefined,
  ) {
    this.subscription = secrets.onDidChange(async (e) => {
      if (e.key !== ATLASSIAN_SECRET_KEY) return;
      this.loaded = false;
      await this.get();
      this.changed();
    });
  }

  async get(): Promise<AtlassianAccount | undefined> {
    if (!this.loaded) {
      this.cached = readAccount(await this.secrets.get(ATLASSIAN_SECRET_KEY));
      this.loaded = true;
      if (this.cached) this.onToken(this.cached.apiToken);
    }
    return this.cached;
  }

  async connection(): Promise<AtlassianConnection> {
    const account = await this.get();
    return account ? { connected: true, siteUrl: account.siteUrl, email: account.email } : { connected: false };
  }

  async set(account: AtlassianAccount): Promise<void> {
    this.onToken(account.apiToken);
    this.cached = { ...account };
    this.loaded = true;
    await this.secrets.store(ATLASSIAN_SECRET_KEY, JSON.stringify(account));
    this.changed();
  }

  async delete(): Promise<void> {
    this.cached = undefined;
    this.loaded = true;
    await this.secrets.delete(ATLASSIAN_SECRET_KEY);
    this.changed();
  }

  /** Sets the context key and tells the listeners. */
  refreshContext(): void {
    void vscode.commands.executeCommand('setContext', CONNECTED_CONTEXT_KEY, Boolean(this.cached));
  }

  private changed(): void {
    this.refreshContext();
    const account = this.cached;
    this.emitter.fire(account ? { connected: true, siteUrl: account.siteUrl, email: account.email } : { connected: false });
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
