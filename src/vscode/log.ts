import * as vscode from 'vscode';
import { redact } from '../core/redact';

/**
 * The "Context7" log channel. Every line passes through `redact`, so a key that slipped into a
 * message (a server echoing it, an error's text) never reaches the Output view.
 */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor(name = 'Context7') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Values that must never be printed, such as the current API key. */
  addSecret(value: string | undefined): void {
    if (value) this.secrets.add(value);
  }

  private clean(component: string, message: string): string {
    return `[${component}] ${redact(message, [...this.secrets])}`;
  }

  info(component: string, message: string): void {
    this.channel.info(this.clean(component, message));
  }
  warn(component: string, message: string): void {
    this.channel.warn(this.clean(component, message));
  }
  error(component: string, message: string): void {
    this.channel.error(this.clean(component, message));
  }
  debug(component: string, message: string): void {
    this.channel.debug(this.clean(component, message));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
