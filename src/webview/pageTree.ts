/**
 * The page tree of the form: a WAI-ARIA tree (role tree / treeitem / group) with tri-state
 * check boxes. Sub-pages load lazily, when a page is opened. Built with createElement and
 * textContent only (page titles are Confluence's text).
 *
 * Keyboard: Up/Down move, Right opens a page (or moves to its first sub-page), Left closes it
 * (or moves to its parent), Home/End, Space ticks, Enter opens or closes. One item is in the
 * tab order (roving tabindex).
 *
 * The tree draws from a plain model ({@link TreeModel}, kept in the page's saved state); what is
 * selected comes from the Page IDs field (../shared/pageSelection).
 */
import { checkState, includedByAncestor, type TreeShape } from '../shared/pageSelection';
import type { ConfluenceStrings, SpaceView } from '../shared/protocol';
import { el } from './form';

export interface TreeNode {
  id: string;
  title: string;
  parentId: string | null;
  /** Loaded sub-pages; `undefined` until they were asked for. */
  children?: string[];
  /** More sub-pages are being loaded. */
  loading?: boolean;
  error?: string;
  expanded?: boolean;
}

export interface TreeModel {
  siteUrl: string;
  space: SpaceView;
  nodes: Record<string, TreeNode>;
  roots: string[];
  rootsLoading: boolean;
  rootsError?: string;
  /** The item in the tab order. */
  active?: string;
}

export interface TreeHandlers {
  /** A page was opened whose sub-pages are not loaded yet. */
  load(id: string): void;
  /** A page's box was ticked. */
  toggle(id: string): void;
  /** The model changed (opened, closed, moved): save it. */
  changed(): void;
}

export function shapeOf(model: TreeModel): TreeShape {
  return {
    children: (id) => model.nodes[id]?.children,
    parent: (id) => model.nodes[id]?.parentId,
  };
}

const itemId = (id: string) => `tree-item-${id}`;
const titleId = (id: string) => `tree-title-${id}`;

function isLeaf(node: TreeNode): boolean {
  return node.children !== undefined && node.children.length === 0 && !node.loading && !node.error;
}

/** The items a person can reach with the arrow keys, in order. */
function visible(model: TreeModel): string[] {
  const out: string[] = [];
  const walk = (ids: readonly string[]) => {
    for (const id of ids) {
      const node = model.nodes[id];
      if (!node) continue;
      out.push(id);
      if (node.expanded && node.children) walk(node.children);
    }
  };
  walk(model.roots);
  return out;
}

