import * as vscode from 'vscode';
import { Context7Client, userAgent, type AddResult, type Failure, type FailureAction, type FailureKind, type Progress } from '../core/client';
import type { AddConfluenceRequest } from '../core/schema';
import { libraryUrl, plain } from '../shared/display';
import { promptForApiKey } from './apiKeyPrompt';
import type { Services } from './commands';
import { readSettings } from './settings';

/** What the caller (form, quick input, direct command) wants to happen on the notification's buttons. */
export interface SubmitHooks {
  /** "Retry": submit the same request again through the same flow. */
  retry?: () => void;
  /** "Open Form": bring back the flow the request came from, with what was entered (and the failure's field errors). */
  openForm?: (failure?: Failure) => void;
  /** Cancels like the notification's Cancel button (for callers in the same extension host). */
  signal?: AbortSignal;
}

/**
 * The one extension-host service that both flows end in: key, client, progress, notifications.
 *
 * - No key: the password box opens at once (no notification first), and the same submission goes
 *   on when a key is entered. Nothing is sent without one.
 * - A cancellable progress notification whose message follows the client's phases; Cancel aborts
 *   the request and any rate-limit wait through one AbortController.
 * - The status bar spins while it runs.
 * - `submit` resolves with the client's result as soon as the request is done; the result
 *   notification is shown without being awaited, so commands that return the result settle.
 * - One submission at a time: a second one while the first runs is refused (kind `busy`).
 */
export class SubmitService {
  private running = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly services: Services,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  get busy(): boolean {
    return this.running;
  }

  async submit(request: AddConfluenceRequest, hooks: SubmitHooks = {}): Promise<AddResult> {
    const { log, apiKey, statusBar } = this.services;
    if (this.running) {
      log.info('submit', 'a submission is already running; this one was not sent');
      return failure('cancelled', BUSY, vscode.l10n.t('A submission is already running. Wait for it to finish, or cancel it.'), []);
    }
    this.running = true;
    let result: AddResult;
    try {
      let key = await apiKey.get();
      if (!key) {
        key = await promptForApiKey(
          apiKey,
          log,
          vscode.l10n.t('Enter your Context7 API key to add the space. It is kept in VS Code\'s secret storage, never in settings.'),
        );
        if (!key) {
          log.info('submit', 'no API key was entered; nothing was sent');
          return failure('invalid_api_key', KEY_PROMPT_DISMISSED, vscode.l10n.t('Nothing was sent: a Context7 API key is needed.'), ['setApiKey']);
        }
      }
      if (hooks.signal?.aborted) {
        log.info('submit', 'cancelled before sending');
        return failure('cancelled', 'cancelled', vscode.l10n.t('Cancelled. Nothing was added.'), []);
      }
      log.addSecret(key);
      statusBar.setState('busy');
      result = await this.send(request, key, hooks.signal);
    } finally {
      this.running = false;
      statusBar.setState((await apiKey.has()) ? 'ready' : 'noKey');
    }
    this.logOutcome(request, result);
    this.notify(result, hooks);
    return result;
  }

