/**
 * Builds the "Add Confluence Space" form with `createElement` and `textContent` only: no HTML
 * string ever reaches the DOM, so nothing the user typed or the server said can become markup.
 */
import { FIELD_NAMES, REQUIRED_FIELDS, type FieldName } from '../core/schema';
import type { ConfluenceStrings, PerField, Strings } from '../shared/protocol';

export type Control = HTMLInputElement | HTMLTextAreaElement;

/** A message next to a browse button, with a "Connect Atlassian Account" button shown when that is the fix. */
export interface BrowseMessage {
  box: HTMLElement;
  text: HTMLElement;
  connect: HTMLButtonElement;
}

export interface FormView {
  form: HTMLFormElement;
  controls: Record<FieldName, Control>;
  errors: Record<FieldName, HTMLElement>;
  /** Per field: "Filled in from the link", "Looked up from …" (hidden when the value is the user's). */
  autoNotes: Record<FieldName, HTMLElement>;
  submit: HTMLButtonElement;
  clear: HTMLButtonElement;
  /** Polite live region: "Submitting…", success. */
  status: HTMLElement;
  /** Assertive live region: a failed submission. */
  alert: HTMLElement;
  /** Next to the alert: "Connect Atlassian Account" when a Confluence call needs credentials. */
  alertConnect: HTMLButtonElement;
  /** The "Confluence link" field and what it says about the paste. */
  link: HTMLTextAreaElement;
  linkMessage: HTMLElement;
  /** Under Cloud ID: the lookup in progress, or why it failed (quiet, polite). */
  lookupNote: HTMLElement;
  browseSpaces: HTMLButtonElement;
  spacesMessage: BrowseMessage;
  connectionNote: HTMLElement;
  browsePages: HTMLButtonElement;
  includeSubPages: HTMLInputElement;
  pagesMessage: BrowseMessage;
  /** The page tree's container (hidden until a space's pages are shown). */
  tree: HTMLElement;
}

export interface FormTexts {
  strings: Strings;
  labels: PerField;
  hints: PerField;
  confluence: ConfluenceStrings;
}

/** Multi-line fields; everything else is a one-line text input. */
const TEXTAREAS: ReadonlySet<FieldName> = new Set<FieldName>(['pageIds', 'description']);

export const LINK_ID = 'field-link';
export const controlId = (name: FieldName): string => `field-${name}`;
export const hintId = (name: FieldName): string => `hint-${name}`;
export const errorId = (name: FieldName): string => `error-${name}`;
export const autoNoteId = (name: FieldName): string => `auto-${name}`;
export const LOOKUP_NOTE_ID = 'lookup-cloudId';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; id?: string; text?: string } = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.id) node.id = props.id;
  if (props.text !== undefined) node.textContent = props.text;
  return node;
}

function requiredMarker(): HTMLElement {
  // Outside the <label>, so the label's text (its accessible name) is exactly the field's name;
  // hidden from screen readers, which hear aria-required instead.
  const marker = el('span', { className: 'required-marker', text: '*' });
  marker.setAttribute('aria-hidden', 'true');
  return marker;
}

function browseMessage(id: string, connectText: string): BrowseMessage {
  const box = el('div', { className: 'browse-message', id });
  const text = el('span');
  text.setAttribute('aria-live', 'polite');
  const connect = el('button', { className: 'secondary small', text: connectText });
  connect.type = 'button';
  connect.hidden = true;
  box.append(text, connect);
  box.hidden = true;
  return { box, text, connect };
}