export class PageTree {
  private model: TreeModel | undefined;
  private selected: ReadonlySet<string> = new Set();
  private includeSubPages = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly texts: ConfluenceStrings,
    private readonly handlers: TreeHandlers,
  ) {}

  /** Draws the tree (or hides it when there is no model), keeping the focused item focused. */
  render(model: TreeModel | null, selected: ReadonlySet<string>, includeSubPages: boolean): void {
    this.model = model ?? undefined;
    this.selected = selected;
    this.includeSubPages = includeSubPages;
    const active = document.activeElement;
    const focused =
      active instanceof HTMLElement && this.container.contains(active) ? active.closest<HTMLElement>('[role="treeitem"]')?.dataset.pageId : undefined;
    if (!model) {
      this.container.replaceChildren();
      this.container.hidden = true;
      return;
    }
    this.container.hidden = false;
    const heading = el('p', { className: 'tree-heading', id: 'tree-heading', text: this.texts.pagesOf.split('{0}').join(model.space.name) });
    const keys = el('p', { className: 'hint', id: 'tree-keys', text: this.texts.treeKeys });
    const list = el('ul', { className: 'tree' });
    list.setAttribute('role', 'tree');
    list.setAttribute('aria-labelledby', 'tree-heading');
    list.setAttribute('aria-describedby', 'tree-keys');
    list.setAttribute('aria-multiselectable', 'true');
    list.addEventListener('keydown', (event) => this.onKey(event));

    const reachable = visible(model);
    if (!model.active || !reachable.includes(model.active)) model.active = reachable[0];
    model.roots.forEach((id, index) => list.append(this.item(model, id, 1, index + 1, model.roots.length)));

    const parts: HTMLElement[] = [heading, keys, list];
    if (model.rootsLoading) parts.push(el('p', { className: 'tree-status', text: this.texts.loadingPages }));
    else if (model.rootsError) parts.push(el('p', { className: 'tree-status error', text: model.rootsError }));
    else if (model.roots.length === 0) parts.push(el('p', { className: 'tree-status', text: this.texts.noPages }));
    this.container.replaceChildren(...parts);
    if (focused) this.focus(focused);
  }

  /** Moves focus into the tree (to the active item). */
  focusTree(): void {
    if (this.model?.active) this.focus(this.model.active);
  }

  private focus(id: string): void {
    const item = document.getElementById(itemId(id));
    if (item) item.focus();
  }

  private item(model: TreeModel, id: string, level: number, position: number, size: number): HTMLLIElement {
    const node = model.nodes[id];
    const shape = shapeOf(model);
    const li = el('li', { className: 'tree-item', id: itemId(id) });
    li.dataset.pageId = id;
    li.setAttribute('role', 'treeitem');
    li.setAttribute('aria-level', String(level));
    li.setAttribute('aria-posinset', String(position));
    li.setAttribute('aria-setsize', String(size));
    li.setAttribute('aria-labelledby', titleId(id));
    li.tabIndex = model.active === id ? 0 : -1;

    const state = checkState(shape, id, this.selected, this.includeSubPages);
    const inherited = includedByAncestor(shape, id, this.selected, this.includeSubPages);
    li.setAttribute('aria-checked', state === 'checked' ? 'true' : state === 'mixed' ? 'mixed' : 'false');
    const leaf = isLeaf(node);
    if (!leaf) li.setAttribute('aria-expanded', String(Boolean(node.expanded)));

    const row = el('div', { className: 'tree-row' });
    const twisty = el('span', { className: 'twisty' });
    twisty.setAttribute('aria-hidden', 'true');
    twisty.dataset.state = leaf ? 'leaf' : node.expanded ? 'open' : 'closed';
    twisty.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      this.setActive(id);
      this.setExpanded(id, !node.expanded);
    });

    const label = el('label', { className: 'tree-label' });
    const box = el('input');
    box.type = 'checkbox';
    box.tabIndex = -1;
    box.setAttribute('aria-hidden', 'true');
    box.checked = state === 'checked';
    box.indeterminate = state === 'mixed';
    box.disabled = inherited;
    box.addEventListener('change', () => {
      this.setActive(id);
      this.handlers.toggle(id);
    });
    const title = el('span', { className: 'tree-title', id: titleId(id), text: node.title });
    label.append(box, title);
    if (inherited) label.title = this.texts.includedWithParent;
    row.append(twisty, label);
    row.addEventListener('click', () => {
      if (model.active !== id) this.setActive(id);
      li.focus();
    });
    li.append(row);

    if (node.expanded && !leaf) {
      const group = el('ul', { className: 'tree-group' });
      group.setAttribute('role', 'group');
      const children = node.children ?? [];
      children.forEach((child, index) => {
        if (model.nodes[child]) group.append(this.item(model, child, level + 1, index + 1, children.length));
      });
      if (node.loading || node.children === undefined) group.append(this.status(this.texts.loading));
      else if (node.error) group.append(this.status(node.error, true));
      li.append(group);
    }
    return li;
  }

  private status(text: string, error = false): HTMLLIElement {
    const li = el('li', { className: `tree-status${error ? ' error' : ''}`, text });
    li.setAttribute('role', 'none');
    return li;
  }

  private setActive(id: string): void {
    if (!this.model) return;
    this.model.active = id;
    for (const item of this.container.querySelectorAll<HTMLElement>('[role="treeitem"]')) item.tabIndex = item.dataset.pageId === id ? 0 : -1;
    this.handlers.changed();
  }

  private setExpanded(id: string, expanded: boolean): void {
    const model = this.model;
    const node = model?.nodes[id];
    if (!model || !node || isLeaf(node)) return;
    node.expanded = expanded;
    if (expanded && (node.children === undefined || node.error) && !node.loading) {
      node.error = undefined;
      node.loading = true;
      this.handlers.load(id);
    }
    this.handlers.changed();
    this.render(model, this.selected, this.includeSubPages);
    this.focus(id);
  }

  private onKey(event: KeyboardEvent): void {
    const model = this.model;
    const target = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('[role="treeitem"]') : null;
    const id = target?.dataset.pageId;
    if (!model || !id) return;
    const node = model.nodes[id];
    const order = visible(model);
    const at = order.indexOf(id);
    const move = (to: string | undefined) => {
      if (!to) return;
      this.setActive(to);
      this.focus(to);
    };
    switch (event.key) {
      case 'ArrowDown':
        move(order[at + 1]);
        break;
      case 'ArrowUp':
        move(order[at - 1]);
        break;
      case 'Home':
        move(order[0]);
        break;
      case 'End':
        move(order[order.length - 1]);
        break;
      case 'ArrowRight':
        if (!isLeaf(node) && !node.expanded) this.setExpanded(id, true);
        else if (node.expanded) move(node.children?.[0]);
        break;
      case 'ArrowLeft':
        if (node.expanded && !isLeaf(node)) this.setExpanded(id, false);
        else move(node.parentId ?? undefined);
        break;
      case 'Enter':
        if (!isLeaf(node)) this.setExpanded(id, !node.expanded);
        break;
      case ' ':
        if (!includedByAncestor(shapeOf(model), id, this.selected, this.includeSubPages)) this.handlers.toggle(id);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }
}
