/**
 * Filling form fields by themselves (from a pasted link, a cloud ID lookup, a chosen space),
 * without ever overwriting what the user typed. Shared by the webview form and the quick input.
 *
 * The rule: a field may be filled automatically when it is empty, or when its value was itself
 * filled automatically (and not edited since). The caller keeps a record of which fields hold an
 * automatic value ({@link AutoFilled}) and drops a field from it as soon as the user edits it.
 *
 * No `vscode` import: unit-tested in Node and bundled into the webview.
 */
import type { LinkParseOk } from '../core/confluenceLink';
import { FIELD_NAMES, type FieldName } from '../core/fields';
import { parseToken, tokenizePageIds } from '../core/pageIds';

/** Where an automatic value came from (the form says so next to the field). */
export type AutoSource = 'link' | 'lookup' | 'space' | 'suggested';
export const AUTO_SOURCES = ['link', 'lookup', 'space', 'suggested'] as const satisfies readonly AutoSource[];

/** Which fields hold an automatic value, and from where. */
export type AutoFilled = Partial<Record<FieldName, AutoSource>>;

export type Fields = Partial<Record<FieldName, string>>;

export interface AutoFillResult {
  /** The fields after filling (a new object). */
  draft: Fields;
  /** The record of automatic values after filling (a new object). */
  auto: AutoFilled;
  /** Fields whose value was set (or replaced) automatically. */
  filled: FieldName[];
  /** Fields left as the user typed them, although the update had another value for them. */
  kept: FieldName[];
}

/** Whether `name` may be filled automatically: it is empty, or it holds an automatic value. */
export function canAutoFill(draft: Fields, auto: AutoFilled, name: FieldName): boolean {
  return (draft[name] ?? '').trim() === '' || auto[name] !== undefined;
}

/**
 * Applies `updates` (from `source`) to the fields that may be filled automatically; the others
 * are reported in `kept` when the update would have changed them. An update to the value a field
 * already has changes nothing but its recorded source, so what the user sees stays true.
 */
export function applyAutoFill(draft: Fields, auto: AutoFilled, updates: Fields, source: AutoSource): AutoFillResult {
  const next: Fields = { ...draft };
  const nextAuto: AutoFilled = { ...auto };
  const filled: FieldName[] = [];
  const kept: FieldName[] = [];
  for (const name of FIELD_NAMES) {
    const value = updates[name];
    if (value === undefined) continue;
    const current = draft[name] ?? '';
    if (!canAutoFill(draft, auto, name)) {
      if (current.trim() !== value.trim()) kept.push(name);
      continue;
    }
    if (value.trim() === '') {
      // Clearing is allowed only for a value that was filled automatically.
      if (auto[name] !== undefined && current !== '') {
        next[name] = '';
        delete nextAuto[name];
        filled.push(name);
      }
      continue;
    }
    next[name] = value;
    nextAuto[name] = source;
    if (current !== value) filled.push(name);
  }
  return { draft: next, auto: nextAuto, filled, kept };
}

/**
 * What a usable paste fills: the site URL, the space key and the page IDs it carries. When the
 * Page IDs were filled from an earlier link, a link to a whole space clears them again (the
 * latest paste says what to add).
 */
export function linkUpdates(parse: LinkParseOk, auto: AutoFilled): Fields {
  const updates: Fields = {};
  if (parse.siteUrl !== undefined) updates.siteUrl = parse.siteUrl;
  if (parse.spaceKey !== undefined) updates.spaceKey = parse.spaceKey;
  if (parse.pageIds.length > 0) updates.pageIds = parse.pageIds.join(', ');
  else if (auto.pageIds === 'link' && parse.spaceKey !== undefined) updates.pageIds = '';
  return updates;
}

/** Longest title and description the form accepts (see ../core/schema). */
const TITLE_MAX = 100;
const DESCRIPTION_MAX = 500;

/**
 * What choosing a space fills: its key and name (source `space`), and suggestions for the title
 * and description (source `suggested`), which apply only where those are empty or suggested.
 */
export function spaceUpdates(space: { key: string; name: string }, descriptionTemplate: string): { fill: Fields; suggest: Fields } {
  const name = space.name.trim() || space.key;
  return {
    fill: { spaceKey: space.key, spaceName: name },
    suggest: {
      title: clip(name, TITLE_MAX),
      description: clip(descriptionTemplate.split('{0}').join(name), DESCRIPTION_MAX),
    },
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// --- The Page IDs field as a list ---------------------------------------------------------

/** The page IDs the field's text names (invalid tokens ignored), in order, without duplicates. */
export function pageIdsIn(text: string): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const token of tokenizePageIds(text ?? '')) {
    const result = parseToken(token);
    if ('id' in result && !seen.has(result.id)) {
      seen.add(result.id);
      ids.push(result.id);
    }
  }
  return ids;
}

/**
 * The field's text with `remove` taken out (every token naming one of them: an ID or a page
 * link) and `add` appended (those not named yet). Other tokens, invalid ones included, are kept
 * as they were; tokens are joined with ", ".
 */
export function editPageIds(text: string, add: readonly string[], remove: readonly string[]): string {
  const removed = new Set(remove);
  const tokens = tokenizePageIds(text ?? '').filter((token) => {
    const result = parseToken(token);
    return !('id' in result && removed.has(result.id));
  });
  const present = new Set(pageIdsIn(tokens.join(' ')));
  for (const id of add) {
    if (removed.has(id) || present.has(id)) continue;
    present.add(id);
    tokens.push(id);
  }
  return tokens.join(', ');
}
