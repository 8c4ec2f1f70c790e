/**
 * The "Add Confluence Space" form, running inside the webview (a browser, no `vscode` module).
 *
 * - State lives in `vscode.setState`, written on every keystroke, so hiding the panel (which
 *   destroys this page: the panel does not retain its context) loses nothing. Changes also go to
 *   the host, debounced, which keeps them as the draft when the panel is closed.
 * - Texts come from the host in `init` (localized there with `vscode.l10n.t`); validation
 *   messages come from the same core schema the client uses.
 * - Host messages are parsed with the shared zod protocol; anything malformed is dropped and
 *   reported to the host's log.
 */
import './zodConfig';
import { FIELD_NAMES, validateDraft, validateField, type FieldErrors, type FieldName } from '../core/schema';
import { parseHostMessage, type Draft, type HostMessage, type ResultView, type WebviewMessage } from '../shared/protocol';
import { buildForm, errorId, hintId, type FormTexts, type FormView } from './form';

interface WebviewApi<T> {
  postMessage(message: unknown): void;
  getState(): T | undefined;
  setState(state: T): void;
}
declare function acquireVsCodeApi<T>(): WebviewApi<T>;

/** What survives the page being destroyed while the panel is hidden. */
interface ViewState {
  v: 1;
  texts?: FormTexts;
  defaults: Draft;
  draft: Draft;
  /** The host's draft revision this draft was based on; -1 before the first `init`. */
  revision: number;
  errors: FieldErrors;
  busy: boolean;
  result: ResultView | null;
}

const DRAFT_DEBOUNCE_MS = 300;

const api = acquireVsCodeApi<ViewState>();
const saved = api.getState();
const state: ViewState = saved?.v === 1 ? saved : { v: 1, defaults: {}, draft: {}, revision: -1, errors: {}, busy: false, result: null };
let view: FormView | undefined;
let draftTimer: ReturnType<typeof setTimeout> | undefined;

function post(message: WebviewMessage): void {
  api.postMessage(message);
}

function persist(): void {
  api.setState(state);
}

function flushDraft(): void {
  if (draftTimer === undefined) return;
  clearTimeout(draftTimer);
  draftTimer = undefined;
  post({ type: 'draftChanged', draft: state.draft });
}

function scheduleDraft(): void {
  if (draftTimer !== undefined) clearTimeout(draftTimer);
  draftTimer = setTimeout(() => {
    draftTimer = undefined;
    post({ type: 'draftChanged', draft: state.draft });
  }, DRAFT_DEBOUNCE_MS);
}

function setFieldError(name: FieldName, message: string | undefined): void {
  if (message) state.errors[name] = message;
  else delete state.errors[name];
}

function firstInvalid(): FieldName | undefined {
  return FIELD_NAMES.find((name) => state.errors[name]);
}

function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** Pushes `state` into the DOM, touching only what changed (so typing never loses the caret). */
function sync(): void {
  if (!view) return;
  for (const name of FIELD_NAMES) {
    const control = view.controls[name];
    const value = state.draft[name] ?? '';
    if (control.value !== value) control.value = value;
    const message = state.errors[name];
    const errorNode = view.errors[name];
    setText(errorNode, message ?? '');
    errorNode.hidden = !message;
    if (message) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', `${errorId(name)} ${hintId(name)}`);
    } else {
      control.removeAttribute('aria-invalid');
      control.setAttribute('aria-describedby', hintId(name));
    }
  }

  const strings = state.texts?.strings;
  const hadFocus = document.activeElement === view.submit;
  view.submit.disabled = state.busy;
  view.form.setAttribute('aria-busy', String(state.busy));
  if (hadFocus && state.busy) view.form.focus(); // keep focus inside the form while the button is disabled

  const result = state.result;
  let statusText = '';
  let statusKind = '';
  let alertText = '';
  if (state.busy) {
    statusText = strings?.submitting ?? '';
    statusKind = 'busy';
  } else if (result?.outcome === 'success' || result?.outcome === 'alreadyProcessing') {
    statusText = result.message;
    statusKind = result.outcome === 'success' ? 'success' : 'info';
  } else if (result?.outcome === 'failure') {
    alertText = result.message;
  }
  setText(view.status, statusText);
  view.status.dataset.kind = statusKind;
  setText(view.alert, alertText);
  view.alert.dataset.kind = alertText ? 'error' : '';
}

/** The "check the highlighted fields" notice goes away once nothing is highlighted any more. */
function dropFixedValidationNotice(): void {
  if (state.result?.outcome === 'failure' && state.result.kind === 'validation' && !firstInvalid()) state.result = null;
}

function focusFirstInvalid(): void {
  const name = firstInvalid();
  if (name && view) view.controls[name].focus();
}

