/**
 * The "Add Confluence Space" form, running inside the webview (a browser, no `vscode` module).
 *
 * - State lives in `vscode.setState`, written on every keystroke, so hiding the panel (which
 *   destroys this page: the panel does not retain its context) loses nothing. Changes also go to
 *   the host at once (one message per task), which keeps them as the draft when the panel is closed.
 * - Texts come from the host in `init` (localized there with `vscode.l10n.t`); validation
 *   messages come from the same core schema the client uses.
 * - Host messages are parsed with the shared zod protocol; anything malformed is dropped and
 *   reported to the host's log.
 * - Smart paste runs here (the link parser is browser-safe); the cloud ID lookup and browsing
 *   run in the host, which answers with messages. Fields filled automatically are recorded, so a
 *   value the user typed is never overwritten, and each says where its value came from.
 */
import './zodConfig';
import * as l10n from '@vscode/l10n';
import { parseConfluenceLinks } from '../core/confluenceLink';
import { FIELD_NAMES, validateDraft, validateField, type FieldErrors, type FieldName } from '../core/schema';
import { normalizeSiteUrl } from '../core/siteUrl';
import { applyAutoFill, canAutoFill, editPageIds, linkUpdates, pageIdsIn, spaceUpdates, type AutoFilled, type AutoSource, type Fields } from '../shared/autoFill';
import { toggle as toggleSelection } from '../shared/pageSelection';
import { parseHostMessage, type Connection, type Draft, type HostMessage, type PageView, type ResultView, type WebviewMessage } from '../shared/protocol';
import { LOOKUP_NOTE_ID, autoNoteId, buildForm, errorId, hintId, type BrowseMessage, type FormTexts, type FormView } from './form';
import { PageTree, shapeOf, type TreeModel } from './pageTree';

interface WebviewApi<T> {
  postMessage(message: unknown): void;
  getState(): T | undefined;
  setState(state: T): void;
}
declare function acquireVsCodeApi<T>(): WebviewApi<T>;

type Note = { text: string; connect: boolean } | null;

/** What survives the page being destroyed while the panel is hidden. */
interface ViewState {
  v: 2;
  texts?: FormTexts;
  defaults: Draft;
  draft: Draft;
  /** The host's draft revision this draft was based on; -1 before the first `init`. */
  revision: number;
  errors: FieldErrors;
  busy: boolean;
  result: ResultView | null;
  /** The "Confluence link" field, and what it says about the paste. */
  link: string;
  linkMessage: { kind: 'error' | 'info'; text: string } | null;
  /** Fields holding a value filled automatically, and where from. */
  auto: AutoFilled;
  /** The site the automatic Cloud ID was looked up for. */
  lookedUpFor?: string;
  /** Under Cloud ID: a lookup running, or why it failed. */
  lookupNote: { kind: 'busy' | 'failed'; text: string; site: string } | null;
  connection: Connection;
  includeSubPages: boolean;
  spacesNote: Note;
  pagesNote: Note;
  tree: TreeModel | null;
  /** Pages found so far while expanding sub-pages before submitting. */
  expanding: number | null;
}

/**
 * Changes go to the host at the end of the task that made them (several fields filled at once
 * make one message), not after a pause: closing the panel destroys this page with no chance to
 * send anything, so the host must already hold the last keystroke when the tab's close button is
 * clicked.
 */
const DRAFT_DEBOUNCE_MS = 0;
const LINK_DEBOUNCE_MS = 400;
const LOOKUP_DEBOUNCE_MS = 600;

const api = acquireVsCodeApi<ViewState>();
const saved = api.getState();
const state: ViewState =
  saved?.v === 2
    ? saved
    : {
        v: 2,
        defaults: {},
        draft: {},
        revision: -1,
        errors: {},
        busy: false,
        result: null,
        link: '',
        linkMessage: null,
        auto: {},
        lookupNote: null,
        connection: { connected: false },
        includeSubPages: false,
        spacesNote: null,
        pagesNote: null,
        tree: null,
        expanding: null,
      };
