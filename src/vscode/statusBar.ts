import * as vscode from 'vscode';

export type StatusBarState = 'ready' | 'noKey' | 'busy';

/**
 * The "Context7" status-bar item: one click starts the add flow. It shows whether a key is set
 * and spins while a submission runs, and follows `context7.statusBar.enabled` live.
 *
 * It is created hidden and first shown by the first {@link setState}: at start-up that is once
 * the key check has answered, so the item never flashes a state it is not in.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: StatusBarState = 'ready';
  private enabled: boolean;
  /** Whether the state is known yet (the first `setState`); until then the item stays hidden. */
  private known = false;

  constructor(enabled: boolean) {
    this.item = vscode.window.createStatusBarItem('context7.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = vscode.l10n.t('Context7');
    this.item.command = 'context7.addConfluenceSpace';
    this.enabled = enabled;
    this.render();
  }

  get current(): { state: StatusBarState; visible: boolean; text: string; tooltip: string } {
    return {
      state: this.state,
      visible: this.enabled && this.known,
      text: this.item.text,
      tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? ''),
    };
  }

  setState(state: StatusBarState): void {
    this.state = state;
    this.known = true;
    this.render();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.render();
  }

  private render(): void {
    switch (this.state) {
      case 'busy':
        this.item.text = `$(sync~spin) ${vscode.l10n.t('Context7')}`;
        this.item.tooltip = vscode.l10n.t('Context7: submitting a Confluence space…');
        break;
      case 'noKey':
        this.item.text = `$(key) ${vscode.l10n.t('Context7')}`;
        this.item.tooltip = vscode.l10n.t('Context7: no API key is set. Click to add a Confluence space; you will be asked for the key first.');
        break;
      default:
        this.item.text = `$(cloud-upload) ${vscode.l10n.t('Context7')}`;
        this.item.tooltip = vscode.l10n.t('Context7: add a Confluence space');
    }
    if (this.enabled && this.known) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