function onInput(name: FieldName, value: string): void {
  state.draft[name] = value;
  // Once a field shows an error, re-check it as the user types so the message goes away as soon
  // as it is fixed. Fields without an error are first checked when they lose focus (`change`).
  if (state.errors[name] !== undefined) setFieldError(name, validateField(name, value));
  dropFixedValidationNotice();
  persist();
  sync();
  scheduleDraft();
}

function onChange(name: FieldName, value: string): void {
  state.draft[name] = value;
  setFieldError(name, validateField(name, value));
  dropFixedValidationNotice();
  persist();
  sync();
  flushDraft();
}

function onSubmit(): void {
  if (state.busy) return; // a second click while in flight sends nothing
  for (const name of FIELD_NAMES) state.draft[name] = view?.controls[name].value ?? state.draft[name] ?? '';
  const checked = validateDraft(state.draft);
  if (!checked.ok) {
    state.errors = { ...checked.errors };
    state.result = { outcome: 'failure', kind: 'validation', message: state.texts?.strings.fixErrors ?? '' };
    persist();
    sync();
    focusFirstInvalid();
    // An invalid form submits nothing; the host only logs which fields stopped it.
    post({ type: 'invalid', fields: FIELD_NAMES.filter((name) => checked.errors[name]) });
    return;
  }
  state.errors = {};
  state.result = null;
  state.busy = true;
  persist();
  sync();
  if (draftTimer !== undefined) clearTimeout(draftTimer);
  draftTimer = undefined;
  post({ type: 'submit', draft: state.draft });
}

function onClear(): void {
  state.draft = { ...state.defaults };
  state.errors = {};
  state.result = null;
  persist();
  sync();
  post({ type: 'draftChanged', draft: state.draft });
  view?.controls.siteUrl.focus();
}

function render(): void {
  if (!state.texts) return;
  const root = document.getElementById('root');
  if (!root) return;
  view = buildForm(root, state.texts);
  view.form.tabIndex = -1;
  for (const name of FIELD_NAMES) {
    const control = view.controls[name];
    control.addEventListener('input', () => onInput(name, control.value));
    control.addEventListener('change', () => onChange(name, control.value));
  }
  view.form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit();
  });
  view.clear.addEventListener('click', onClear);
  sync();
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'init': {
      const first = !state.texts;
      state.texts = { strings: message.strings, labels: message.labels, hints: message.hints };
      state.defaults = message.defaults;
      state.busy = message.busy;
      state.result = message.result;
      if (message.revision !== state.revision) {
        // The host replaced the draft (new prefill, or cleared after a success): take its copy.
        state.draft = { ...message.draft };
        state.errors = {};
        state.revision = message.revision;
      } else if (JSON.stringify(message.draft) !== JSON.stringify(state.draft)) {
        // Same revision: our copy is at least as new (a change may not have reached the host).
        post({ type: 'draftChanged', draft: state.draft });
      }
      if (message.result?.outcome === 'failure' && message.result.fieldErrors) state.errors = { ...state.errors, ...message.result.fieldErrors };
      persist();
      if (first || !view) render();
      else sync();
      if (first) view?.controls[firstInvalid() ?? firstEmpty() ?? 'siteUrl'].focus();
      break;
    }
    case 'setDraft':
      state.draft = { ...message.draft };
      state.revision = message.revision;
      state.errors = {};
      persist();
      sync();
      break;
    case 'defaults': {
      let changed = false;
      for (const name of FIELD_NAMES) {
        const value = message.defaults[name];
        if (value && !(state.draft[name] ?? '').trim()) {
          state.draft[name] = value;
          changed = true;
        }
      }
      state.defaults = message.defaults;
      persist();
      sync();
      if (changed) post({ type: 'draftChanged', draft: state.draft });
      break;
    }
    case 'busy':
      state.busy = message.busy;
      persist();
      sync();
      // The disabled button dropped focus onto the form: give it back so Enter/Space work again.
      if (!message.busy && view && (document.activeElement === view.form || document.activeElement === document.body)) view.submit.focus();
      break;
    case 'result':
      state.result = message.result;
      if (message.result?.outcome === 'failure' && message.result.fieldErrors) {
        state.errors = { ...state.errors, ...message.result.fieldErrors };
      }
      persist();
      sync();
      if (message.result?.outcome === 'failure' && message.result.fieldErrors) focusFirstInvalid();
      break;
  }
}

function firstEmpty(): FieldName | undefined {
  return FIELD_NAMES.find((name) => !(state.draft[name] ?? '').trim());
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    post({ type: 'problem', message: `rejected a host message: ${parsed.error}`.slice(0, 4000) });
    return;
  }
  handle(parsed.message);
});

window.addEventListener('error', (event) => {
  post({ type: 'problem', message: `webview error: ${String(event.message)}`.slice(0, 4000) });
});

// The page is about to be destroyed (panel hidden or closed): send what is pending.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flushDraft();
});
window.addEventListener('pagehide', flushDraft);

// Restored from a hidden panel: show the form at once from the saved state, then ask for `init`.
render();
post({ type: 'ready' });
