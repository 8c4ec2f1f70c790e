/**
 * Request and response schemas for Context7's `POST /v2/add/confluence`, and
 * the field validation shared by the webview form, the quick-input flow and
 * the client.
 *
 * Browser-safe: imports only zod and other browser-safe core modules.
 *
 * Field rules (each message starts with the field's UI label and says how to fix it):
 * - Every field is trimmed. Empty optional fields (`pageIds`, `projectId`) are omitted.
 * - `siteUrl`: see ./siteUrl (https, lower-case host, origin + path, `/wiki…` removed).
 * - `cloudId`: a UUID (8-4-4-4-12 hex digits, any case), normalized to lower case.
 *   As a convenience, the JSON answer of `/_edge/tenant_info` (`{"cloudId":"…"}`) or an
 *   admin.atlassian.com address containing `/s/<uuid>` is accepted and reduced to the UUID.
 * - `spaceKey`: ASCII letters and digits, or `~` followed by a personal-space id
 *   (letters, digits, `-`, `_`, `:`); 1..255 characters. The case is kept as typed:
 *   personal-space keys are case-sensitive, and Context7/Confluence resolve keys themselves.
 * - `pageIds`: see ./pageIds.
 * - `spaceName`: required, at most 200 characters.
 * - `title`: required, at most 100 characters (a library title is shown in lists and
 *   search results on context7.com; longer text belongs in the description).
 * - `description`: required, at most 500 characters (a short summary, not documentation).
 * - `projectId`: optional, at most 200 characters, no whitespace inside.
 * Lengths are counted in UTF-16 code units (JavaScript string length), as a server would.
 */
import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { FIELD_NAMES, fieldLabel, isFieldName, quoteInput, type FieldName } from './fields';
import { pageIdsFieldMessage, parsePageIds } from './pageIds';
import { normalizeSiteUrl } from './siteUrl';

export { FIELD_LABELS, FIELD_NAMES, REQUIRED_FIELDS, fieldLabel, isFieldName, type FieldName } from './fields';

/** Maximum lengths of the free-text fields. */
export const FIELD_MAX_LENGTHS = {
  spaceKey: 255,
  spaceName: 200,
  title: 100,
  description: 500,
  projectId: 200,
} as const;

/** Raw text as typed in the form; `pageIds` is free text (IDs or page links). */
export type AddSpaceDraft = Partial<Record<FieldName, string>>;

/** The JSON body sent to Context7. */
export interface AddConfluenceRequest {
  cloudId: string;
  siteUrl: string;
  spaceKey: string;
  spaceName: string;
  title: string;
  description: string;
  pageIds?: string[];
  projectId?: string;
}

export type FieldErrors = Partial<Record<FieldName, string>>;

type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_INSIDE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
function cloudIdHelp(): string {
  return l10n.t(
    'Find it at {0} (the "cloudId" value), or in the address bar of {1} (the part after /s/).',
    'https://<your-site>.atlassian.net/_edge/tenant_info',
    'admin.atlassian.com',
  );
}

/** Reads a raw value as text: `undefined`/`null` count as empty; anything else but a string is a type error. */
function asText(name: FieldName, value: unknown): Checked<string> {
  if (value === undefined || value === null) return { ok: true, value: '' };
  if (typeof value !== 'string') return { ok: false, message: l10n.t('{0} must be text.', fieldLabel(name)) };
  return { ok: true, value: value.trim() };
}

/** The messages of a required free-text field, each a whole sentence for translators. */
interface RequiredTextMessages {
  empty(): string;
  tooLong(length: number, max: number): string;
}

function requiredText(max: number, text: string, messages: RequiredTextMessages): Checked<string> {
  if (text === '') return { ok: false, message: messages.empty() };
  if (text.length > max) return { ok: false, message: messages.tooLong(text.length, max) };
  return { ok: true, value: text };
}

