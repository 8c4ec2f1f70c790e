import * as vscode from 'vscode';
import type { CloudIdResult } from '../core/cloudId';
import { parseConfluenceLinks } from '../core/confluenceLink';
import { FIELD_NAMES, REQUIRED_FIELDS, validateDraft, validateField, type AddConfluenceRequest, type AddSpaceDraft, type FieldErrors, type FieldName } from '../core/schema';
import { normalizeSiteUrl } from '../core/siteUrl';
import { applyAutoFill, canAutoFill, linkUpdates, spaceUpdates, type AutoFilled, type AutoSource } from '../shared/autoFill';
import { fieldHints, fieldLabels } from './formPanel';
import { runStep } from './quickInputStep';

/** Where the flow opens: the link step, a field's step, or the final review. */
export type QuickInputStart = 'link' | FieldName | 'review';

/** What browsing for a space gave: the space, and the site it is on. */
export type BrowsedSpace = { kind: 'picked'; siteUrl?: string; space: { key: string; name: string } } | { kind: 'back' } | { kind: 'closed' };

export interface QuickInputOptions {
  /** Opens at this step (after a failed submission: the field at fault, or the review). Default: the link step. */
  start?: QuickInputStart;
  /** Messages to show on their steps when the flow opens (a server's field errors). */
  errors?: FieldErrors;
  /** Called after every accepted step, so the answers are kept even if the flow is abandoned. */
  onDraft?: (draft: AddSpaceDraft) => void;
  /** Looks up a site's cloud ID (after the link step and the Site URL step, when the Cloud ID is empty). */
  lookupCloudId?: (siteUrl: string, signal: AbortSignal) => Promise<CloudIdResult>;
  /** Offered on the Space key step: opens the space picker (connecting an account first when needed). */
  browseSpaces?: (siteUrl: string, step: { step: number; totalSteps: number }) => Promise<BrowsedSpace>;
}

export interface QuickInputAnswers {
  request: AddConfluenceRequest;
  draft: AddSpaceDraft;
}

type StepOutcome =
  | { kind: 'next' }
  | { kind: 'back' }
  | { kind: 'cancel' }
  | { kind: 'goto'; field: QuickInputStart; error?: string }
  | { kind: 'browse' }
  | { kind: 'submit'; request: AddConfluenceRequest };

const STEPS: readonly QuickInputStart[] = ['link', ...FIELD_NAMES, 'review'];

function placeholders(): Partial<Record<FieldName, string>> {
  return {
    siteUrl: 'https://your-site.atlassian.net',
    cloudId: '5c3a1f2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b',
    spaceKey: 'DOCS',
    pageIds: '123456, 234567',
  };
}

/** The state of one run: the answers, which of them were filled automatically, quiet hints. */
interface RunState {
  draft: AddSpaceDraft;
  errors: FieldErrors;
  auto: AutoFilled;
  /** The site the Cloud ID was looked up for, when it was. */
  lookedUpFor?: string;
  /** A cloud ID lookup still running (it never holds up a step: see `Flow.startLookup`). */
  pending?: { site: string; controller: AbortController; done: Promise<void> };
  /** A quiet hint per field (a failed cloud ID lookup), shown as a warning that does not block. */
  hints: Partial<Record<FieldName, string>>;
  /** What was pasted on the link step. */
  link: string;
}

/**
 * "Add Confluence Space" as a multi-step quick input: first a step that takes a Confluence link
 * (or Enter to skip it), then one step per field (step N of M), then a review step that submits.
 * Every step has `ignoreFocusOut`, a Back button after the first, and validates with the core
 * schema's messages; optional fields accept an empty answer (Enter skips).
 *
 * - A pasted link fills the site URL, space key and page IDs (never a field that already holds
 *   something typed), then the flow goes on at the first field still to answer.
 * - When the Site URL is accepted (or came from the link) and the Cloud ID is empty, the cloud ID
 *   is looked up in the background: the flow goes on at once. Reaching the Cloud ID step before
 *   the answer shows it busy but open for typing; the answer fills it (and moves on) only if
 *   nothing was typed there. A failure shows as a warning on the Cloud ID step.
 * - The Space key step has a "Browse spaces" button when browsing is offered.
 * - On the review, choosing a field goes back to its step; "Add Space" checks the whole draft again.
 *
 * Resolves with the validated request, or `undefined` when the user closed it (the answers stay
 * in the draft through `onDraft`).
 */