// Answers to requests of a page that was destroyed never arrive: forget what was in flight.
if (state.lookupNote?.kind === 'busy') state.lookupNote = null;
if (state.tree) {
  state.tree.rootsLoading = false;
  for (const node of Object.values(state.tree.nodes)) {
    if (node.loading) {
      node.loading = false;
      if ((node.children ?? []).length === 0) node.children = undefined;
      node.expanded = false;
    }
  }
}

let view: FormView | undefined;
let tree: PageTree | undefined;
let draftTimer: ReturnType<typeof setTimeout> | undefined;
let linkTimer: ReturnType<typeof setTimeout> | undefined;
let lookupTimer: ReturnType<typeof setTimeout> | undefined;
let pasted = false;
/** Request ids start at a random point, so answers meant for an earlier page are not taken for ours. */
let lastRequestId = Math.floor(Math.random() * 1_000_000_000);
let lookupRequest = -1;
/** The `findSpaceOfPage` request still wanted (a newer link replaces it). */
let spaceOfPageRequest = -1;
const pageRequests = new Map<number, { spaceId: string; parentId?: string }>();

function post(message: WebviewMessage): void {
  api.postMessage(message);
}

function persist(): void {
  api.setState(state);
}

function nextRequestId(): number {
  lastRequestId = (lastRequestId + 1) % Number.MAX_SAFE_INTEGER;
  return lastRequestId;
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

function texts() {
  return state.texts?.confluence;
}

function hostOf(site: string): string {
  try {
    return new URL(site).host;
  } catch {
    return site;
  }
}

function autoNoteText(source: AutoSource | undefined): string {
  const c = texts();
  if (!c || !source) return '';
  switch (source) {
    case 'link':
      return c.filledFromLink;
    case 'lookup':
      return c.lookedUp.split('{0}').join(hostOf(state.lookedUpFor ?? ''));
    case 'space':
      return c.filledFromSpace;
    case 'suggested':
      return c.suggested;
  }
}

function syncNote(target: BrowseMessage, note: Note): void {
  target.box.hidden = !note || note.text === '';
  setText(target.text, note?.text ?? '');
  target.connect.hidden = !note?.connect;
}

/** Pushes `state` into the DOM, touching only what changed (so typing never loses the caret). */
function sync(): void {
  if (!view) return;
  const c = texts();
  for (const name of FIELD_NAMES) {
    const control = view.controls[name];
    const value = state.draft[name] ?? '';
    if (control.value !== value) control.value = value;
    const message = state.errors[name];
    const errorNode = view.errors[name];
    setText(errorNode, message ?? '');
    errorNode.hidden = !message;
    const note = autoNoteText(state.auto[name]);
    setText(view.autoNotes[name], note);
    view.autoNotes[name].hidden = note === '';
    view.autoNotes[name].dataset.source = state.auto[name] ?? '';
    const describedBy = [...(message ? [errorId(name)] : []), hintId(name), ...(note ? [autoNoteId(name)] : [])];
    if (name === 'cloudId' && state.lookupNote) describedBy.push(LOOKUP_NOTE_ID);
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
    control.setAttribute('aria-describedby', describedBy.join(' '));
  }

  if (view.link.value !== state.link) view.link.value = state.link;
  const linkMessage = state.linkMessage;
  setText(view.linkMessage, linkMessage?.text ?? '');
  view.linkMessage.hidden = !linkMessage;
  view.linkMessage.dataset.kind = linkMessage?.kind ?? '';
  if (linkMessage?.kind === 'error') view.link.setAttribute('aria-invalid', 'true');
  else view.link.removeAttribute('aria-invalid');
  view.link.setAttribute('aria-describedby', linkMessage ? 'link-message hint-link' : 'hint-link');

  setText(view.lookupNote, state.lookupNote?.text ?? '');
  view.lookupNote.dataset.kind = state.lookupNote?.kind ?? '';

  syncNote(view.spacesMessage, state.spacesNote);
  syncNote(view.pagesMessage, state.pagesNote);
  if (c) {
    setText(view.connectionNote, state.connection.connected ? c.connectedAs.split('{0}').join(state.connection.email ?? '') : c.notConnected);
  }
  view.includeSubPages.checked = state.includeSubPages;

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
    statusText = state.expanding !== null && c ? c.findingSubPages.split('{0}').join(String(state.expanding)) : (strings?.submitting ?? '');
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
  view.alertConnect.hidden = !(result?.outcome === 'failure' && result.connect && !state.busy);
}

function renderTree(): void {
  tree?.render(state.tree, new Set(pageIdsIn(state.draft.pageIds ?? '')), state.includeSubPages);
}

/** The "check the highlighted fields" notice goes away once nothing is highlighted any more. */
function dropFixedValidationNotice(): void {
  if (state.result?.outcome === 'failure' && state.result.kind === 'validation' && !firstInvalid()) state.result = null;
}

function focusFirstInvalid(): void {
  const name = firstInvalid();
  if (name && view) view.controls[name].focus();
}

/** Applies automatic values; fields they fill lose any error (the values come from a parser or Confluence). */
function autoFill(updates: Fields, source: AutoSource): { filled: FieldName[]; kept: FieldName[] } {
  const result = applyAutoFill(state.draft, state.auto, updates, source);
  state.draft = result.draft;
  state.auto = result.auto;
  for (const name of result.filled) {
    const value = state.draft[name] ?? '';
    setFieldError(name, value.trim() === '' ? undefined : validateField(name, value));
  }
  return result;
}

function onInput(name: FieldName, value: string): void {
  state.draft[name] = value;
  delete state.auto[name]; // the user's own value from now on
  // Once a field shows an error, re-check it as the user types so the message goes away as soon
  // as it is fixed. Fields without an error are first checked when they lose focus (`change`).
  if (state.errors[name] !== undefined) setFieldError(name, validateField(name, value));
  if (name === 'cloudId') state.lookupNote = null;
  dropFixedValidationNotice();
  persist();
  sync();
  scheduleDraft();
  if (name === 'siteUrl' || name === 'cloudId') scheduleLookup();
  if (name === 'pageIds') renderTree();
}

function onChange(name: FieldName, value: string): void {
  state.draft[name] = value;
  setFieldError(name, validateField(name, value));
  dropFixedValidationNotice();
  persist();
  sync();
  flushDraft();
}

// --- Smart paste ------------------------------------------------------------------------------

function onLinkInput(value: string): void {
  state.link = value;
  persist();
  if (linkTimer !== undefined) clearTimeout(linkTimer);
  linkTimer = undefined;
  if (value.trim() === '') {
    state.linkMessage = null;
    persist();
    sync();
    return;
  }
  // A paste is read at once; typing waits for a pause, so half a link does not fill anything.
  const delay = pasted ? 0 : LINK_DEBOUNCE_MS;
  pasted = false;
  linkTimer = setTimeout(() => {
    linkTimer = undefined;
    applyLink();
  }, delay);
}

function applyLink(): void {
  const c = texts();
  const labels = state.texts?.labels;
  if (!c || !labels || state.link.trim() === '') return;
  const parsed = parseConfluenceLinks(state.link);
  if (!parsed.ok) {
    state.linkMessage = { kind: 'error', text: parsed.message };
    persist();
    sync();
    return;
  }
  const { filled, kept } = autoFill(linkUpdates(parsed, state.auto), 'link');
  const parts: string[] = [];
  if (filled.length > 0) parts.push(c.linkFilled.split('{0}').join(filled.map((name) => labels[name]).join(', ')));
  if (kept.length > 0) parts.push(c.linkKept.split('{0}').join(kept.map((name) => labels[name]).join(', ')));
  parts.push(...parsed.notes);
  state.linkMessage = parts.length > 0 ? { kind: 'info', text: parts.join(' ') } : null;
  dropFixedValidationNotice();
  persist();
  sync();
  scheduleDraft();
  renderTree();
  scheduleLookup(true);
  findSpaceOfLinkedPage(parsed.spaceKey === undefined ? parsed.pageIds[0] : undefined);
}

/**
 * A tiny link carries a page but not its space: with an Atlassian account connected, ask the host
 * for the page's space, to fill Space key and Space name where they may still be filled.
 */
function findSpaceOfLinkedPage(pageId: string | undefined): void {
  spaceOfPageRequest = -1;
  const site = normalizeSiteUrl(state.draft.siteUrl ?? '');
  if (!pageId || !site.ok || !state.connection.connected) return;
  if (!canAutoFill(state.draft, state.auto, 'spaceKey') && !canAutoFill(state.draft, state.auto, 'spaceName')) return;
  spaceOfPageRequest = nextRequestId();
  post({ type: 'findSpaceOfPage', requestId: spaceOfPageRequest, siteUrl: site.value, pageId });
}

/**
 * The settings' prefill changed: fills each field whose default is new and that is still empty
 * (never a field with something in it). Says whether a field was filled.
 */
function takeDefaults(defaults: Draft): boolean {
  let changed = false;
  for (const name of FIELD_NAMES) {
    const value = defaults[name];
    if (value && value !== state.defaults[name] && !(state.draft[name] ?? '').trim()) {
      state.draft[name] = value;
      delete state.auto[name];
      changed = true;
    }
  }
  state.defaults = defaults;
  return changed;
}

function onSpaceOfPage(message: Extract<HostMessage, { type: 'spaceOfPage' }>): void {
  if (message.requestId !== spaceOfPageRequest) return; // a later link, or the form was cleared
  spaceOfPageRequest = -1;
  const site = normalizeSiteUrl(state.draft.siteUrl ?? '');
  if (!site.ok || site.value !== message.siteUrl) return;
  // Like the link's own values: never over what the user typed.
  autoFill({ spaceKey: message.space.key, spaceName: message.space.name.trim() || message.space.key }, 'link');
  persist();
  sync();
  scheduleDraft();
}

// --- Cloud ID lookup ----------------------------------------------------------------------------

/** The site to look the cloud ID up for, when the Site URL is valid and the Cloud ID may be filled. */
function lookupSite(): string | undefined {
  const site = normalizeSiteUrl(state.draft.siteUrl ?? '');
  if (!site.ok || !canAutoFill(state.draft, state.auto, 'cloudId')) return undefined;
  if (state.auto.cloudId === 'lookup' && state.lookedUpFor === site.value) return undefined;
  return site.value;
}

/** Debounced: typing is never held up, and only the last answer counts. */
function scheduleLookup(immediate = false): void {
  if (lookupTimer !== undefined) clearTimeout(lookupTimer);
  lookupTimer = undefined;
  if (lookupSite() === undefined) {
    lookupRequest = -1;
    if (state.lookupNote?.kind === 'busy') {
      state.lookupNote = null;
      persist();
      sync();
    }
    return;
  }
  lookupTimer = setTimeout(
    () => {
      lookupTimer = undefined;
      const site = lookupSite();
      const c = texts();
      if (site === undefined || !c) return;
      lookupRequest = nextRequestId();
      state.lookupNote = { kind: 'busy', text: c.lookingUp.split('{0}').join(site), site };
      persist();
      sync();
      post({ type: 'lookupCloudId', requestId: lookupRequest, siteUrl: site });
    },
    immediate ? 0 : LOOKUP_DEBOUNCE_MS,
  );
}

function onCloudId(message: Extract<HostMessage, { type: 'cloudId' }>): void {
  if (message.requestId !== lookupRequest) return; // an earlier lookup, overtaken
  lookupRequest = -1;
  const site = normalizeSiteUrl(state.draft.siteUrl ?? '');
  if (!site.ok || site.value !== message.siteUrl) {
    state.lookupNote = null;
  } else if (message.result.ok) {
    if (canAutoFill(state.draft, state.auto, 'cloudId')) {
      state.lookedUpFor = site.value;
      autoFill({ cloudId: message.result.cloudId }, 'lookup');
    }
    state.lookupNote = null;
  } else {
    // A cloud ID looked up for another site is wrong now.
    if (state.auto.cloudId === 'lookup') autoFill({ cloudId: '' }, 'lookup');
    state.lookupNote = { kind: 'failed', text: message.result.message, site: site.value };
  }
  dropFixedValidationNotice();
  persist();
  sync();
  scheduleDraft();
}

// --- Browsing ----------------------------------------------------------------------------------

function onSpacePicked(message: Extract<HostMessage, { type: 'spacePicked' }>): void {
  const c = texts();
  if (!c) return;
  const { fill, suggest } = spaceUpdates(message.space, c.descriptionTemplate);
  // The site the space is on, unless the form names a valid site already (the host browsed that one).
  if (!normalizeSiteUrl(state.draft.siteUrl ?? '').ok && message.siteUrl) state.auto.siteUrl = 'space';
  autoFill({ siteUrl: message.siteUrl }, 'space');
  // Page IDs that came from a link to another space do not belong to this one.
  if (state.auto.pageIds === 'link' && (state.draft.spaceKey ?? '').trim() !== message.space.key) autoFill({ pageIds: '' }, 'space');
  // Choosing a space is an explicit choice: it replaces the key and the name.
  state.auto.spaceKey = 'space';
  state.auto.spaceName = 'space';
  autoFill(fill, 'space');
  autoFill(suggest, 'suggested');
  state.spacesNote = null;
  dropFixedValidationNotice();
  persist();
  sync();
  scheduleDraft();
  scheduleLookup(true);
}

function onTree(message: Extract<HostMessage, { type: 'tree' }>): void {
  const nodes: TreeModel['nodes'] = {};
  for (const page of message.pages) nodes[page.id] = { id: page.id, title: page.title, parentId: null };
  state.tree = {
    siteUrl: message.siteUrl,
    space: message.space,
    nodes,
    roots: message.pages.map((p) => p.id),
    rootsLoading: message.nextCursor !== undefined,
  };
  state.pagesNote = null;
  persist();
  renderTree();
  sync();
  if (message.nextCursor) requestPages(undefined, message.nextCursor);
  tree?.focusTree();
}

function requestPages(parentId: string | undefined, cursor?: string): void {
  const model = state.tree;
  if (!model) return;
  const requestId = nextRequestId();
  pageRequests.set(requestId, { spaceId: model.space.id, ...(parentId ? { parentId } : {}) });
  post({
    type: 'loadPages',
    requestId,
    siteUrl: model.siteUrl,
    spaceId: model.space.id,
    ...(parentId ? { parentId } : {}),
    ...(cursor ? { cursor } : {}),
  });
}

function addPages(model: TreeModel, parentId: string | null, pages: readonly PageView[]): string[] {
  const ids: string[] = [];
  for (const page of pages) {
    if (model.nodes[page.id]) continue; // a page never appears twice in one tree
    model.nodes[page.id] = { id: page.id, title: page.title, parentId };
    ids.push(page.id);
  }
  return ids;
}

function onPages(message: Extract<HostMessage, { type: 'pages' } | { type: 'pagesFailed' }>): void {
  const request = pageRequests.get(message.requestId);
  pageRequests.delete(message.requestId);
  const model = state.tree;
  if (!request || !model || model.space.id !== message.spaceId || request.parentId !== message.parentId) return;
  const parent = message.parentId ? model.nodes[message.parentId] : undefined;
  if (message.parentId && !parent) return;
  if (message.type === 'pagesFailed') {
    if (parent) {
      parent.loading = false;
      parent.error = message.message;
    } else {
      model.rootsLoading = false;
      model.rootsError = message.message;
    }
  } else {
    const ids = addPages(model, message.parentId ?? null, message.pages);
    if (parent) {
      parent.children = [...(parent.children ?? []), ...ids];
      parent.loading = message.nextCursor !== undefined;
    } else {
      model.roots.push(...ids);
      model.rootsLoading = message.nextCursor !== undefined;
    }
    // Every batch of a page's sub-pages is loaded when the page is opened.
    if (message.nextCursor) requestPages(message.parentId, message.nextCursor);
  }
  persist();
  renderTree();
}

function onToggle(id: string): void {
  const model = state.tree;
  if (!model) return;
  const text = state.draft.pageIds ?? '';
  const { add, remove } = toggleSelection(shapeOf(model), id, new Set(pageIdsIn(text)), state.includeSubPages);
  state.draft.pageIds = editPageIds(text, add, remove);
  delete state.auto.pageIds; // ticking is the user's own choice
  if (state.errors.pageIds !== undefined) setFieldError('pageIds', validateField('pageIds', state.draft.pageIds));
  dropFixedValidationNotice();
  persist();
  sync();
  renderTree();
  scheduleDraft();
}

function onBrowseEnded(message: Extract<HostMessage, { type: 'browseEnded' }>): void {
  const note = message.message ? { text: message.message, connect: message.connect } : null;
  if (message.target === 'spaces') state.spacesNote = note;
  else state.pagesNote = note;
  persist();
  sync();
}

// --- Submitting ------------------------------------------------------------------------------

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
  state.expanding = null;
  persist();
  sync();
  if (draftTimer !== undefined) clearTimeout(draftTimer);
  draftTimer = undefined;
  post({ type: 'submit', draft: state.draft, includeSubPages: state.includeSubPages });
}

