import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { userAgent, type AddResult, type FailureKind } from '../core/client';
import type { ConfluenceClient, ConfluenceSpace } from '../core/confluence';
import { FIELD_NAMES, describeFieldErrors, validateDraft, validateField, type AddConfluenceRequest, type FieldErrors } from '../core/schema';
import { DraftSchema, compactDraft, draftToKeep, mergeDrafts, type Draft, type PageView, type ResultView, type WebviewMessage } from '../shared/protocol';
import { parseStartArgs } from '../shared/startArgs';
import type { Services } from './commands';
import { ConfluenceService, type ErrorView } from './confluence';
import { connectAtlassian, type ConnectResult } from './connect';
import { FormPanel, confluenceTexts, formTexts } from './formPanel';
import { runQuickInput, type BrowsedSpace, type QuickInputStart } from './quickInput';
import { onSettingsChanged, readSettings } from './settings';
import { pickSpace } from './spacePicker';
import { SubmitService, failure, type SubmitHooks } from './submit';

// The core (src/core, src/shared) cannot import `vscode`: it localizes with @vscode/l10n, which is
// handed VS Code's bundle here, once, as this lazily loaded bundle starts. `bundle` is undefined
// when VS Code runs in English (the core's English texts are then used as they are).
if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });

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
    const compact = draftToKeep(draft, settingsDraft());
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
  private readonly confluence: ConfluenceService;
  /** The form's cloud ID lookup in flight (a newer one replaces it). */
  private lookup: AbortController | undefined;
  private browsing = false;
  private connecting: Promise<ConnectResult> | undefined;

  constructor(
    context: vscode.ExtensionContext,
    private readonly services: Services,
  ) {
    this.drafts = new DraftStore(context.globalState);
    this.submitter = new SubmitService(context, services);
    this.confluence = new ConfluenceService(services, userAgent(String(context.extension.packageJSON.version ?? '0.0.0'), vscode.version));
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
      services.atlassian.onDidChange((connection) => this.panel.post({ type: 'connection', connection })),
    );
  }

  /**
   * "Context7: Connect Atlassian Account" (also offered by the browse buttons). One run at a
   * time: a second call while the steps are open waits for the first.
   */
  connect(raw?: unknown, siteHint?: string): Promise<ConnectResult> {
    if (!this.connecting) {
      this.connecting = connectAtlassian(this.services, this.confluence, raw, siteHint).finally(() => {
        this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  /**
   * A client for the connected account, connecting one first (the steps open at once) when there
   * is none; or why there is none (not connected after all, or a site the token may not go to).
   */
  private async clientOrConnect(siteHint: string): ReturnType<ConfluenceService['client']> {
    const choice = await this.confluence.client(siteHint);
    if (choice.ok || choice.view.kind !== 'missing_credentials') return choice;
    this.services.log.info('confluence', 'browsing needs an Atlassian account: asking to connect one');
    const result = await this.connect(undefined, siteHint);
    return result.ok ? this.confluence.client(siteHint) : choice;
  }

  async start(raw?: unknown): Promise<unknown> {
    const { log } = this.services;
    const args = parseStartArgs(raw, (message) => log.warn('addSpace', message));
    if (args.submit) return this.submitDirect(args.draft, args.signal, args.includeSubPages === true);
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
        void this.services.atlassian.connection().then((connection) =>
          this.panel.post({
            type: 'init',
            ...formTexts(),
            confluence: confluenceTexts(),
            connection,
            draft: this.formDraft,
            defaults: settingsDraft(),
            revision: this.revision,
            busy: this.formBusy,
            result: this.lastResult,
            ...(vscode.l10n.bundle ? { l10n: vscode.l10n.bundle } : {}),
          }),
        );
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
        void this.submitFromForm(message.draft, message.includeSubPages === true);
        return;
      case 'lookupCloudId':
        void this.lookupForForm(message.requestId, message.siteUrl);
        return;
      case 'findSpaceOfPage':
        void this.findSpaceOfPage(message);
        return;
      case 'browseSpaces':
        void this.browseSpacesFromForm(message.siteUrl);
        return;
      case 'browsePages':
        void this.browsePagesFromForm(message.siteUrl, message.spaceKey);
        return;
      case 'loadPages':
        void this.loadPagesForForm(message);
        return;
      case 'connect':
        void this.connect(undefined, message.siteUrl);
        return;
    }
  }

  // --- form: Confluence helpers -------------------------------------------------------------

  private async lookupForForm(requestId: number, siteUrl: string): Promise<void> {
    this.lookup?.abort();
    const controller = new AbortController();
    this.lookup = controller;
    const result = await this.confluence.lookupCloudId(siteUrl, controller.signal);
    if (this.lookup === controller) this.lookup = undefined;
    if (!result.ok && result.reason === 'cancelled') return;
    this.panel.post({
      type: 'cloudId',
      requestId,
      siteUrl,
      result: result.ok ? { ok: true, cloudId: result.cloudId } : { ok: false, message: clip(result.message) },
    });
  }

  /**
   * The space of a page that a tiny link named: quietly, with the connected account (a tiny link
   * carries only the page ID). Without an account, or for a site the token may not go to, or when
   * Confluence does not say, the form simply keeps what the link carried.
   */
  private async findSpaceOfPage(message: Extract<WebviewMessage, { type: 'findSpaceOfPage' }>): Promise<void> {
    const { log } = this.services;
    const choice = await this.confluence.client(message.siteUrl);
    if (!choice.ok) return;
    const { client } = choice;
    try {
      const page = await client.page(message.pageId);
      if (!page.spaceId) return;
      const space = await client.spaceById(page.spaceId);
      this.confluence.remember(client, space);
      log.info('confluence', `page ${message.pageId} is in space ${space.key} on ${client.siteUrl ?? message.siteUrl}`);
      this.panel.post({ type: 'spaceOfPage', requestId: message.requestId, siteUrl: message.siteUrl, pageId: message.pageId, space: spaceView(space) });
    } catch (error) {
      log.info('confluence', `the space of page ${message.pageId} was not found: ${this.confluence.describe(error).message}`);
    }
  }

  private async browseSpacesFromForm(siteUrl: string): Promise<void> {
    if (this.browsing) return;
    this.browsing = true;
    try {
      const choice = await this.clientOrConnect(siteUrl);
      if (!choice.ok) {
        this.browseEnded('spaces', choice.view);
        return;
      }
      const { client } = choice;
      const picked = await pickSpace(client);
      if (picked.kind === 'closed') {
        this.panel.post({ type: 'browseEnded', target: 'spaces', message: '', connect: false });
        return;
      }
      if (picked.kind === 'failed') {
        const view = this.confluence.describe(picked.error);
        this.services.log.warn('confluence', `listing spaces failed: ${view.message}`);
        this.panel.post({ type: 'browseEnded', target: 'spaces', message: clip(view.message), connect: view.connect });
        return;
      }
      this.confluence.remember(client, picked.space);
      this.services.log.info('confluence', `space ${picked.space.key} chosen on ${client.siteUrl ?? ''}`);
      this.panel.createOrShow();
      this.panel.post({ type: 'spacePicked', siteUrl: client.siteUrl ?? '', space: spaceView(picked.space) });
      await this.showTree(client, picked.space);
    } finally {
      this.browsing = false;
    }
  }

  private async browsePagesFromForm(siteUrl: string, spaceKey: string): Promise<void> {
    if (this.browsing) return;
    this.browsing = true;
    try {
      const key = spaceKey.trim();
      if (key === '') {
        this.panel.post({ type: 'browseEnded', target: 'pages', message: confluenceTexts().needsSpaceKey, connect: false });
        return;
      }
      const choice = await this.clientOrConnect(siteUrl);
      if (!choice.ok) {
        this.browseEnded('pages', choice.view);
        return;
      }
      const { client } = choice;
      let space: ConfluenceSpace | undefined;
      try {
        space = await this.confluence.spaceByKey(client, key);
      } catch (error) {
        this.browseFailed('pages', this.confluence.describe(error));
        return;
      }
      if (!space) {
        this.panel.post({
          type: 'browseEnded',
          target: 'pages',
          message: vscode.l10n.t('{0} has no space with the key {1} that your Atlassian account can see. Check the Space key, or choose "Browse spaces…".', client.siteUrl ?? '', key),
          connect: false,
        });
        return;
      }
      this.panel.createOrShow();
      await this.showTree(client, space);
    } finally {
      this.browsing = false;
    }
  }

  /** Browsing did not start: no account after all, or a site the token may not go to. */
  private browseEnded(target: 'spaces' | 'pages', view: ErrorView): void {
    this.panel.post({ type: 'browseEnded', target, message: clip(view.message), connect: view.connect });
  }

  private browseFailed(target: 'spaces' | 'pages', view: ErrorView): void {
    this.services.log.warn('confluence', `browsing ${target} failed: ${view.message}`);
    this.browseEnded(target, view);
  }

  /** Loads the first top-level pages of a space and shows the tree in the form. */
  private async showTree(client: ConfluenceClient, space: ConfluenceSpace): Promise<void> {
    try {
      const batch = await client.rootPages(space.id, { limit: PAGE_BATCH });
      this.panel.post({
        type: 'tree',
        siteUrl: client.siteUrl ?? '',
        space: spaceView(space),
        pages: batch.pages.map(pageView),
        ...(batch.nextCursor ? { nextCursor: batch.nextCursor } : {}),
      });
    } catch (error) {
      this.browseFailed('pages', this.confluence.describe(error));
    }
  }

  private async loadPagesForForm(message: Extract<WebviewMessage, { type: 'loadPages' }>): Promise<void> {
    const { requestId, spaceId, parentId, cursor } = message;
    const where = { requestId, spaceId, ...(parentId ? { parentId } : {}) };
    const choice = await this.confluence.client(message.siteUrl);
    if (!choice.ok) {
      this.panel.post({ type: 'pagesFailed', ...where, message: clip(choice.view.message) });
      return;
    }
    const { client } = choice;
    try {
      const options = { limit: PAGE_BATCH, ...(cursor ? { cursor } : {}) };
      const batch = parentId ? await client.children(parentId, options) : await client.rootPages(spaceId, options);
      this.panel.post({ type: 'pages', ...where, pages: batch.pages.map(pageView), ...(batch.nextCursor ? { nextCursor: batch.nextCursor } : {}) });
    } catch (error) {
      const view = this.confluence.describe(error);
      this.services.log.warn('confluence', `loading pages failed: ${view.message}`);
      this.panel.post({ type: 'pagesFailed', ...where, message: clip(view.message) });
    }
  }

  // --- form: submitting ----------------------------------------------------------------------

  private async submitFromForm(draft: Draft, includeSubPages: boolean): Promise<void> {
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
    let request = checked.request;
    if (includeSubPages && request.pageIds && request.pageIds.length > 0) {
      if (this.submitter.busy || this.formBusy) {
        this.panel.post({ type: 'busy', busy: this.formBusy });
        return;
      }
      this.formBusy = true;
      this.lastResult = null;
      this.panel.post({ type: 'result', result: null });
      this.panel.post({ type: 'busy', busy: true });
      let expanded;
      try {
        expanded = await this.confluence.expandSubPages(request.pageIds, request.siteUrl, {
          onFound: (found) => this.panel.post({ type: 'expanding', found }),
        });
      } finally {
        this.formBusy = false;
      }
      if (!expanded.ok) {
        this.showResult(
          expanded.cancelled
            ? { outcome: 'failure', kind: 'cancelled', message: vscode.l10n.t('Cancelled while finding sub-pages. Nothing was sent.') }
            : { outcome: 'failure', kind: 'confluence', message: clip(expanded.error.message), connect: expanded.error.connect },
        );
        this.panel.post({ type: 'busy', busy: false });
        return;
      }
      request = { ...request, pageIds: expanded.pageIds };
      if (expanded.truncated) warnTruncated(expanded.pageIds.length);
    }
    await this.submitFormRequest(request);
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
    const answers = await runQuickInput(initial, {
      start,
      errors,
      onDraft: (draft) => this.drafts.set(draft),
      lookupCloudId: (siteUrl, signal) => this.confluence.lookupCloudId(siteUrl, signal),
      browseSpaces: (siteUrl, step) => this.browseSpacesForQuickInput(siteUrl, step),
    });
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

  /** The Space key step's "Browse Spaces…": the picker as a step of the flow; failures in a notification. */
  private async browseSpacesForQuickInput(siteUrl: string, step: { step: number; totalSteps: number }): Promise<BrowsedSpace> {
    const choice = await this.clientOrConnect(siteUrl);
    if (!choice.ok) {
      // Not connected after all is the user's own choice; a refused site needs saying.
      if (choice.view.kind !== 'missing_credentials') this.confluence.notify(choice.view, () => void this.connect(undefined, siteUrl));
      return { kind: 'closed' };
    }
    const { client } = choice;
    const picked = await pickSpace(client, { title: `${vscode.l10n.t('Add Confluence Space')}: ${vscode.l10n.t('Browse Spaces')}`, ...step, back: true });
    if (picked.kind === 'picked') {
      this.confluence.remember(client, picked.space);
      return { kind: 'picked', siteUrl: client.siteUrl, space: picked.space };
    }
    if (picked.kind === 'failed') {
      const view = this.confluence.describe(picked.error);
      this.services.log.warn('confluence', `listing spaces failed: ${view.message}`);
      this.confluence.notify(view, () => void this.connect(undefined, siteUrl));
      return { kind: 'closed' };
    }
    return { kind: picked.back ? 'back' : 'closed' };
  }

  private async submitQuickInputRequest(request: AddConfluenceRequest, hooks: SubmitHooks): Promise<AddResult> {
    const result = await this.submitter.submit(request, hooks);
    if (result.ok) this.drafts.clear();
    return result;
  }

  // --- direct submission ------------------------------------------------------------------

  private async submitDirect(override: Draft, signal?: AbortSignal, includeSubPages = false): Promise<AddResult> {
    const draft = mergeDrafts(settingsDraft(), override);
    const openForm = () => this.openConfigured(draft);
    // As in the form: a valid Site URL with no Cloud ID gets the cloud ID looked up.
    let lookupProblem: string | undefined;
    if (!(draft.cloudId ?? '').trim() && validateField('siteUrl', draft.siteUrl ?? '') === undefined) {
      const found = await this.confluence.lookupCloudId(draft.siteUrl ?? '', signal);
      if (found.ok) draft.cloudId = found.cloudId;
      else if (found.reason !== 'cancelled') lookupProblem = found.message;
    }
    const checked = validateDraft(draft);
    if (!checked.ok) {
      if (lookupProblem && checked.errors.cloudId) checked.errors.cloudId = vscode.l10n.t('Cloud ID is empty, and looking it up failed: {0}', lookupProblem);
      this.rejectInvalid('command', checked.errors);
      const result = failure('validation', 'invalid_request', vscode.l10n.t('The space was not submitted. {0}', describeFieldErrors(checked.errors)), ['openForm']);
      if (!result.ok) {
        result.failure.fieldErrors = checked.errors;
        this.submitter.notifyFailure(result.failure, { openForm });
      }
      return result;
    }
    let request = checked.request;
    if (includeSubPages && request.pageIds && request.pageIds.length > 0) {
      const expanded = await this.confluence.expandSubPages(request.pageIds, request.siteUrl, { signal });
      if (!expanded.ok) {
        if (expanded.cancelled) return failure('cancelled', 'cancelled', vscode.l10n.t('Cancelled while finding sub-pages. Nothing was sent.'), []);
        this.confluence.notify(expanded.error, () => void this.connect(undefined, request.siteUrl));
        return failure(failureKindFor(expanded.error.kind), `confluence_${expanded.error.kind}`, expanded.error.message, []);
      }
      request = { ...request, pageIds: expanded.pageIds };
      if (expanded.truncated) warnTruncated(expanded.pageIds.length);
    }
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
    this.lookup?.abort();
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}

/** Pages loaded per request for the tree. */
const PAGE_BATCH = 100;

function spaceView(space: ConfluenceSpace): { id: string; key: string; name: string } {
  return { id: space.id, key: space.key, name: clip(space.name) };
}

function pageView(page: { id: string; title: string }): PageView {
  return { id: page.id, title: clip(page.title) };
}

function warnTruncated(count: number): void {
  void vscode.window.showWarningMessage(
    vscode.l10n.t('The selected pages have more sub-pages than can be sent at once: only the first {0} pages were included.', count),
  );
}

/**
 * The kind a Confluence failure has in the add command's result (the result's kinds are
 * Context7's; the `code` says it came from Confluence: `confluence_<kind>`).
 */
function failureKindFor(kind: string): FailureKind {
  switch (kind) {
    case 'rate_limited':
    case 'server_error':
    case 'timeout':
    case 'network':
    case 'bad_response':
      return kind;
    case 'unauthorized':
    case 'forbidden':
    case 'missing_credentials':
    case 'invalid_site':
    case 'site_not_allowed':
      return 'invalid_config';
    default:
      return 'unexpected_status';
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
