import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { parseWebviewMessage, type HostMessage, type PerField, type Strings, type WebviewMessage } from '../shared/protocol';
import type { Log } from './log';

export const FORM_VIEW_TYPE = 'context7.addSpaceForm';

/** What the panel reports to its owner. Every message has been parsed with the shared protocol. */
export interface FormPanelHandlers {
  onMessage(message: WebviewMessage): void;
  onDidDispose(): void;
}

/**
 * The "Add Confluence Space" webview panel: one instance in the editor area.
 *
 * - Strict CSP: `default-src 'none'`, styles and images only from the extension's own files, the
 *   one script only with a nonce made fresh for each render. No inline script or style.
 * - `localResourceRoots` is `dist/` (the webview bundle) and `media/` (the stylesheet).
 * - No `retainContextWhenHidden`: the page keeps its state with `setState`, and after every
 *   (re)load it says `ready` before the host sends anything, so nothing is posted into the void.
 * - Every inbound message goes through `parseWebviewMessage`; anything else is logged and dropped.
 */
export class FormPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly handlers: FormPanelHandlers,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get isVisible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Opens the panel, or reveals it when it is already open. */
  createOrShow(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(
      FORM_VIEW_TYPE,
      vscode.l10n.t('Add Confluence Space'),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { enableScripts: true, localResourceRoots: [dist, media], enableFindWidget: false },
    );
    panel.iconPath = vscode.Uri.joinPath(media, 'icon.png');
    this.panel = panel;
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.disposeSubscriptions();
        this.handlers.onDidDispose();
      }),
    );
    panel.webview.html = this.html(panel.webview);
    this.log.info('form', 'form opened');
  }

  /** Posts to the page when it is alive; a hidden page is gone and gets everything again in `init`. */
  post(message: HostMessage): void {
    if (!this.panel) return;
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
      this.log.warn('form', `could not post "${message.type}" to the form: ${String(error)}`);
    });
  }

  close(): void {
    this.panel?.dispose();
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn('form', `rejected a message from the form webview (${parsed.error})`);
      return;
    }
    this.handlers.onMessage(parsed.message);
  }

  private html(webview: vscode.Webview): string {
    const nonce = makeNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'form.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    // A static template: the only values in it are URIs made by VS Code, a nonce and two
    // localized strings, all escaped. The form itself is built by the script with createElement.
    return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(style.toString())}">
<title>${escapeHtml(vscode.l10n.t('Add Confluence Space'))}</title>
</head>
<body>
<main id="root" aria-label="${escapeHtml(vscode.l10n.t('Add Confluence Space'))}"></main>
<script nonce="${nonce}" src="${escapeHtml(script.toString())}"></script>
</body>
</html>`;
  }

  private disposeSubscriptions(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposeSubscriptions();
  }
}

function makeNonce(): string {
  return randomBytes(18).toString('hex');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The form's texts, localized here so the webview bundle carries none of its own. */
export function formTexts(): { strings: Strings; labels: PerField; hints: PerField } {
  const labels: PerField = {
    siteUrl: vscode.l10n.t('Site URL'),
    cloudId: vscode.l10n.t('Cloud ID'),
    spaceKey: vscode.l10n.t('Space key'),
    spaceName: vscode.l10n.t('Space name'),
    pageIds: vscode.l10n.t('Page IDs'),
    title: vscode.l10n.t('Title'),
    description: vscode.l10n.t('Description'),
    projectId: vscode.l10n.t('Project ID'),
  };
  return {
    strings: {
      heading: vscode.l10n.t('Add Confluence Space'),
      intro: vscode.l10n.t('Send a Confluence Cloud space to Context7, so that your AI tools can read it as documentation.'),
      requiredNote: vscode.l10n.t('Required field'),
      addSpace: vscode.l10n.t('Add Space'),
      clear: vscode.l10n.t('Clear'),
      submitting: vscode.l10n.t('Submitting…'),
      fixErrors: vscode.l10n.t('Check the highlighted fields.'),
    },
    labels,
    hints: fieldHints(),
  };
}

/** One-line help per field, shared by the form and the quick-input flow. */
export function fieldHints(): PerField {
  return {
    siteUrl: vscode.l10n.t('Your Confluence Cloud address, for example https://your-site.atlassian.net'),
    cloudId: vscode.l10n.t('The site\'s cloud ID: open https://your-site.atlassian.net/_edge/tenant_info to see it.'),
    spaceKey: vscode.l10n.t('The key in the space\'s address, for example DOCS in /wiki/spaces/DOCS.'),
    spaceName: vscode.l10n.t('The space\'s name as Confluence shows it.'),
    pageIds: vscode.l10n.t('Optional. Page IDs or page URLs, separated by commas, spaces or new lines. Leave empty to add the whole space.'),
    title: vscode.l10n.t('The library\'s title on Context7.'),
    description: vscode.l10n.t('A sentence or two on what the space documents.'),
    projectId: vscode.l10n.t('Optional. The Context7 team project to add the space to.'),
  };
}