/** Forgets everything filled automatically and pasted (the host replaced the draft, or Clear). */
function resetHelpers(): void {
  state.auto = {};
  state.lookedUpFor = undefined;
  state.link = '';
  state.linkMessage = null;
  state.lookupNote = null;
  state.spacesNote = null;
  state.pagesNote = null;
  lookupRequest = -1;
  spaceOfPageRequest = -1;
}

function onClear(): void {
  state.draft = { ...state.defaults };
  state.errors = {};
  state.result = null;
  resetHelpers();
  state.tree = null;
  state.includeSubPages = false;
  persist();
  sync();
  renderTree();
  post({ type: 'draftChanged', draft: state.draft });
  view?.link.focus();
  scheduleLookup(true);
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
  const link = view.link;
  link.addEventListener('paste', () => {
    pasted = true;
  });
  link.addEventListener('input', () => onLinkInput(link.value));
  view.form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit();
  });
  view.clear.addEventListener('click', onClear);
  view.browseSpaces.addEventListener('click', () => {
    state.spacesNote = null;
    persist();
    sync();
    post({ type: 'browseSpaces', siteUrl: state.draft.siteUrl ?? '' });
  });
  view.browsePages.addEventListener('click', () => {
    const c = texts();
    const spaceKey = (state.draft.spaceKey ?? '').trim();
    state.pagesNote = spaceKey === '' && c ? { text: c.needsSpaceKey, connect: false } : c ? { text: c.loadingPages, connect: false } : null;
    persist();
    sync();
    if (spaceKey !== '') post({ type: 'browsePages', siteUrl: state.draft.siteUrl ?? '', spaceKey });
  });
  const connect = () => post({ type: 'connect', siteUrl: state.draft.siteUrl ?? '' });
  view.spacesMessage.connect.addEventListener('click', connect);
  view.pagesMessage.connect.addEventListener('click', connect);
  view.alertConnect.addEventListener('click', connect);
  const include = view.includeSubPages;
  include.addEventListener('change', () => {
    state.includeSubPages = include.checked;
    persist();
    renderTree();
  });
  tree = new PageTree(view.tree, state.texts.confluence, {
    load: (id) => requestPages(id),
    toggle: onToggle,
    changed: persist,
  });
  sync();
  renderTree();
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'init': {
      // Before anything is validated or rendered: the core's messages in the display language.
      if (message.l10n) l10n.config({ contents: message.l10n });
      const first = !state.texts;
      state.texts = { strings: message.strings, labels: message.labels, hints: message.hints, confluence: message.confluence };
      // Settings changed while the page was hidden (and so gone): as if it had seen the change.
      if (first) state.defaults = message.defaults;
      else takeDefaults(message.defaults);
      state.busy = message.busy;
      state.result = message.result;
      state.connection = message.connection;
      if (message.revision !== state.revision) {
        // The host replaced the draft (new prefill, or cleared after a success): take its copy.
        state.draft = { ...message.draft };
        state.errors = {};
        state.revision = message.revision;
        resetHelpers();
      } else if (JSON.stringify(message.draft) !== JSON.stringify(state.draft)) {
        // Same revision: our copy is at least as new (a change may not have reached the host).
        post({ type: 'draftChanged', draft: state.draft });
      }
      if (message.result?.outcome === 'failure' && message.result.fieldErrors) state.errors = { ...state.errors, ...message.result.fieldErrors };
      persist();
      if (first || !view) render();
      else sync();
      if (first) {
        if (state.link.trim() === '' && !FIELD_NAMES.some((name) => (state.draft[name] ?? '').trim() !== '')) view?.link.focus();
        else view?.controls[firstInvalid() ?? firstEmpty() ?? 'siteUrl'].focus();
      }
      scheduleLookup(true);
      break;
    }
    case 'setDraft':
      state.draft = { ...message.draft };
      state.revision = message.revision;
      state.errors = {};
      resetHelpers();
      persist();
      sync();
      renderTree();
      scheduleLookup(true);
      break;
    case 'defaults': {
      const changed = takeDefaults(message.defaults);
      persist();
      sync();
      if (changed) {
        post({ type: 'draftChanged', draft: state.draft });
        scheduleLookup(true);
      }
      break;
    }
    case 'busy':
      state.busy = message.busy;
      if (!message.busy) state.expanding = null;
      persist();
      sync();
      // The disabled button dropped focus onto the form: give it back so Enter/Space work again.
      if (!message.busy && view && (document.activeElement === view.form || document.activeElement === document.body)) view.submit.focus();
      break;
    case 'result':
      state.result = message.result;
      state.expanding = null;
      if (message.result?.outcome === 'failure' && message.result.fieldErrors) {
        state.errors = { ...state.errors, ...message.result.fieldErrors };
      }
      persist();
      sync();
      if (message.result?.outcome === 'failure' && message.result.fieldErrors) focusFirstInvalid();
      break;
    case 'connection':
      state.connection = message.connection;
      if (message.connection.connected) {
        // Connecting was the fix these offered.
        if (state.spacesNote?.connect) state.spacesNote = null;
        if (state.pagesNote?.connect) state.pagesNote = null;
      }
      persist();
      sync();
      break;
    case 'cloudId':
      onCloudId(message);
      break;
    case 'spacePicked':
      onSpacePicked(message);
      break;
    case 'spaceOfPage':
      onSpaceOfPage(message);
      break;
    case 'tree':
      onTree(message);
      break;
    case 'pages':
    case 'pagesFailed':
      onPages(message);
      break;
    case 'browseEnded':
      onBrowseEnded(message);
      break;
    case 'expanding':
      state.expanding = message.found;
      sync();
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
