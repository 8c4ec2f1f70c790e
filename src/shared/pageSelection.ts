/**
 * Tri-state selection in the page tree. The Page IDs field is the one record of what is
 * selected: the tree shows it, and ticking a page edits it. No `vscode` import, no DOM.
 *
 * - A page's box is checked when it is selected (or, with "Include sub-pages", included through a
 *   selected ancestor) and so is every sub-page loaded so far; it is mixed when some of them are;
 *   otherwise unchecked. Sub-pages not loaded yet do not count.
 * - Ticking an unchecked or mixed page selects it and, without "Include sub-pages", the sub-pages
 *   loaded so far (with it, they come along at submit time anyway). Ticking a checked page
 *   deselects it and every loaded sub-page.
 * - With "Include sub-pages", a page below a selected page is included with it: its box is shown
 *   checked and cannot be changed on its own.
 */

export type CheckState = 'checked' | 'unchecked' | 'mixed';

/** What the selection logic needs to know about the tree (only what has been loaded). */
export interface TreeShape {
  /** The loaded sub-pages of a page; `undefined` while they are not loaded. */
  children(id: string): readonly string[] | undefined;
  /** The parent of a page in the tree, `null` for a top-level page. */
  parent(id: string): string | null | undefined;
}

/** The loaded sub-pages of `id`, at every depth, parents before their children. */
export function loadedDescendants(tree: TreeShape, id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>([id]);
  const queue = [...(tree.children(id) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    out.push(next);
    queue.push(...(tree.children(next) ?? []));
  }
  return out;
}

/** Whether a page is included because an ancestor is selected (only with "Include sub-pages"). */
export function includedByAncestor(tree: TreeShape, id: string, selected: ReadonlySet<string>, includeSubPages: boolean): boolean {
  if (!includeSubPages) return false;
  const seen = new Set<string>([id]);
  let parent = tree.parent(id);
  while (parent !== null && parent !== undefined && !seen.has(parent)) {
    if (selected.has(parent)) return true;
    seen.add(parent);
    parent = tree.parent(parent);
  }
  return false;
}

export function checkState(tree: TreeShape, id: string, selected: ReadonlySet<string>, includeSubPages: boolean): CheckState {
  let all = true;
  let any = false;
  const visit = (node: string, inherited: boolean, seen: Set<string>) => {
    const on = inherited || selected.has(node);
    if (on) any = true;
    else all = false;
    const passDown = includeSubPages && on;
    for (const child of tree.children(node) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      visit(child, passDown, seen);
    }
  };
  visit(id, includedByAncestor(tree, id, selected, includeSubPages), new Set([id]));
  return all ? 'checked' : any ? 'mixed' : 'unchecked';
}

/** What ticking a page changes in the selection. */
export function toggle(
  tree: TreeShape,
  id: string,
  selected: ReadonlySet<string>,
  includeSubPages: boolean,
): { add: string[]; remove: string[] } {
  if (includedByAncestor(tree, id, selected, includeSubPages)) return { add: [], remove: [] };
  const below = loadedDescendants(tree, id);
  if (checkState(tree, id, selected, includeSubPages) === 'checked') return { add: [], remove: [id, ...below] };
  return { add: includeSubPages ? [id] : [id, ...below], remove: [] };
}
