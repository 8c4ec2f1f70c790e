import * as vscode from 'vscode';
import type { AddResult } from '../core/client';
import { FIELD_NAMES, describeFieldErrors, validateDraft, type AddConfluenceRequest, type FieldErrors } from '../core/schema';
import { DraftSchema, compactDraft, mergeDrafts, type Draft, type ResultView, type WebviewMessage } from '../shared/protocol';
import { parseStartArgs } from '../shared/startArgs';
import type { Services } from './commands';
import { FormPanel, formTexts } from './formPanel';
import { runQuickInput, type QuickInputStart } from './quickInput';
import { onSettingsChanged, readSettings } from './settings';
import { SubmitService, failure, type SubmitHooks } from './submit';

const DRAFT_KEY = 'context7.addSpace.draft';

/**
 * The draft kept between sessions of the form and the quick input. In `globalState`: a draft is
 * about a Confluence space, not about the folder that happens to be open, and it should survive
 * switching folders. Only non-blank fields are stored; never the key.
 */
class DraftStore {
  constructor(private readonly memento: vscode.Memento) {}

  get(): Draft {
    const parsed = DraftSchema.safeParse(this.memento.get(DRAFT_KEY));
    return parsed.success ? parsed.data : {};
  }

  set(draft: Draft): void {
    const compact = compactDraft(draft);
    void this.memento.update(DRAFT_KEY, Object.keys(compact).length ? compact : undefined);
  }

  clear(): void {
    void this.memento.update(DRAFT_KEY, undefined);
  }
}

/** The settings' prefill (`context7.confluence.*`), read fresh each time. */
function settingsDraft(): Draft {
  const { siteUrl, cloudId, projectId } = readSettings();
  return compactDraft({ siteUrl, cloudId, projectId });
}

/**
 * Runs "Context7: Add Confluence Space": opens the flow chosen by `context7.addFlow` (or the
 * argument's `flow`), prefilled from settings, then the kept draft, then the argument (later
 * wins; a blank value never erases an earlier one). Both flows end in {@link SubmitService}.
 *
 * What `start` resolves to: the form flow resolves once the panel is shown (`undefined`); the
 * quick-input flow resolves with the client's result, or `undefined` when closed; a
 * `submit: true` call resolves with the client's result.
 *
 * After a success from the form, the draft is cleared and the panel stays open showing the
 * result (library name) with the fields reset to the settings' prefill, ready for the next
 * space; the notification carries the actions. After a failure, the form keeps every field.
 */
export class AddSpaceController implements vscode.Disposable {
  private readonly drafts: DraftStore;
  private readonly submitter: SubmitService;
  private readonly panel: FormPanel;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** What the form is believed to hold (updated by its debounced `draftChanged`). */
  private formDraft: Draft = {};
  /** Bumped whenever the host replaces the form's fields; see the protocol's `init`. */
  private revision = 0;
  private formBusy = false;
  private lastResult: ResultView | null = null;

  constructor(
    context: vscode.ExtensionContext,
    private readonly services: Services,
  ) {
    this.drafts = new DraftStore(context.globalState);
    this.submitter = new SubmitService(context, services);
    this.panel = new FormPanel(context.extensionUri, services.log, {
      onMessage: (message) => this.onFormMessage(message),
      onDidDispose: () => {
        this.services.log.info('form', 'form closed');
        if (!this.formBusy) this.lastResult = null;
      },
    });
    this.subscriptions.push(
      this.panel,
      onSettingsChanged((e) => {
        if (e.affectsConfiguration('context7.confluence') && this.panel.isOpen) {
          this.panel.post({ type: 'defaults', defaults: settingsDraft() });
        }
      }),
    );
  }

