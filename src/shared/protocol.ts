/**
 * The messages between the "Add Confluence Space" webview and the extension host, declared once.
 *
 * Both directions are zod discriminated unions on `type`. The host parses every message that
 * comes out of the webview (`parseWebviewMessage`) and logs and drops anything that does not
 * match; the webview parses what the host posts (`parseHostMessage`) the same way. Objects are
 * strict: an unknown key is a malformed message, not something to ignore.
 *
 * This module is bundled into the webview, so it must never import `vscode`.
 */
import * as z from 'zod';
import { FIELD_NAMES, type FieldName } from '../core/schema';

/** Longest text accepted for one field. Page IDs may be a long list of page URLs. */
export const MAX_FIELD_LENGTH = 20_000;
/** Longest message text (server text included) that crosses the boundary. */
export const MAX_MESSAGE_LENGTH = 4_000;

const fieldValue = z.string().max(MAX_FIELD_LENGTH);
const messageText = z.string().max(MAX_MESSAGE_LENGTH);
const fieldName = z.enum(FIELD_NAMES);

/** What the user typed, field by field, as raw text. Every key is optional. */
export const DraftSchema = z.strictObject(
  Object.fromEntries(FIELD_NAMES.map((name) => [name, fieldValue.optional()])) as Record<FieldName, z.ZodOptional<typeof fieldValue>>,
);
export type Draft = z.infer<typeof DraftSchema>;

/** One text per field (labels, hints): every field must be present. */
const perField = z.strictObject(
  Object.fromEntries(FIELD_NAMES.map((name) => [name, messageText])) as Record<FieldName, typeof messageText>,
);
export type PerField = z.infer<typeof perField>;

export const FieldErrorsSchema = z.partialRecord(fieldName, messageText);

/** Ids the webview gives its requests, echoed by the host so late answers can be told apart. */
const requestId = z.number().int().nonnegative();
/** Confluence space and page IDs are numbers (as text). */
const contentId = z.string().regex(/^\d{1,25}$/);
/** A paging cursor handed out by Confluence (opaque). */
const cursor = z.string().min(1).max(2_000);

/** A space as the form shows it. */
export const SpaceViewSchema = z.strictObject({ id: contentId, key: z.string().min(1).max(255), name: messageText });
export type SpaceView = z.infer<typeof SpaceViewSchema>;

/** A page as the tree shows it. Its title is Confluence's text: render it as text. */
export const PageViewSchema = z.strictObject({ id: contentId, title: messageText });
export type PageView = z.infer<typeof PageViewSchema>;

/** Whether an Atlassian account is connected (never the token). */
export const ConnectionSchema = z.strictObject({
  connected: z.boolean(),
  email: messageText.optional(),
  siteUrl: messageText.optional(),
});
export type Connection = z.infer<typeof ConnectionSchema>;