function checkCloudId(text: string): Checked<string> {
  if (text === '') return { ok: false, message: `${l10n.t('Cloud ID is required.')} ${cloudIdHelp()}` };
  if (UUID.test(text)) return { ok: true, value: text.toLowerCase() };
  // Pasted tenant_info JSON or an admin.atlassian.com address: take the one UUID in it.
  const found = text.match(UUID_INSIDE) ?? [];
  if (found.length === 1 && (/"cloudId"\s*:/.test(text) || /\/s\/[0-9a-f-]{36}(?:[/?#]|$)/i.test(text))) {
    return { ok: true, value: found[0].toLowerCase() };
  }
  return {
    ok: false,
    message: `${l10n.t('Cloud ID must be a UUID such as {0}, but {1} is not.', '5c3a1f2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b', quoteInput(text))} ${cloudIdHelp()}`,
  };
}

function checkSpaceKey(text: string): Checked<string> {
  const whereToFind = () => l10n.t('Copy it from the space address: {0}.', '…/wiki/spaces/<KEY>/…');
  if (text === '') return { ok: false, message: `${l10n.t('Space key is required.')} ${whereToFind()}` };
  const fromLink = /\/spaces\/([^/?#]+)/.exec(text);
  if (fromLink && text.includes('/')) {
    return {
      ok: false,
      message: l10n.t('Space key should be only the key, not a link: enter {0}.', quoteInput(decodeSafe(fromLink[1]))),
    };
  }
  if (text.length > FIELD_MAX_LENGTHS.spaceKey) {
    return { ok: false, message: l10n.t('Space key is too long: a space key has at most {0} characters.', FIELD_MAX_LENGTHS.spaceKey) };
  }
  if (/^[A-Za-z0-9]+$/.test(text) || /^~[A-Za-z0-9_:-]+$/.test(text)) return { ok: true, value: text };
  return {
    ok: false,
    message: `${l10n.t(
      'Space key {0} is not valid: use only letters and digits (e.g. DOCS), or ~ followed by a personal space ID (e.g. ~5b1234abcd).',
      quoteInput(text),
    )} ${whereToFind()}`,
  };
}

function checkProjectId(text: string): Checked<string | undefined> {
  if (text === '') return { ok: true, value: undefined };
  if (text.length > FIELD_MAX_LENGTHS.projectId) {
    return {
      ok: false,
      message: l10n.t('Project ID is too long ({0} characters): it has at most {1}, or leave it empty.', text.length, FIELD_MAX_LENGTHS.projectId),
    };
  }
  if (/\s/.test(text)) {
    return { ok: false, message: l10n.t('Project ID must not contain spaces: paste the ID exactly, or leave it empty.') };
  }
  return { ok: true, value: text };
}

function checkPageIds(value: unknown): Checked<string[] | undefined> {
  let parsed;
  if (Array.isArray(value)) {
    parsed = parsePageIds(value);
  } else {
    const text = asText('pageIds', value);
    if (!text.ok) return text;
    parsed = parsePageIds(text.value);
  }
  const message = pageIdsFieldMessage(parsed);
  if (message !== undefined) return { ok: false, message };
  return { ok: true, value: parsed.ids.length > 0 ? parsed.ids : undefined };
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Validates and normalizes one raw field value. The single source of every field message. */
export function checkField(name: FieldName, value: unknown): Checked<string | string[] | undefined> {
  if (name === 'pageIds') return checkPageIds(value);
  const text = asText(name, value);
  if (!text.ok) return text;
  switch (name) {
    case 'siteUrl': {
      const result = normalizeSiteUrl(text.value);
      return result.ok ? result : { ok: false, message: result.message };
    }
    case 'cloudId':
      return checkCloudId(text.value);
    case 'spaceKey':
      return checkSpaceKey(text.value);
    case 'spaceName':
      return requiredText(FIELD_MAX_LENGTHS.spaceName, text.value, {
        empty: () => l10n.t("Space name is required: enter the space's name as shown in Confluence."),
        tooLong: (length, max) => l10n.t('Space name is too long ({0} characters): shorten it to at most {1}.', length, max),
      });
    case 'title':
      return requiredText(FIELD_MAX_LENGTHS.title, text.value, {
        empty: () => l10n.t('Title is required: enter a name for the library on Context7 (for example the space name).'),
        tooLong: (length, max) => l10n.t('Title is too long ({0} characters): shorten it to at most {1}.', length, max),
      });
    case 'description':
      return requiredText(FIELD_MAX_LENGTHS.description, text.value, {
        empty: () => l10n.t('Description is required: describe in a sentence what this documentation covers.'),
        tooLong: (length, max) => l10n.t('Description is too long ({0} characters): shorten it to at most {1}.', length, max),
      });
    case 'projectId':
      return checkProjectId(text.value);
  }
}

/** The message for one field, or `undefined` when the value is valid. Same text as {@link validateDraft} gives. */
export function validateField(name: FieldName, value: string): string | undefined {
  const result = checkField(name, value);
  return result.ok ? undefined : result.message;
}

function fieldSchema<T>(name: FieldName): z.ZodType<T> {
  return z.unknown().transform((input, ctx) => {
    const result = checkField(name, input);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.message, input });
      return z.NEVER;
    }
    return result.value as T;
  });
}

function asRecord(value: unknown): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/**
 * Validates and normalizes a draft-like object (raw form text, or an already
 * built request with `pageIds` as an array) into the request body. Unknown keys
 * are dropped; a non-object input is treated as an empty draft.
 */
export const addConfluenceRequestSchema: z.ZodType<AddConfluenceRequest> = z
  .preprocess(
    asRecord,
    z.object({
      siteUrl: fieldSchema<string>('siteUrl'),
      cloudId: fieldSchema<string>('cloudId'),
      spaceKey: fieldSchema<string>('spaceKey'),
      spaceName: fieldSchema<string>('spaceName'),
      // Optional keys may be absent (zod then skips them); a present blank value normalizes to undefined.
      pageIds: fieldSchema<string[] | undefined>('pageIds').optional(),
      title: fieldSchema<string>('title'),
      description: fieldSchema<string>('description'),
      projectId: fieldSchema<string | undefined>('projectId').optional(),
    }),
  )
  .transform((fields): AddConfluenceRequest => {
    // Build the body in a fixed order, leaving out empty optionals entirely.
    const request: AddConfluenceRequest = {
      cloudId: fields.cloudId,
      siteUrl: fields.siteUrl,
      spaceKey: fields.spaceKey,
      spaceName: fields.spaceName,
      title: fields.title,
      description: fields.description,
    };
    if (fields.pageIds !== undefined) request.pageIds = fields.pageIds;
    if (fields.projectId !== undefined) request.projectId = fields.projectId;
    return request;
  });

export type DraftValidation = { ok: true; request: AddConfluenceRequest } | { ok: false; errors: FieldErrors };

/** Validates a whole draft; on failure returns one message per invalid field. Never throws. */
export function validateDraft(draft: AddSpaceDraft | AddConfluenceRequest): DraftValidation {
  const parsed = addConfluenceRequestSchema.safeParse(draft);
  if (parsed.success) return { ok: true, request: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (isFieldName(field) && errors[field] === undefined) errors[field] = issue.message;
  }
  if (Object.keys(errors).length === 0) {
    // Not reachable with the schema above (every issue is attached to a field); kept as a safety net.
    errors.siteUrl = l10n.t('Site URL: the form could not be read. Reopen the form and try again.');
  }
  return { ok: false, errors };
}

/** Fields with errors, in form order. */
export function erroredFields(errors: FieldErrors): FieldName[] {
  return FIELD_NAMES.filter((name) => errors[name] !== undefined);
}

/** One sentence summarizing field errors (for notifications and logs). */
export function describeFieldErrors(errors: FieldErrors): string {
  const fields = erroredFields(errors);
  if (fields.length === 0) return l10n.t('The form has no errors.');
  const first = errors[fields[0]] as string;
  if (fields.length === 1) return first;
  const others = fields.slice(1).map(fieldLabel);
  return l10n.t('{0} Also check: {1}.', first, others.join(', '));
}

// --- Responses ---------------------------------------------------------------

/**
 * 200 body. `libraryName` must be non-empty: it is the library's path on
 * context7.com and the UI builds a link from it.
 */
export const addConfluenceSuccessSchema = z.object({
  libraryName: z.string().trim().min(1),
  message: z.string(),
});
export type AddConfluenceSuccess = z.infer<typeof addConfluenceSuccessSchema>;

/** Error body of every documented non-200 answer (`components.schemas.Error`). */
export const apiErrorSchema = z.object({
  error: z.string(),
  message: z.string(),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;
