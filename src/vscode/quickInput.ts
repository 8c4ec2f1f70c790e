import * as vscode from 'vscode';
import { FIELD_NAMES, REQUIRED_FIELDS, validateDraft, validateField, type AddConfluenceRequest, type AddSpaceDraft, type FieldErrors, type FieldName } from '../core/schema';
import { fieldHints } from './formPanel';

/** Where the flow opens: a field's step, or the final review. */
export type QuickInputStart = FieldName | 'review';

export interface QuickInputOptions {
  /** Opens at this step (after a failed submission: the field at fault, or the review). */
  start?: QuickInputStart;
  /** Messages to show on their steps when the flow opens (a server's field errors). */
  errors?: FieldErrors;
  /** Called after every accepted step, so the answers are kept even if the flow is abandoned. */
  onDraft?: (draft: AddSpaceDraft) => void;
}

export interface QuickInputAnswers {
  request: AddConfluenceRequest;
  draft: AddSpaceDraft;
}

type StepOutcome = { kind: 'next' } | { kind: 'back' } | { kind: 'cancel' } | { kind: 'goto'; field: FieldName; error?: string } | { kind: 'submit'; request: AddConfluenceRequest };

const STEPS: readonly QuickInputStart[] = [...FIELD_NAMES, 'review'];

function labels(): Record<FieldName, string> {
  return {
    siteUrl: vscode.l10n.t('Site URL'),
    cloudId: vscode.l10n.t('Cloud ID'),
    spaceKey: vscode.l10n.t('Space key'),
    spaceName: vscode.l10n.t('Space name'),
    pageIds: vscode.l10n.t('Page IDs'),
    title: vscode.l10n.t('Title'),
    description: vscode.l10n.t('Description'),
    projectId: vscode.l10n.t('Project ID'),
  };
}

function placeholders(): Partial<Record<FieldName, string>> {
  return {
    siteUrl: 'https://your-site.atlassian.net',
    cloudId: '5c3a1f2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b',
    spaceKey: 'DOCS',
    pageIds: '123456, 234567',
  };
}

/**
 * "Add Confluence Space" as a multi-step quick input: one step per field (step N of M), then a
 * review step that submits. Every step has `ignoreFocusOut`, a Back button after the first, and
 * validates with the core schema's messages; optional fields accept an empty answer (Enter skips).
 * On the review, choosing a field goes back to its step; "Add Space" checks the whole draft again.
 *
 * Resolves with the validated request, or `undefined` when the user closed it (the answers stay
 * in the draft through `onDraft`).
 */
export async function runQuickInput(initial: AddSpaceDraft, options: QuickInputOptions = {}): Promise<QuickInputAnswers | undefined> {
  const draft: AddSpaceDraft = { ...initial };
  const errors: FieldErrors = { ...options.errors };
  const flow = new Flow();
  let index = Math.max(0, STEPS.indexOf(options.start ?? firstUnanswered(draft)));
  try {
    for (;;) {
      const step = STEPS[index];
      const outcome = step === 'review' ? await flow.review(draft, index) : await flow.field(step, draft, errors, index);
      options.onDraft?.({ ...draft });
      switch (outcome.kind) {
        case 'cancel':
          return undefined;
        case 'back':
          index = Math.max(0, index - 1);
          break;
        case 'next':
          index = Math.min(STEPS.length - 1, index + 1);
          break;
        case 'goto':
          if (outcome.error) errors[outcome.field] = outcome.error;
          index = STEPS.indexOf(outcome.field);
          break;
        case 'submit':
          return { request: outcome.request, draft: { ...draft } };
      }
    }
  } finally {
    flow.dispose();
  }
}

/**
 * Where a fresh flow opens: the first required field still empty (so prefilled settings are not
 * asked again; Back reaches them), else the first invalid field, else the review.
 */
function firstUnanswered(draft: AddSpaceDraft): QuickInputStart {
  const empty = REQUIRED_FIELDS.find((name) => !(draft[name] ?? '').trim());
  if (empty) return empty;
  const invalid = FIELD_NAMES.find((name) => validateField(name, draft[name] ?? '') !== undefined);
  return invalid ?? 'review';
}

class Flow {
  private current: vscode.QuickInput | undefined;
  private readonly title = vscode.l10n.t('Add Confluence Space');
  private readonly labels = labels();
  private readonly hints = fieldHints();

  /** Shows `input` in place of the previous step (disposing that one only now avoids a flicker). */
  private show(input: vscode.QuickInput): void {
    this.current?.dispose();
    this.current = input;
    input.show();
  }

  field(name: FieldName, draft: AddSpaceDraft, errors: FieldErrors, index: number): Promise<StepOutcome> {
    const required = REQUIRED_FIELDS.includes(name);
    const input = vscode.window.createInputBox();
    input.title = `${this.title}: ${this.labels[name]}`;
    input.step = index + 1;
    input.totalSteps = STEPS.length;
    input.ignoreFocusOut = true;
    input.value = draft[name] ?? '';
    input.placeholder = placeholders()[name] ?? this.labels[name];
    input.prompt = required ? this.hints[name] : `${this.hints[name]} ${vscode.l10n.t('Press Enter to skip.')}`;
    input.buttons = index > 0 ? [vscode.QuickInputButtons.Back] : [];
    // A known problem shows at once: a server's message, or a prefilled value that does not pass.
    input.validationMessage = errors[name] ?? (input.value.trim() ? validateField(name, input.value) : undefined);

    return new Promise<StepOutcome>((resolve) => {
      let done = false;
      const subscriptions: vscode.Disposable[] = [];
      const finish = (outcome: StepOutcome) => {
        if (done) return;
        done = true;
        for (const d of subscriptions) d.dispose();
        resolve(outcome);
      };
      subscriptions.push(
        input.onDidChangeValue((value) => {
          draft[name] = value;
          // An empty required field is reported on Enter, not while the user is still deciding.
          const message = value.trim() === '' ? undefined : validateField(name, value);
          input.validationMessage = message;
          if (message) errors[name] = message;
          else delete errors[name];
        }),
        input.onDidAccept(() => {
          draft[name] = input.value;
          const message = validateField(name, input.value);
          if (message) {
            errors[name] = message;
            input.validationMessage = message;
            return;
          }
          delete errors[name];
          finish({ kind: 'next' });
        }),
        input.onDidTriggerButton((button) => {
          if (button === vscode.QuickInputButtons.Back) finish({ kind: 'back' });
        }),
        input.onDidHide(() => finish({ kind: 'cancel' })),
      );
      this.show(input);
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

    return new Promise<StepOutcome>((resolve) => {
      let done = false;
      const subscriptions: vscode.Disposable[] = [];
      const finish = (outcome: StepOutcome) => {
        if (done) return;
        done = true;
        for (const d of subscriptions) d.dispose();
        resolve(outcome);
      };
      subscriptions.push(
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
      );
      this.show(pick);
    });
  }

  dispose(): void {
    this.current?.dispose();
    this.current = undefined;
  }
}

function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