// ---------------------------------------------------------------------------------------------
// webview -> host

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  /** The script has loaded and listens: the host answers with `init`. Sent on every (re)load. */
  z.strictObject({ type: z.literal('ready') }),
  /** The fields changed (debounced): the host keeps the draft so it survives closing the panel. */
  z.strictObject({ type: z.literal('draftChanged'), draft: DraftSchema }),
  /**
   * The user pressed "Add Space" on a form that passed inline validation. With `includeSubPages`,
   * the host first expands the page IDs through their sub-pages.
   */
  z.strictObject({ type: z.literal('submit'), draft: DraftSchema, includeSubPages: z.boolean().optional() }),
  /** "Add Space" was pressed but inline validation stopped it (nothing is submitted): for the log. */
  z.strictObject({ type: z.literal('invalid'), fields: z.array(fieldName).min(1).max(FIELD_NAMES.length) }),
  /** Something went wrong inside the webview (a malformed host message, an exception): for the log. */
  z.strictObject({ type: z.literal('problem'), message: messageText }),
  /** The Site URL is valid and the Cloud ID empty (or filled by an earlier lookup): look it up. */
  z.strictObject({ type: z.literal('lookupCloudId'), requestId, siteUrl: fieldValue }),
  /**
   * A pasted link named pages but not their space (a tiny link): with an Atlassian account, the
   * host may find the space of the first page. Without one nothing comes back.
   */
  z.strictObject({ type: z.literal('findSpaceOfPage'), requestId, siteUrl: fieldValue, pageId: contentId }),
  /** "Browse spaces…": open the space picker (connecting an account first when none is). `siteUrl` is the form's, possibly empty. */
  z.strictObject({ type: z.literal('browseSpaces'), siteUrl: fieldValue }),
  /** "Browse pages…": show the page tree of the space with this key. */
  z.strictObject({ type: z.literal('browsePages'), siteUrl: fieldValue, spaceKey: fieldValue }),
  /** Load one batch of top-level pages (no `parentId`) or of a page's sub-pages. */
  z.strictObject({
    type: z.literal('loadPages'),
    requestId,
    siteUrl: fieldValue,
    spaceId: contentId,
    parentId: contentId.optional(),
    cursor: cursor.optional(),
  }),
  /** "Connect Atlassian Account" inside the form. */
  z.strictObject({ type: z.literal('connect'), siteUrl: fieldValue }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

// ---------------------------------------------------------------------------------------------
// host -> webview

/** The webview's own texts, localized by the host with `vscode.l10n.t`. */
export const StringsSchema = z.strictObject({
  heading: messageText,
  intro: messageText,
  requiredNote: messageText,
  addSpace: messageText,
  clear: messageText,
  submitting: messageText,
  fixErrors: messageText,
});
export type Strings = z.infer<typeof StringsSchema>;

/** The texts of the Confluence helpers (smart paste, lookup, browsing), localized by the host. */
export const ConfluenceStringsSchema = z.strictObject({
  linkLabel: messageText,
  linkHint: messageText,
  /** "Filled: {0}." with the filled fields' labels. */
  linkFilled: messageText,
  /** "Kept what you typed in {0}." */
  linkKept: messageText,
  /** Per source: the note shown on a field filled automatically. `lookedUp` has `{0}` for the site. */
  filledFromLink: messageText,
  lookedUp: messageText,
  filledFromSpace: messageText,
  suggested: messageText,
  /** "Looking up the cloud ID of {0}…" */
  lookingUp: messageText,
  browseSpaces: messageText,
  browsePages: messageText,
  /** "Browsing as {0}." */
  connectedAs: messageText,
  notConnected: messageText,
  connect: messageText,
  includeSubPages: messageText,
  includeSubPagesHint: messageText,
  pinnedNote: messageText,
  /** "Pages of {0}" */
  pagesOf: messageText,
  loading: messageText,
  loadingPages: messageText,
  noPages: messageText,
  /** Title of a page included through its selected parent. */
  includedWithParent: messageText,
  /** Hint for the tree's keyboard use. */
  treeKeys: messageText,
  needsSpaceKey: messageText,
  findingSubPages: messageText,
  /** "{0} documentation from Confluence": the suggested description. */
  descriptionTemplate: messageText,
});
export type ConfluenceStrings = z.infer<typeof ConfluenceStringsSchema>;

/** The outcome of the last submission, shown in the form. `message` may hold server text: render it as text. */
export const ResultViewSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('success'), message: messageText, libraryName: messageText }),
  z.strictObject({ outcome: z.literal('alreadyProcessing'), message: messageText }),
  z.strictObject({
    outcome: z.literal('failure'),
    kind: z.string().max(100),
    message: messageText,
    fieldErrors: FieldErrorsSchema.optional(),
    /** Offer "Connect Atlassian Account" next to the message (a Confluence call needs credentials). */
    connect: z.boolean().optional(),
  }),
]);
export type ResultView = z.infer<typeof ResultViewSchema>;

const revision = z.number().int().nonnegative();

export const InitMessageSchema = z.strictObject({
  type: z.literal('init'),
  strings: StringsSchema,
  labels: perField,
  hints: perField,
  /** The draft to show, already merged: settings, then the kept draft, then the command's argument. */
  draft: DraftSchema,
  /** The settings' prefill (`context7.confluence.*`), used by "Clear". */
  defaults: DraftSchema,
  /**
   * Bumped by the host whenever it replaces the draft (new prefill, cleared after success). A webview
   * restored from `getState` with the same revision keeps its own copy, which may be newer than the
   * host's (a debounced change still in flight when the panel was hidden).
   */
  revision,
  busy: z.boolean(),
  result: ResultViewSchema.nullable(),
  confluence: ConfluenceStringsSchema,
  connection: ConnectionSchema,
  /**
   * VS Code's translations of this extension (`vscode.l10n.bundle`), when the display language
   * has any: the validation messages the page computes with the core schemas use them too.
   */
  l10n: z.record(z.string(), z.string()).optional(),
});
export type InitMessage = z.infer<typeof InitMessageSchema>;

