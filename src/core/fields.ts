/**
 * The fields of the "add a Confluence space" form, shared by the schema, the
 * page-ID parser, the webview and the quick-input flow.
 *
 * Browser-safe: no Node or VS Code imports.
 */

export const FIELD_NAMES = [
  'siteUrl',
  'cloudId',
  'spaceKey',
  'spaceName',
  'pageIds',
  'title',
  'description',
  'projectId',
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];

/** Fields that must be non-empty. `pageIds` and `projectId` are optional. */
export const REQUIRED_FIELDS: readonly FieldName[] = FIELD_NAMES.filter(
  (name) => name !== 'pageIds' && name !== 'projectId',
);

/** The label each field has in the UI. Every validation message starts with it. */
export const FIELD_LABELS: Readonly<Record<FieldName, string>> = {
  siteUrl: 'Site URL',
  cloudId: 'Cloud ID',
  spaceKey: 'Space key',
  spaceName: 'Space name',
  pageIds: 'Page IDs',
  title: 'Title',
  description: 'Description',
  projectId: 'Project ID',
};

export function isFieldName(value: unknown): value is FieldName {
  return typeof value === 'string' && (FIELD_NAMES as readonly string[]).includes(value);
}

/** Shortens user input quoted back in a message, so one huge paste cannot flood the UI. */
export function quoteInput(value: string, max = 60): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return `"${oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine}"`;
}