  private async send(request: AddConfluenceRequest, apiKey: string, external?: AbortSignal): Promise<AddResult> {
    const { log } = this.services;
    const settings = readSettings();
    const client = new Context7Client({
      fetch: this.fetchImpl,
      userAgent: userAgent(String(this.context.extension.packageJSON.version ?? '0.0.0'), vscode.version),
      log: (level, line) => {
        if (level === 'error') log.error('client', line);
        else if (level === 'warn') log.warn('client', line);
        else if (level === 'debug') log.debug('client', line);
        else log.info('client', line);
      },
    });
    log.info('submit', `submitting space ${request.spaceKey} of ${request.siteUrl}${request.pageIds ? ` (${request.pageIds.length} page(s))` : ''}`);
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Context7: adding Confluence space {0}', request.spaceKey),
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        const abort = () => controller.abort();
        const cancellation = token.onCancellationRequested(() => {
          log.info('submit', 'cancelled by the user');
          abort();
        });
        external?.addEventListener('abort', abort, { once: true });
        if (external?.aborted) abort();
        progress.report({ message: vscode.l10n.t('Submitting…') });
        try {
          return await client.addConfluenceSpace(request, {
            apiKey,
            apiUrl: settings.apiUrl,
            signal: controller.signal,
            onProgress: (p) => progress.report({ message: progressMessage(p) }),
            timeoutMs: settings.timeoutSeconds * 1000,
            maxAttempts: settings.maxAttempts,
            maxWaitMs: settings.maxWaitSeconds * 1000,
          });
        } catch (error) {
          // The client reports failures as results; reaching here is a bug, not a server answer.
          log.error('submit', `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          return failure('unexpected_status', 'internal_error', vscode.l10n.t('Something went wrong while submitting. The log has the details.'), ['showLog']);
        } finally {
          cancellation.dispose();
          external?.removeEventListener('abort', abort);
        }
      },
    );
  }

  private logOutcome(request: AddConfluenceRequest, result: AddResult): void {
    const { log } = this.services;
    if (result.ok && !result.alreadyProcessing) log.info('submit', `space ${request.spaceKey} submitted as ${result.libraryName} after ${result.attempts} attempt(s)`);
    else if (result.ok) log.info('submit', `space ${request.spaceKey} is already being processed`);
    else log.warn('submit', `space ${request.spaceKey} not added: ${result.failure.kind}${result.failure.status ? ` (HTTP ${result.failure.status})` : ''}: ${result.failure.message}`);
  }

  /** Shows the one notification for a finished submission. Never awaited by `submit`. */
  notify(result: AddResult, hooks: SubmitHooks = {}): void {
    if (result.ok && !result.alreadyProcessing) {
      const { libraryName } = result;
      const open = vscode.l10n.t('Open in Context7');
      const copy = vscode.l10n.t('Copy Library ID');
      void vscode.window
        .showInformationMessage(vscode.l10n.t('Submitted to Context7 as {0}. Indexing has started.', plain(libraryName)), open, copy)
        .then(async (choice) => {
          if (choice === open) await vscode.env.openExternal(vscode.Uri.parse(libraryUrl(libraryName)));
          else if (choice === copy) await vscode.env.clipboard.writeText(libraryName);
        });
      return;
    }
    if (result.ok) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Submitted: Context7 is already processing this space.'));
      return;
    }
    this.notifyFailure(result.failure, hooks);
  }

  /** An error notification (a warning for a duplicate or a cancellation) with the failure's actions as buttons. */
  notifyFailure(failure: Failure, hooks: SubmitHooks = {}): void {
    // Nothing to tell: the user dismissed the key prompt, or another submission is running.
    if (failure.code === KEY_PROMPT_DISMISSED || failure.code === BUSY) return;
    const buttons = new Map<string, FailureAction>();
    for (const action of failure.actions) {
      const label = this.actionLabel(action, failure, hooks);
      if (label) buttons.set(label, action);
    }
    const warning = failure.kind === 'duplicate' || failure.kind === 'cancelled' || failure.status === 409;
    const message = plain(failure.message);
    const labels = [...buttons.keys()];
    const shown = warning ? vscode.window.showWarningMessage(message, ...labels) : vscode.window.showErrorMessage(message, ...labels);
    void shown.then((choice) => {
      const action = choice === undefined ? undefined : buttons.get(choice);
      if (action) void this.runAction(action, failure, hooks);
    });
  }

  private actionLabel(action: FailureAction, failure: Failure, hooks: SubmitHooks): string | undefined {
    switch (action) {
      case 'setApiKey':
        return vscode.l10n.t('Set API Key');
      case 'retry':
        return hooks.retry ? vscode.l10n.t('Retry') : undefined;
      case 'showLog':
        return vscode.l10n.t('Show Log');
      case 'openForm':
        return hooks.openForm ? vscode.l10n.t('Open Form') : undefined;
      case 'openDashboard':
        return failure.url ? vscode.l10n.t('Open Dashboard') : undefined;
      case 'openPlans':
        return failure.url ? vscode.l10n.t('View Plans') : undefined;
      default:
        return undefined;
    }
  }

  private async runAction(action: FailureAction, failure: Failure, hooks: SubmitHooks): Promise<void> {
    const { log, apiKey } = this.services;
    switch (action) {
      case 'setApiKey': {
        // A new key, then the same submission again: the user's intent was to add the space.
        const key = await promptForApiKey(apiKey, log);
        if (key) hooks.retry?.();
        return;
      }
      case 'retry':
        hooks.retry?.();
        return;
      case 'showLog':
        log.show();
        return;
      case 'openForm':
        hooks.openForm?.(failure);
        return;
      case 'openDashboard':
      case 'openPlans':
        if (failure.url) await vscode.env.openExternal(vscode.Uri.parse(failure.url));
        return;
    }
  }
}

/** The progress notification's message for one phase of the client. */
export function progressMessage(p: Progress): string {
  if (p.kind === 'sending') {
    return p.attempt <= 1
      ? vscode.l10n.t('Submitting…')
      : vscode.l10n.t('Submitting (attempt {0} of {1})…', p.attempt, p.maxAttempts);
  }
  const seconds = Math.max(0, Math.ceil(p.secondsLeft));
  switch (p.reason) {
    case 'rate_limited':
      return vscode.l10n.t('Rate limited: retrying in {0} s…', seconds);
    case 'server_error':
      return vscode.l10n.t('Server error: retrying in {0} s…', seconds);
    case 'gateway_timeout':
      return vscode.l10n.t('Gateway timeout: retrying in {0} s…', seconds);
    case 'network':
      return vscode.l10n.t('Network error: retrying in {0} s…', seconds);
  }
}

/** Codes of the failures this service makes itself (the client makes all the others). */
export const BUSY = 'busy';
export const KEY_PROMPT_DISMISSED = 'key_prompt_dismissed';

export function failure(kind: FailureKind, code: string, message: string, actions: FailureAction[]): AddResult {
  return { ok: false, failure: { kind, code, message, actions, attempts: 0 } };
}