  async start(raw?: unknown): Promise<unknown> {
    const { log } = this.services;
    const args = parseStartArgs(raw, (message) => log.warn('addSpace', message));
    if (args.submit) return this.submitDirect(args.draft, args.signal);
    const flow = args.flow ?? readSettings().addFlow;
    log.info('addSpace', `opening the ${flow === 'form' ? 'form' : 'quick input'}${Object.keys(args.draft).length ? ` prefilled with ${Object.keys(args.draft).join(', ')}` : ''}`);
    if (flow === 'quickInput') return this.runQuickInputFlow(mergeDrafts(settingsDraft(), this.drafts.get(), args.draft));
    this.openForm(args.draft);
    return undefined;
  }

  // --- form -------------------------------------------------------------------------------

  /** Opens or reveals the form. `override` (the command's argument) replaces those fields. */
  openForm(override: Draft = {}): void {
    const hasOverride = Object.keys(compactDraft(override)).length > 0;
    if (!this.panel.isOpen) {
      this.formDraft = mergeDrafts(settingsDraft(), this.drafts.get(), override);
      this.revision++;
      if (hasOverride) this.drafts.set(this.formDraft);
      this.panel.createOrShow(); // the page says `ready`, and gets `init` in return
      return;
    }
    if (hasOverride) {
      this.formDraft = mergeDrafts(this.formDraft, override);
      this.revision++;
      this.drafts.set(this.formDraft);
      this.panel.post({ type: 'setDraft', draft: this.formDraft, revision: this.revision });
    }
    this.panel.createOrShow();
  }

  private onFormMessage(message: WebviewMessage): void {
    const { log } = this.services;
    switch (message.type) {
      case 'ready':
        this.panel.post({
          type: 'init',
          ...formTexts(),
          draft: this.formDraft,
          defaults: settingsDraft(),
          revision: this.revision,
          busy: this.formBusy,
          result: this.lastResult,
        });
        return;
      case 'draftChanged':
        this.formDraft = message.draft;
        this.drafts.set(message.draft);
        return;
      case 'invalid':
        log.warn('form', `submission stopped by inline validation, nothing sent: ${message.fields.join(', ')}`);
        return;
      case 'problem':
        log.warn('form', `the form webview reported: ${message.message}`);
        return;
      case 'submit':
        void this.submitFromForm(message.draft);
        return;
    }
  }

  private async submitFromForm(draft: Draft): Promise<void> {
    this.formDraft = draft;
    this.drafts.set(draft);
    // The webview validated already; the host checks again: the page is not trusted.
    const checked = validateDraft(draft);
    if (!checked.ok) {
      this.rejectInvalid('form', checked.errors);
      this.showResult({
        outcome: 'failure',
        kind: 'validation',
        message: vscode.l10n.t('Check the highlighted fields.'),
        fieldErrors: checked.errors,
      });
      this.panel.post({ type: 'busy', busy: false });
      return;
    }
    await this.submitFormRequest(checked.request);
  }

  private async submitFormRequest(request: AddConfluenceRequest): Promise<void> {
    if (this.submitter.busy) {
      this.panel.post({ type: 'busy', busy: this.formBusy });
      return;
    }
    this.formBusy = true;
    this.lastResult = null;
    this.panel.post({ type: 'result', result: null });
    this.panel.post({ type: 'busy', busy: true });
    let result: AddResult;
    try {
      result = await this.submitter.submit(request, {
        retry: () => void this.submitFormRequest(request),
        openForm: () => this.openForm(),
      });
    } finally {
      this.formBusy = false;
    }
    if (result.ok) {
      this.drafts.clear();
      this.formDraft = settingsDraft();
      this.revision++;
      this.panel.post({ type: 'setDraft', draft: this.formDraft, revision: this.revision });
    }
    this.showResult(resultView(result));
    this.panel.post({ type: 'busy', busy: false });
  }

  private showResult(result: ResultView): void {
    this.lastResult = result;
    this.panel.post({ type: 'result', result });
  }

  // --- quick input ------------------------------------------------------------------------