export const HostMessageSchema = z.discriminatedUnion('type', [
  InitMessageSchema,
  /** Replace the fields (the command ran again with an argument, or the draft was cleared). */
  z.strictObject({ type: z.literal('setDraft'), draft: DraftSchema, revision }),
  /** The settings' prefill changed: fill the fields that are still empty. */
  z.strictObject({ type: z.literal('defaults'), defaults: DraftSchema }),
  /** A submission started or ended: the submit button is disabled while `busy`. */
  z.strictObject({ type: z.literal('busy'), busy: z.boolean() }),
  /** The outcome of a submission, or `null` to clear the last one. */
  z.strictObject({ type: z.literal('result'), result: ResultViewSchema.nullable() }),
  /** An Atlassian account was connected or disconnected (in this window or another). */
  z.strictObject({ type: z.literal('connection'), connection: ConnectionSchema }),
  /** The answer to `lookupCloudId`. A failure's message says how to find the ID by hand. */
  z.strictObject({
    type: z.literal('cloudId'),
    requestId,
    siteUrl: fieldValue,
    result: z.discriminatedUnion('ok', [
      z.strictObject({ ok: z.literal(true), cloudId: z.guid() }),
      z.strictObject({ ok: z.literal(false), message: messageText }),
    ]),
  }),
  /** The answer to `findSpaceOfPage`: the space the page is in. */
  z.strictObject({ type: z.literal('spaceOfPage'), requestId, siteUrl: fieldValue, pageId: contentId, space: SpaceViewSchema }),
  /** A space was chosen in the space picker, on this site. */
  z.strictObject({ type: z.literal('spacePicked'), siteUrl: fieldValue, space: SpaceViewSchema }),
  /** Show the page tree of a space, with its first top-level pages. */
  z.strictObject({
    type: z.literal('tree'),
    siteUrl: fieldValue,
    space: SpaceViewSchema,
    pages: z.array(PageViewSchema).max(1_000),
    nextCursor: cursor.optional(),
  }),
  /** The answer to `loadPages`. */
  z.strictObject({
    type: z.literal('pages'),
    requestId,
    spaceId: contentId,
    parentId: contentId.optional(),
    pages: z.array(PageViewSchema).max(1_000),
    nextCursor: cursor.optional(),
  }),
  /** `loadPages` failed. */
  z.strictObject({ type: z.literal('pagesFailed'), requestId, spaceId: contentId, parentId: contentId.optional(), message: messageText }),
  /**
   * Browsing ended without a space or a tree: an error to show next to its button (`message` empty
   * when there is nothing to say, e.g. the picker was closed), and whether to offer connecting.
   */
  z.strictObject({ type: z.literal('browseEnded'), target: z.enum(['spaces', 'pages']), message: messageText, connect: z.boolean() }),
  /** Sub-pages are being found before submitting: a count so far for the form's status line. */
  z.strictObject({ type: z.literal('expanding'), found: z.number().int().nonnegative() }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

// ---------------------------------------------------------------------------------------------
// parsing

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

/**
 * Describes why a message was rejected without echoing its values (a draft is the user's text):
 * the message's `type` when it has a string one, and each issue's path and zod message.
 */
function describe(raw: unknown, error: z.ZodError): string {
  const type =
    raw !== null && typeof raw === 'object' && typeof (raw as { type?: unknown }).type === 'string'
      ? JSON.stringify((raw as { type: string }).type.slice(0, 40))
      : raw === null
        ? 'null'
        : Array.isArray(raw)
          ? 'array'
          : typeof raw;
  const issues = error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
  return `type ${type}: ${issues}`;
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const result = schema.safeParse(raw);
  return result.success ? { ok: true, message: result.data } : { ok: false, error: describe(raw, result.error) };
}

/** Host side: every message posted by the webview goes through here. */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  return parseWith(WebviewMessageSchema, raw);
}

/** Webview side: every message posted by the host goes through here. */
export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  return parseWith(HostMessageSchema, raw);
}

/** Keeps only the fields of a draft that hold something other than blanks. */
export function compactDraft(draft: Draft): Draft {
  const out: Draft = {};
  for (const name of FIELD_NAMES) {
    const value = draft[name];
    if (typeof value === 'string' && value.trim() !== '') out[name] = value;
  }
  return out;
}

/**
 * What of a draft is worth keeping: its non-blank fields, less those that only repeat the settings'
 * prefill. A value that came from settings is read from settings again next time, so a changed
 * setting shows; a value typed over it is kept.
 */
export function draftToKeep(draft: Draft, defaults: Draft): Draft {
  const out = compactDraft(draft);
  for (const name of FIELD_NAMES) if (out[name] !== undefined && out[name]?.trim() === defaults[name]?.trim()) delete out[name];
  return out;
}

/** Merges drafts left to right; a later non-blank value wins, a blank one never erases. */
export function mergeDrafts(...drafts: readonly (Draft | undefined)[]): Draft {
  const out: Draft = {};
  for (const draft of drafts) if (draft) Object.assign(out, compactDraft(draft));
  return out;
}