export function buildForm(root: HTMLElement, texts: FormTexts): FormView {
  const { strings, labels, hints, confluence: c } = texts;
  root.replaceChildren();

  const heading = el('h1', { text: strings.heading });
  const intro = el('p', { className: 'intro', text: strings.intro });
  const note = el('p', { className: 'required-note' });
  note.append(requiredMarker(), document.createTextNode(` ${strings.requiredNote}`));

  const form = el('form', { id: 'add-space-form' });
  form.noValidate = true; // our inline messages replace the browser's bubbles
  form.setAttribute('aria-labelledby', 'form-heading');
  heading.id = 'form-heading';

  // Smart paste, first: one paste fills the site, the space and the pages.
  const linkRow = el('div', { className: 'field field-link' });
  const linkLabel = el('label', { text: c.linkLabel });
  linkLabel.htmlFor = LINK_ID;
  const linkLabelRow = el('div', { className: 'label-row' });
  linkLabelRow.append(linkLabel);
  const linkHint = el('p', { className: 'hint', id: 'hint-link', text: c.linkHint });
  const link = el('textarea', { id: LINK_ID });
  link.name = 'link';
  link.rows = 2;
  link.spellcheck = false;
  link.autocomplete = 'off';
  link.setAttribute('autocapitalize', 'off');
  link.placeholder = 'https://your-site.atlassian.net/wiki/spaces/KEY/pages/123456/Title';
  link.setAttribute('aria-describedby', 'hint-link');
  const linkMessage = el('p', { className: 'link-message', id: 'link-message' });
  // Polite: what a paste filled in, or why it could not be used, is read out without moving focus.
  linkMessage.setAttribute('aria-live', 'polite');
  linkMessage.hidden = true;
  linkRow.append(linkLabelRow, linkHint, link, linkMessage);
  form.append(linkRow);

  const controls = {} as Record<FieldName, Control>;
  const errors = {} as Record<FieldName, HTMLElement>;
  const autoNotes = {} as Record<FieldName, HTMLElement>;
  let lookupNote: HTMLElement | undefined;
  let browseSpaces: HTMLButtonElement | undefined;
  let spacesMessage: BrowseMessage | undefined;
  let connectionNote: HTMLElement | undefined;
  let browsePages: HTMLButtonElement | undefined;
  let includeSubPages: HTMLInputElement | undefined;
  let pagesMessage: BrowseMessage | undefined;
  let tree: HTMLElement | undefined;

  for (const name of FIELD_NAMES) {
    const required = REQUIRED_FIELDS.includes(name);
    const row = el('div', { className: `field field-${name}` });

    const labelRow = el('div', { className: 'label-row' });
    const label = el('label', { text: labels[name] });
    label.htmlFor = controlId(name);
    labelRow.append(label);
    if (required) labelRow.append(requiredMarker());

    const control: Control = TEXTAREAS.has(name) ? el('textarea') : el('input');
    if (control instanceof HTMLInputElement) control.type = 'text';
    else control.rows = name === 'pageIds' ? 3 : 2;
    control.id = controlId(name);
    control.name = name;
    control.spellcheck = name === 'title' || name === 'description' || name === 'spaceName';
    control.autocomplete = 'off';
    control.setAttribute('autocapitalize', 'off');
    control.setAttribute('aria-describedby', hintId(name));
    if (name === 'siteUrl') control.inputMode = 'url';
    if (required) control.setAttribute('aria-required', 'true');

    const hint = el('p', { className: 'hint', id: hintId(name), text: hints[name] });
    const error = el('p', { className: 'error', id: errorId(name) });
    error.hidden = true;
    const autoNote = el('p', { className: 'auto-note', id: autoNoteId(name) });
    autoNote.hidden = true;

    // As in VS Code's settings editor: the name, what it is, then the control; the error under it.
    row.append(labelRow, hint);
    if (name === 'spaceKey') {
      const line = el('div', { className: 'control-with-button' });
      browseSpaces = el('button', { className: 'secondary', id: 'browse-spaces', text: c.browseSpaces });
      browseSpaces.type = 'button';
      line.append(control, browseSpaces);
      row.append(line, error, autoNote);
      connectionNote = el('p', { className: 'hint connection-note', id: 'connection-note' });
      spacesMessage = browseMessage('spaces-message', c.connect);
      row.append(spacesMessage.box, connectionNote);
    } else {
      row.append(control, error, autoNote);
    }
    if (name === 'cloudId') {
      lookupNote = el('p', { className: 'lookup-note', id: LOOKUP_NOTE_ID });
      lookupNote.setAttribute('role', 'status');
      row.append(lookupNote);
    }
    if (name === 'pageIds') {
      const tools = el('div', { className: 'page-tools' });
      browsePages = el('button', { className: 'secondary', id: 'browse-pages', text: c.browsePages });
      browsePages.type = 'button';
      const includeLabel = el('label', { className: 'checkbox-label' });
      includeSubPages = el('input', { id: 'include-subpages' });
      includeSubPages.type = 'checkbox';
      includeSubPages.setAttribute('aria-describedby', 'include-subpages-hint');
      includeLabel.append(includeSubPages, document.createTextNode(` ${c.includeSubPages}`));
      tools.append(browsePages, includeLabel);
      const includeHint = el('p', { className: 'hint', id: 'include-subpages-hint', text: c.includeSubPagesHint });
      const pinned = el('p', { className: 'hint pinned-note', id: 'pinned-note', text: c.pinnedNote });
      pagesMessage = browseMessage('pages-message', c.connect);
      tree = el('div', { className: 'page-tree', id: 'page-tree' });
      tree.hidden = true;
      row.append(tools, includeHint, pinned, pagesMessage.box, tree);
    }
    form.append(row);
    controls[name] = control;
    errors[name] = error;
    autoNotes[name] = autoNote;
  }

  const status = el('div', { className: 'banner', id: 'status' });
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const alert = el('div', { className: 'banner', id: 'alert' });
  alert.setAttribute('role', 'alert');
  const alertConnect = el('button', { className: 'secondary alert-connect', text: c.connect });
  alertConnect.type = 'button';
  alertConnect.hidden = true;

  const actions = el('div', { className: 'actions' });
  const submit = el('button', { className: 'primary', text: strings.addSpace });
  submit.type = 'submit';
  const clear = el('button', { className: 'secondary', text: strings.clear });
  clear.type = 'button';
  actions.append(submit, clear);
  form.append(actions);

  // The live regions sit right under the button, where the eye is after pressing it.
  root.append(heading, intro, note, form, status, alert, alertConnect);
  if (!lookupNote || !browseSpaces || !spacesMessage || !connectionNote || !browsePages || !includeSubPages || !pagesMessage || !tree) {
    throw new Error('the form is missing a Confluence control');
  }
  return {
    form,
    controls,
    errors,
    autoNotes,
    submit,
    clear,
    status,
    alert,
    alertConnect,
    link,
    linkMessage,
    lookupNote,
    browseSpaces,
    spacesMessage,
    connectionNote,
    browsePages,
    includeSubPages,
    pagesMessage,
    tree,
  };
}
