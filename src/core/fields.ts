/**
 * The fields of the "add a Confluence space" form, shared by the schema, the
 * page-ID parser, the webview and the quick-input flow.
 *
 * Browser-safe: no Node or VS Code imports. User-facing texts go through `l10n.t` of
 * `@vscode/l10n` (configured with VS Code's bundle by the extension host; English otherwise).
 */
import * as l10n from '@vscode/l10n';

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


/** The label of a field in the user's language. */
export function fieldLabel(name: FieldName): string {
  switch (name) {
    case 'siteUrl':
      return l10n.t('Site URL');
    case 'cloudId':
      return l10n.t('Cloud ID');
    case 'spaceKey':
      return l10n.t('Space key');
    case 'spaceName':
      return l10n.t('Space name');
    case 'pageIds':
      return l10n.t('Page IDs');
    case 'title':
      return l10n.t('Title');
    case 'description':
      return l10n.t('Description');
    case 'projectId':
      return l10n.t('Project ID');
  }
}

/**
 * The English label of each field (as the UI shows it in English), from {@link fieldLabel}
 * as the module loads, before an l10n bundle can be configured. Messages use the localized
 * {@link fieldLabel} instead.
 */
export const FIELD_LABELS: Readonly<Record<FieldName, string>> = Object.fromEntries(FIELD_NAMES.map((name) => [name, fieldLabel(name)])) as Record<
  FieldName,
  string
>;

export function isFieldName(value: unknown): value is FieldName {
  return typeof value === 'string' && (FIELD_NAMES as readonly string[]).includes(value);
}

/** Shortens user input quoted back in a message, so one huge paste cannot flood the UI. */
export function quoteInput(value: string, max = 60): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return `"${oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine}"`;
}
