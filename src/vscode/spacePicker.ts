import * as vscode from 'vscode';
import { isAbortError } from '../core/clock';
import type { ConfluenceClient, ConfluenceSpace } from '../core/confluence';

export type SpacePick = { kind: 'picked'; space: ConfluenceSpace } | { kind: 'closed' } | { kind: 'failed'; error: unknown };

/** At most this many spaces are listed (a site with more is rare; the list says so). */
const MAX_SPACES = 5_000;

interface SpaceItem extends vscode.QuickPickItem {
  space?: ConfluenceSpace;
}

/**
 * A searchable quick pick of the site's Confluence spaces. It shows at once, busy, and pages
 * through `GET /wiki/api/v2/spaces`, adding each batch as it arrives; typing filters by name,
 * key (the description) and kind (the detail). Closing it stops the loading.
 */
export function pickSpace(client: ConfluenceClient, options: { title?: string; step?: number; totalSteps?: number; back?: boolean } = {}): Promise<SpacePick & { back?: boolean }> {
  const pick = vscode.window.createQuickPick<SpaceItem>();
  pick.title = options.title ?? vscode.l10n.t('Browse Confluence Spaces');
  if (options.step !== undefined) pick.step = options.step;
  if (options.totalSteps !== undefined) pick.totalSteps = options.totalSteps;
  if (options.back) pick.buttons = [vscode.QuickInputButtons.Back];
  pick.placeholder = vscode.l10n.t('Type to find a space by name or key ({0})', client.siteUrl ?? '');
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  pick.busy = true;
  const controller = new AbortController();
  const items: SpaceItem[] = [];

  return new Promise((resolve) => {
    let done = false;
    const subscriptions: vscode.Disposable[] = [];
    const finish = (result: SpacePick & { back?: boolean }) => {
      if (done) return;
      done = true;
      controller.abort();
      for (const d of subscriptions) d.dispose();
      pick.dispose();
      resolve(result);
    };
    subscriptions.push(
      pick.onDidAccept(() => {
        const space = (pick.selectedItems[0] ?? pick.activeItems[0])?.space;
        if (space) finish({ kind: 'picked', space });
      }),
      pick.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish({ kind: 'closed', back: true });
      }),
      pick.onDidHide(() => finish({ kind: 'closed' })),
    );
    pick.show();

    client
      .allSpaces({
        signal: controller.signal,
        max: MAX_SPACES,
        onBatch: (spaces) => {
          if (done) return;
          items.push(...spaces.map(toItem));
          // Reassigning keeps the filter text; keep the item the user moved to, too.
          const active = pick.activeItems;
          pick.items = [...items];
          if (active.length > 0 && active[0].space) pick.activeItems = active;
        },
      })
      .then(
        ({ truncated }) => {
          if (done) return;
          pick.busy = false;
          if (items.length === 0) {
            pick.items = [{ label: vscode.l10n.t('No spaces found'), detail: vscode.l10n.t('Your Atlassian account sees no Confluence spaces on {0}.', client.siteUrl ?? ''), alwaysShow: true }];
          } else if (truncated) {
            pick.placeholder = vscode.l10n.t('Type to find a space by name or key (the first {0} spaces are listed)', MAX_SPACES);
          }
        },
        (error: unknown) => {
          if (done || isAbortError(error)) return;
          finish({ kind: 'failed', error });
        },
      );
  });
}

function toItem(space: ConfluenceSpace): SpaceItem {
  const kind = space.type === 'personal' ? vscode.l10n.t('Personal space') : vscode.l10n.t('Space');
  const archived = space.status === 'archived' ? ` · ${vscode.l10n.t('archived')}` : '';
  return {
    label: space.name,
    description: space.key,
    detail: `${kind}${archived}`,
    iconPath: new vscode.ThemeIcon(space.type === 'personal' ? 'account' : 'book'),
    space,
  };
}
