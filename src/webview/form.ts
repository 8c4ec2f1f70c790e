/**
 * Builds the "Add Confluence Space" form with `createElement` and `textContent` only: no HTML
 * string ever reaches the DOM, so nothing the user typed or the server said can become markup.
 */
import { FIELD_NAMES, REQUIRED_FIELDS, type FieldName } from '../core/schema';
import type { PerField, Strings } from '../shared/protocol';

export type Control = HTMLInputElement | HTMLTextAreaElement;

export interface FormView {
  form: HTMLFormElement;
  controls: Record<FieldName, Control>;
  errors: Record<FieldName, HTMLElement>;
  submit: HTMLButtonElement;
  clear: HTMLButtonElement;
  /** Polite live region: "Submitting…", success. */
  status: HTMLElement;
  /** Assertive live region: a failed submission. */
  alert: HTMLElement;
}

export interface FormTexts {
  strings: Strings;
  labels: PerField;
  hints: PerField;
}

/** Multi-line fields; everything else is a one-line text input. */
const TEXTAREAS: ReadonlySet<FieldName> = new Set<FieldName>(['pageIds', 'description']);

export const controlId = (name: FieldName): string => `field-${name}`;
export const hintId = (name: FieldName): string => `hint-${name}`;
export const errorId = (name: FieldName): string => `error-${name}`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; id?: string; text?: string } = {}): HTMLElementTagNameMap[K] {
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

export function buildForm(root: HTMLElement, texts: FormTexts): FormView {
  const { strings, labels, hints } = texts;
  root.replaceChildren();

  const heading = el('h1', { text: strings.heading });
  const intro = el('p', { className: 'intro', text: strings.intro });
  const note = el('p', { className: 'required-note' });
  note.append(requiredMarker(), document.createTextNode(` ${strings.requiredNote}`));

  const form = el('form', { id: 'add-space-form' });
  form.noValidate = true; // our inline messages replace the browser's bubbles
  form.setAttribute('aria-labelledby', 'form-heading');
  heading.id = 'form-heading';

  const controls = {} as Record<FieldName, Control>;
  const errors = {} as Record<FieldName, HTMLElement>;

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

    // As in VS Code's settings editor: the name, what it is, then the control; the error under it.
    row.append(labelRow, hint, control, error);
    form.append(row);
    controls[name] = control;
    errors[name] = error;
  }

  const status = el('div', { className: 'banner', id: 'status' });
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const alert = el('div', { className: 'banner', id: 'alert' });
  alert.setAttribute('role', 'alert');

  const actions = el('div', { className: 'actions' });
  const submit = el('button', { className: 'primary', text: strings.addSpace });
  submit.type = 'submit';
  const clear = el('button', { className: 'secondary', text: strings.clear });
  clear.type = 'button';
  actions.append(submit, clear);
  form.append(actions);

  // The live regions sit right under the button, where the eye is after pressing it.
  root.append(heading, intro, note, form, status, alert);
  return { form, controls, errors, submit, clear, status, alert };
}