export async function runQuickInput(initial: AddSpaceDraft, options: QuickInputOptions = {}): Promise<QuickInputAnswers | undefined> {
  const run: RunState = { draft: { ...initial }, errors: { ...options.errors }, auto: {}, hints: {}, link: '' };
  const flow = new Flow(options);
  let index = Math.max(0, STEPS.indexOf(options.start ?? 'link'));
  try {
    for (;;) {
      const step = STEPS[index];
      const outcome =
        step === 'review' ? await flow.review(run.draft, index) : step === 'link' ? await flow.link(run, index) : await flow.field(step, run, index);
      options.onDraft?.({ ...run.draft });
      switch (outcome.kind) {
        case 'cancel':
          return undefined;
        case 'back':
          index = Math.max(0, index - 1);
          break;
        case 'next':
          // After the link step, go on at the first field still to answer (prefilled ones are kept; Back reaches them).
          index = step === 'link' ? STEPS.indexOf(firstUnanswered(run.draft)) : Math.min(STEPS.length - 1, index + 1);
          break;
        case 'goto':
          if (outcome.error && outcome.field !== 'link' && outcome.field !== 'review') run.errors[outcome.field] = outcome.error;
          index = STEPS.indexOf(outcome.field);
          break;
        case 'browse': {
          const browsed = await options.browseSpaces?.(run.draft.siteUrl ?? '', { step: index + 1, totalSteps: STEPS.length });
          if (browsed?.kind === 'picked') {
            applySpace(run, browsed.siteUrl, browsed.space);
            flow.startLookup(run);
            options.onDraft?.({ ...run.draft });
            index = STEPS.indexOf(firstUnanswered(run.draft));
          }
          break;
        }
        case 'submit':
          return { request: outcome.request, draft: { ...run.draft } };
      }
    }
  } finally {
    flow.dispose();
  }
}

/**
 * Where the flow goes on: the first required field still empty, else the first invalid field,
 * else the review.
 */
function firstUnanswered(draft: AddSpaceDraft): QuickInputStart {
  const empty = REQUIRED_FIELDS.find((name) => !(draft[name] ?? '').trim());
  if (empty) return empty;
  const invalid = FIELD_NAMES.find((name) => validateField(name, draft[name] ?? '') !== undefined);
  return invalid ?? 'review';
}

function fill(run: RunState, updates: AddSpaceDraft, source: AutoSource): void {
  const result = applyAutoFill(run.draft, run.auto, updates, source);
  // In place: the steps hold on to the draft object.
  Object.assign(run.draft, result.draft);
  run.auto = result.auto;
  for (const name of result.filled) delete run.errors[name];
}

function applySpace(run: RunState, siteUrl: string | undefined, space: { key: string; name: string }): void {
  const { fill: values, suggest } = spaceUpdates(space, vscode.l10n.t('{0} documentation from Confluence', '{0}'));
  if (siteUrl && canAutoFill(run.draft, run.auto, 'siteUrl')) fill(run, { siteUrl }, 'space');
  // Page IDs that came from a link to another space do not belong to this one.
  if (run.auto.pageIds === 'link' && (run.draft.spaceKey ?? '').trim() !== space.key) fill(run, { pageIds: '' }, 'space');
  // The space chosen is an explicit choice: it replaces the key and name even if they were typed.
  run.auto.spaceKey = 'space';
  run.auto.spaceName = 'space';
  fill(run, values, 'space');
  fill(run, suggest, 'suggested');
}