  private async runQuickInputFlow(initial: Draft, start?: QuickInputStart, errors?: FieldErrors): Promise<AddResult | undefined> {
    const answers = await runQuickInput(initial, { start, errors, onDraft: (draft) => this.drafts.set(draft) });
    if (!answers) {
      this.services.log.info('addSpace', 'quick input closed; the answers are kept as a draft');
      return undefined;
    }
    this.drafts.set(answers.draft);
    const hooks: SubmitHooks = {
      retry: () => void this.submitQuickInputRequest(answers.request, hooks),
      // "Open Form" reopens the quick input with the answers kept, at the field the server
      // objected to, or at the review.
      openForm: (f) => {
        const fieldErrors = f?.fieldErrors ?? (f?.field ? { [f.field]: f.message } : undefined);
        const at = fieldErrors ? FIELD_NAMES.find((name) => fieldErrors[name]) : undefined;
        void this.runQuickInputFlow(answers.draft, at ?? 'review', fieldErrors);
      },
    };
    return this.submitQuickInputRequest(answers.request, hooks);
  }

  private async submitQuickInputRequest(request: AddConfluenceRequest, hooks: SubmitHooks): Promise<AddResult> {
    const result = await this.submitter.submit(request, hooks);
    if (result.ok) this.drafts.clear();
    return result;
  }

  // --- direct submission ------------------------------------------------------------------

  private async submitDirect(override: Draft, signal?: AbortSignal): Promise<AddResult> {
    const draft = mergeDrafts(settingsDraft(), override);
    const openForm = () => this.openConfigured(draft);
    const checked = validateDraft(draft);
    if (!checked.ok) {
      this.rejectInvalid('command', checked.errors);
      const result = failure('validation', 'invalid_request', vscode.l10n.t('The space was not submitted. {0}', describeFieldErrors(checked.errors)), ['openForm']);
      if (!result.ok) {
        result.failure.fieldErrors = checked.errors;
        this.submitter.notifyFailure(result.failure, { openForm });
      }
      return result;
    }
    const request = checked.request;
    const retryHooks: SubmitHooks = { retry: () => void this.submitter.submit(request, retryHooks), openForm };
    return this.submitter.submit(request, { ...retryHooks, signal });
  }

  /** The notification's "Open Form" for a direct submission: the configured flow, prefilled with it. */
  private openConfigured(draft: Draft): void {
    if (readSettings().addFlow === 'quickInput') void this.runQuickInputFlow(mergeDrafts(settingsDraft(), this.drafts.get(), draft), 'review');
    else this.openForm(draft);
  }

  private rejectInvalid(source: string, errors: FieldErrors): void {
    const fields = FIELD_NAMES.filter((name) => errors[name]);
    this.services.log.warn('addSpace', `${source} submission rejected by validation, nothing sent: ${fields.map((name) => `${name}: ${errors[name]}`).join(' | ')}`);
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}

/** What the form shows for a result. Server text travels as text and is rendered with textContent. */
function resultView(result: AddResult): ResultView {
  if (result.ok && !result.alreadyProcessing) {
    return {
      outcome: 'success',
      libraryName: clip(result.libraryName),
      message: clip(vscode.l10n.t('Submitted to Context7 as {0}. Indexing has started.', result.libraryName)),
    };
  }
  if (result.ok) return { outcome: 'alreadyProcessing', message: clip(vscode.l10n.t('Submitted: Context7 is already processing this space.')) };
  const { failure: f } = result;
  const fieldErrors = f.fieldErrors ?? (f.field ? { [f.field]: f.message } : undefined);
  return { outcome: 'failure', kind: f.kind.slice(0, 100), message: clip(f.message), ...(fieldErrors ? { fieldErrors: clipErrors(fieldErrors) } : {}) };
}

function clip(value: string): string {
  return value.length > 4000 ? `${value.slice(0, 3999)}…` : value;
}

function clipErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const name of FIELD_NAMES) if (errors[name]) out[name] = clip(errors[name]);
  return out;
}
