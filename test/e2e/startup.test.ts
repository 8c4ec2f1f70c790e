/**
 * The workbench from its first paint: the status-bar item must show the right state as soon as it
 * appears (no key yet: the key icon, never a brief "ready" cloud first), and the palette helper
 * must run the command whose title is exactly the one asked for.
 */
import * as assert from 'node:assert/strict';
import { useWorkbench } from './support/workbench';

const KEY = 'ctx7sk-e2e-startup-0123456789';

/**
 * Installed in the workbench page before it loads: records every look (icon class and text) the
 * extension's status-bar item takes, in order, from the moment it is first drawn.
 */
function recordStatusItem(): void {
  const page = globalThis as unknown as {
    document: { querySelector(selector: string): { textContent: string | null; querySelector(s: string): { className: string } | null } | null };
    MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void };
    __c7StatusLooks?: string[];
  };
  const looks: string[] = [];
  page.__c7StatusLooks = looks;
  const record = () => {
    const item = page.document.querySelector('.statusbar-item[id$="context7.status"]');
    if (!item) return;
    const icon = item.querySelector('.codicon');
    const look = `${icon?.className ?? ''}|${(item.textContent ?? '').trim()}`;
    if (looks[looks.length - 1] !== look) looks.push(look);
  };
  new page.MutationObserver(record).observe(page.document, { subtree: true, childList: true, attributes: true, characterData: true });
}

describe('Workbench start-up (UI)', function () {
  this.timeout(120_000);
  const workbench = useWorkbench({ initScript: recordStatusItem });

  async function looks(): Promise<string[]> {
    return workbench().page.evaluate(() => (globalThis as unknown as { __c7StatusLooks?: string[] }).__c7StatusLooks ?? []);
  }

  it('with no API key, the status-bar item shows the no-key state from its first paint', async () => {
    const wb = workbench();
    await wb.statusBarItem().locator('.codicon-key').waitFor({ timeout: 20_000 });
    await wb.page.waitForTimeout(1000); // any later change of its own would show up by now
    const seen = await looks();
    assert.ok(seen.length > 0, 'the item was drawn');
    assert.match(seen[0], /codicon-key\b/, `first look: ${seen[0]}`);
    assert.deepEqual(
      seen.filter((look) => !/codicon-key\b/.test(look)),
      [],
      `every look before a key is set is the no-key one: ${JSON.stringify(seen)}`,
    );

    // Setting a key turns it to the ready state.
    await wb.runCommand('Context7: Set API Key');
    await wb.answerInputBox(KEY);
    await wb.waitForNotification('Context7 API key saved.');
    await wb.statusBarItem().locator('.codicon-cloud-upload').waitFor({ timeout: 20_000 });
    assert.match((await looks()).at(-1) ?? '', /codicon-cloud-upload\b.*Context7/);
  });

  it('the palette runs the command titled exactly as asked, not another row that contains the title', async () => {
    const wb = workbench();
    // "File: Compare New Untitled Text Files" also contains this title, and the palette may rank it first.
    await wb.runCommand('File: New Untitled Text File');
    const active = wb.page.locator('.tabs-container .tab.active .label-name');
    await active.filter({ hasText: /^Untitled-\d+$/ }).waitFor({ timeout: 10_000 });
    await wb.page.waitForTimeout(500);
    assert.equal(await wb.page.locator('.tabs-container .tab', { hasText: '↔' }).count(), 0, 'no diff editor was opened');
    assert.equal(await wb.page.locator('.tabs-container .tab').count(), 1, 'one editor: the new untitled file');
  });
});