class Flow {
  private current: vscode.QuickInput | undefined;
  /** The latest cloud ID lookup (a new one aborts the one before): stopped when the flow ends. */
  private lookup: AbortController | undefined;
  private readonly title = vscode.l10n.t('Add Confluence Space');
  private readonly labels = fieldLabels();
  private readonly hints = fieldHints();
  private readonly browseButton: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('list-selection'),
    tooltip: vscode.l10n.t('Browse Spaces…'),
  };

  constructor(private readonly options: QuickInputOptions) {}

  /** Shows `input` in place of the previous step (disposing that one only now avoids a flicker). */
  private show(input: vscode.QuickInput): void {
    this.current?.dispose();
    this.current = input;
    input.show();
  }

  /**
   * Starts looking up the cloud ID when the site URL is valid and the Cloud ID may be filled
   * automatically (empty, or looked up for another site). Not awaited: the steps go on, and the
   * answer lands in the draft (never over a typed value) and on the Cloud ID step if it is showing.
   */
  startLookup(run: RunState): void {
    const lookupCloudId = this.options.lookupCloudId;
    if (!lookupCloudId) return;
    const site = normalizeSiteUrl(run.draft.siteUrl ?? '');
    if (!site.ok || !canAutoFill(run.draft, run.auto, 'cloudId')) return;
    if (run.auto.cloudId === 'lookup' && run.lookedUpFor === site.value) return;
    if (run.pending?.site === site.value) return;
    run.pending?.controller.abort();
    // A cloud ID looked up for another site is wrong now.
    if (run.auto.cloudId === 'lookup') fill(run, { cloudId: '' }, 'lookup');
    const controller = new AbortController();
    this.lookup = controller;
    const pending: NonNullable<RunState['pending']> = { site: site.value, controller, done: Promise.resolve() };
    pending.done = lookupCloudId(site.value, controller.signal)
      .then((result) => {
        if (run.pending !== pending) return; // another site was asked for since
        if (result.ok) {
          if (!canAutoFill(run.draft, run.auto, 'cloudId')) return;
          fill(run, { cloudId: result.cloudId }, 'lookup');
          run.lookedUpFor = site.value;
          delete run.hints.cloudId;
        } else if (result.reason !== 'cancelled') {
          run.hints.cloudId = result.message;
        }
      })
      .catch(() => undefined) // the lookup reports failures as results; this is only a guard
      .finally(() => {
        if (run.pending === pending) run.pending = undefined;
      });
    run.pending = pending;
  }

  link(run: RunState, index: number): Promise<StepOutcome> {
    const input = vscode.window.createInputBox();
    input.title = `${this.title}: ${vscode.l10n.t('Confluence link')}`;
    input.step = index + 1;
    input.totalSteps = STEPS.length;
    input.ignoreFocusOut = true;
    input.value = run.link;
    input.placeholder = 'https://your-site.atlassian.net/wiki/spaces/KEY/pages/123456/Title';
    input.prompt = vscode.l10n.t(
      'Paste a link to a Confluence page or space (several page links for several pages) to fill in the site, space and pages. Press Enter to skip.',
    );
    input.buttons = index > 0 ? [vscode.QuickInputButtons.Back] : [];

    return this.waitFor(input, (finish) => [
      input.onDidChangeValue((value) => {
        run.link = value;
        input.validationMessage = undefined;
      }),
      input.onDidAccept(() => {
        const text = input.value.trim();
        run.link = input.value;
        if (text === '') {
          finish({ kind: 'next' });
          return;
        }
        const parsed = parseConfluenceLinks(text);
        if (!parsed.ok) {
          input.validationMessage = parsed.message;
          return;
        }
        fill(run, linkUpdates(parsed, run.auto), 'link');
        this.startLookup(run);
        finish({ kind: 'next' });
      }),
    ]);
  }

  field(name: FieldName, run: RunState, index: number): Promise<StepOutcome> {
    const { draft, errors } = run;
    const required = REQUIRED_FIELDS.includes(name);
    const input = vscode.window.createInputBox();
    input.title = `${this.title}: ${this.labels[name]}`;
    input.step = index + 1;
    input.totalSteps = STEPS.length;
    input.ignoreFocusOut = true;
    input.value = draft[name] ?? '';
    input.placeholder = placeholders()[name] ?? this.labels[name];
    const browsable = name === 'spaceKey' && this.options.browseSpaces !== undefined;
    const parts = [this.hints[name]];
    const note = this.autoNote(run, name);
    if (note) parts.push(note);
    if (browsable) parts.push(vscode.l10n.t('Or choose "Browse Spaces…" (the button above) to pick one.'));
    if (!required) parts.push(vscode.l10n.t('Press Enter to skip.'));
    input.prompt = parts.join(' ');
    input.buttons = [...(index > 0 ? [vscode.QuickInputButtons.Back] : []), ...(browsable ? [this.browseButton] : [])];
    // A known problem shows at once: a server's message, or a prefilled value that does not pass;
    // a failed lookup shows as a warning that does not stop Enter.
    const known = errors[name] ?? (input.value.trim() ? validateField(name, input.value) : undefined);
    const hint = run.hints[name];
    input.validationMessage = known ?? (hint ? { message: hint, severity: vscode.InputBoxValidationSeverity.Warning } : undefined);

    // The cloud ID is still being looked up: busy, but open for typing or pasting. The answer
    // fills the step and moves on, unless something was typed here meanwhile.
    const pending = name === 'cloudId' ? run.pending : undefined;
    if (pending) {
      input.busy = true;
      input.prompt = [input.prompt, vscode.l10n.t('Looking up the cloud ID from {0}…', pending.site)].join(' ');
    }
    let typed = false;
    let done = false;

    return this.waitFor(input, (finishWith) => {
      const finish = (outcome: StepOutcome) => {
        done = true;
        finishWith(outcome);
      };
      void pending?.done.then(() => {
        if (done) return;
        input.busy = false;
        input.prompt = parts.join(' ');
        if (typed) return;
        if (run.auto.cloudId === 'lookup' && (draft.cloudId ?? '') !== '') {
          input.value = draft.cloudId ?? '';
          finish({ kind: 'goto', field: firstUnanswered(draft) });
        } else if (run.hints.cloudId) {
          input.validationMessage = { message: run.hints.cloudId, severity: vscode.InputBoxValidationSeverity.Warning };
        }
      });
      return [
        input.onDidChangeValue((value) => {
          typed = true;
          draft[name] = value;
          delete run.auto[name];
          delete run.hints[name];
          // An empty required field is reported on Enter, not while the user is still deciding.
          const message = value.trim() === '' ? undefined : validateField(name, value);
          input.validationMessage = message;
          if (message) errors[name] = message;
          else delete errors[name];
        }),
        input.onDidAccept(async () => {
          // Enter on an empty Cloud ID while its lookup runs: wait for the answer, then go on.
          if (pending && input.value.trim() === '') {
            await pending.done;
            if (done) return;
            input.value = draft.cloudId ?? '';
          }
          draft[name] = input.value;
          const message = validateField(name, input.value);
          if (message) {
            errors[name] = message;
            input.validationMessage = message;
            return;
          }
          delete errors[name];
          if (name === 'siteUrl') this.startLookup(run);
          finish({ kind: 'next' });
        }),
        input.onDidTriggerButton((button) => {
          if (button === this.browseButton) finish({ kind: 'browse' });
        }),
      ];
    });
  }

  private autoNote(run: RunState, name: FieldName): string | undefined {
    switch (run.auto[name]) {
      case 'link':
        return vscode.l10n.t('(Filled from the link.)');
      case 'lookup':
        return vscode.l10n.t('(Looked up from {0}.)', run.lookedUpFor ?? '');
      case 'space':
        return vscode.l10n.t('(Filled from the chosen space.)');
      case 'suggested':
        return vscode.l10n.t('(Suggested from the space name: change it if you like.)');
      default:
        return undefined;
    }
  }

  /** Shows a step and resolves with its outcome; Back and hiding are handled here for every step. */
  private waitFor(
    input: vscode.InputBox,
    listen: (finish: (outcome: StepOutcome) => void) => vscode.Disposable[],
  ): Promise<StepOutcome> {
    return runStep<StepOutcome>((finish) => {
      const subscriptions = [
        ...listen(finish),
        input.onDidTriggerButton((button) => {
          if (button === vscode.QuickInputButtons.Back) finish({ kind: 'back' });
        }),
        input.onDidHide(() => finish({ kind: 'cancel' })),
      ];
      this.show(input);
      return subscriptions;
    });
  }

  review(draft: AddSpaceDraft, index: number): Promise<StepOutcome> {
    type Item = vscode.QuickPickItem & { field?: FieldName; submit?: true };
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = `${this.title}: ${vscode.l10n.t('Review')}`;
    pick.step = index + 1;
    pick.totalSteps = STEPS.length;
    pick.ignoreFocusOut = true;
    pick.placeholder = vscode.l10n.t('Check your answers, then choose Add Space. Choose a field to change it.');
    pick.buttons = [vscode.QuickInputButtons.Back];
    pick.matchOnDescription = true;

    const checked = validateDraft(draft);
    const fieldErrors = checked.ok ? {} : checked.errors;
    const submit: Item = {
      label: `$(check) ${vscode.l10n.t('Add Space')}`,
      detail: checked.ok ? vscode.l10n.t('Send this space to Context7.') : vscode.l10n.t('Some answers need fixing first.'),
      submit: true,
      alwaysShow: true,
    };
    const fields: Item[] = FIELD_NAMES.map((name) => {
      const value = (draft[name] ?? '').trim();
      const error = fieldErrors[name];
      return {
        label: `${error ? '$(error)' : '$(edit)'} ${this.labels[name]}`,
        description: value ? oneLine(value) : vscode.l10n.t('(empty)'),
        detail: error,
        field: name,
      };
    });
    pick.items = [submit, { label: vscode.l10n.t('Answers'), kind: vscode.QuickPickItemKind.Separator }, ...fields];
    pick.activeItems = [submit];

    return runStep<StepOutcome>((finish) => {
      const subscriptions = [
        pick.onDidAccept(() => {
          const item = pick.selectedItems[0] ?? pick.activeItems[0];
          if (!item) return;
          if (item.field) {
            finish({ kind: 'goto', field: item.field });
            return;
          }
          const result = validateDraft(draft);
          if (result.ok) finish({ kind: 'submit', request: result.request });
          else {
            const field = FIELD_NAMES.find((n) => result.errors[n]) ?? 'siteUrl';
            finish({ kind: 'goto', field, error: result.errors[field] });
          }
        }),
        pick.onDidTriggerButton((button) => {
          if (button === vscode.QuickInputButtons.Back) finish({ kind: 'back' });
        }),
        pick.onDidHide(() => finish({ kind: 'cancel' })),
      ];
      this.show(pick);
      return subscriptions;
    });
  }

  dispose(): void {
    this.lookup?.abort();
    this.lookup = undefined;
    this.current?.dispose();
    this.current = undefined;
  }
}

function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
