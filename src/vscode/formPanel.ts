import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { parseWebviewMessage, type ConfluenceStrings, type HostMessage, type PerField, type Strings, type WebviewMessage } from '../shared/protocol';
import { FIELD_NAMES, fieldLabel } from '../core/fields';
import type { Log } from './log';

export const FORM_VIEW_TYPE = 'context7.addSpaceForm';

/** The page's script (the webview bundle) and stylesheet, as paths in the extension. */
const WEBVIEW_SCRIPT = ['dist', 'webview', 'webview.js'] as const;
const WEBVIEW_STYLE = ['media', 'form.css'] as const;

/** The folder of a file in the extension: a webview root can only be a folder. */
function folderOf(extensionUri: vscode.Uri, file: readonly string[]): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, ...file.slice(0, -1));
}

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
 * - `localResourceRoots` is only the folders of the page's two files, {@link WEBVIEW_SCRIPT} and
 *   {@link WEBVIEW_STYLE}: `dist/webview/` holds the page's bundle alone (the extension's own
 *   bundles and the .vsix stay out of the page's reach), `media/` the static CSS and icons.
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
    // Only what the page loads; the tab's icon is drawn by the workbench, not the page.
    const localResourceRoots = [folderOf(this.extensionUri, WEBVIEW_SCRIPT), folderOf(this.extensionUri, WEBVIEW_STYLE)];
    const panel = vscode.window.createWebviewPanel(
      FORM_VIEW_TYPE,
      vscode.l10n.t('Add Confluence Space'),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { enableScripts: true, localResourceRoots, enableFindWidget: false },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
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
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...WEBVIEW_SCRIPT));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...WEBVIEW_STYLE));
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
    labels: fieldLabels(),
    hints: fieldHints(),
  };
}

/** The texts of the form's Confluence helpers: smart paste, cloud ID lookup, browsing. */
export function confluenceTexts(): ConfluenceStrings {
  return {
    linkLabel: vscode.l10n.t('Confluence link'),
    linkHint: vscode.l10n.t(
      'Optional. Paste a link to a Confluence page or space (several page links for several pages): it fills in the site, the space and the pages.',
    ),
    linkFilled: vscode.l10n.t('Filled in from the link: {0}.', '{0}'),
    linkKept: vscode.l10n.t('Kept what you typed in {0}.', '{0}'),
    filledFromLink: vscode.l10n.t('Filled in from the link.'),
    lookedUp: vscode.l10n.t('Looked up from {0}.', '{0}'),
    filledFromSpace: vscode.l10n.t('Filled in from the chosen space.'),
    suggested: vscode.l10n.t('Suggested from the space name: change it if you like.'),
    lookingUp: vscode.l10n.t('Looking up the cloud ID of {0}…', '{0}'),
    browseSpaces: vscode.l10n.t('Browse spaces…'),
    browsePages: vscode.l10n.t('Browse pages…'),
    connectedAs: vscode.l10n.t('Browsing as {0}.', '{0}'),
    notConnected: vscode.l10n.t('Browsing asks for an Atlassian account (email and API token) the first time.'),
    connect: vscode.l10n.t('Connect Atlassian Account'),
    includeSubPages: vscode.l10n.t('Include sub-pages'),
    includeSubPagesHint: vscode.l10n.t('Before sending, each selected page is expanded through all its sub-pages (needs a connected Atlassian account).'),
    pinnedNote: vscode.l10n.t(
      'A page selection stays pinned to those pages: pages added to the space later are not picked up. Leave Page IDs empty to add the whole space, which picks up new pages on refresh.',
    ),
    pagesOf: vscode.l10n.t('Pages of {0}', '{0}'),
    loading: vscode.l10n.t('Loading…'),
    loadingPages: vscode.l10n.t('Loading pages…'),
    noPages: vscode.l10n.t('No pages.'),
    includedWithParent: vscode.l10n.t('Included with its parent page'),
    treeKeys: vscode.l10n.t('Arrow keys move and open pages, Space ticks a page.'),
    needsSpaceKey: vscode.l10n.t('Enter a space key, or choose "Browse spaces…", to browse its pages.'),
    findingSubPages: vscode.l10n.t('Finding sub-pages… {0} pages so far.', '{0}'),
    descriptionTemplate: vscode.l10n.t('{0} documentation from Confluence', '{0}'),
  };
}

/** The field labels, shared by the form and the quick-input flow. */
export function fieldLabels(): PerField {
  // The core's labels: the same texts its validation messages start with, in the same language.
  return Object.fromEntries(FIELD_NAMES.map((name) => [name, fieldLabel(name)])) as PerField;
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
