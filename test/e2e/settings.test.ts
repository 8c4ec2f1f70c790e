/**
 * Settings take effect at once, changed in the Settings editor as a person would: no reload. The
 * flow that opens, the prefill of a form left open, and the status-bar item.
 */
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { useWorkbench, type Workbench } from './support/workbench';

/**
 * Picks an option of a setting's drop-down as a person does: open it, click the option; then
 * waits for the Settings editor, which writes a change a moment later.
 */
async function choose(wb: Workbench, row: Locator, option: string): Promise<void> {
  const select = row.locator('select');
  for (let attempt = 0; (await select.inputValue()) !== option; attempt++) {
    if (attempt === 3) throw new Error(`the drop-down shows ${await select.inputValue()}, not ${option}`);
    await select.click();
    // A row reads e.g. "form default": its option text alone is the option.
    const choice = wb.page
      .locator('.monaco-select-box-dropdown-container .monaco-list-row:visible')
      .filter({ has: wb.page.locator('.option-text', { hasText: new RegExp(`^\\s*${option}\\s*$`) }) })
      .first();
    await choice.waitFor();
    await choice.click();
  }
  await wb.page.waitForTimeout(1_500);
}

describe('Settings, changed while VS Code runs (UI)', function () {
  this.timeout(180_000);
  const workbench = useWorkbench();

  it('context7.addFlow picks the flow the next time the command runs', async () => {
    const wb = workbench();
    let row = await wb.openSetting('context7.addFlow');
    await choose(wb, row, 'quickInput');
    await wb.runCommand('View: Close All Editors');

    await wb.runCommand('Context7: Add Confluence Space');
    await wb.quickInput().locator('.quick-input-title', { hasText: 'Confluence link' }).waitFor({ timeout: 15_000 });
    assert.equal(await wb.page.locator('iframe.webview.ready').count(), 0, 'no form was opened');
    await wb.page.keyboard.press('Escape');

    row = await wb.openSetting('context7.addFlow');
    await choose(wb, row, 'form');
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Context7: Add Confluence Space');
    await wb.webview().getByLabel('Site URL', { exact: true }).waitFor({ timeout: 30_000 });
  });

  it('a changed Confluence default fills the form left open where it is empty, never over what was typed', async () => {
    const wb = workbench();
    await wb.runCommand('Context7: Add Confluence Space');
    const form = wb.webview();
    await form.getByRole('button', { name: 'Clear', exact: true }).click();
    await form.getByLabel('Project ID', { exact: true }).fill('typed-project');

    // The Settings editor takes the form's place in the editor area; the form comes back after.
    let row = await wb.openSetting('context7.confluence.siteUrl');
    await row.locator('input').fill('https://live.atlassian.net');
    row = await wb.openSetting('context7.confluence.projectId');
    await row.locator('input').fill('from-settings');
    await wb.page.waitForTimeout(1_000); // the Settings editor writes a text setting after a short pause
    await wb.runCommand('View: Close Editor');

    const site = form.getByLabel('Site URL', { exact: true });
    await site.waitFor({ timeout: 30_000 });
    const deadline = Date.now() + 15_000;
    while ((await site.inputValue()) !== 'https://live.atlassian.net' && Date.now() < deadline) await wb.page.waitForTimeout(200);
    assert.equal(await site.inputValue(), 'https://live.atlassian.net');
    assert.equal(await form.getByLabel('Project ID', { exact: true }).inputValue(), 'typed-project');
  });

  it('context7.statusBar.enabled hides and shows the status-bar item', async () => {
    const wb = workbench();
    const item = wb.statusBarItem();
    await item.waitFor();
    const row = await wb.openSetting('context7.statusBar.enabled');
    const box = row.getByRole('checkbox', { name: 'context7.statusBar.enabled' });
    await box.click();
    await item.waitFor({ state: 'hidden', timeout: 15_000 });
    await box.click();
    await item.waitFor({ timeout: 15_000 });
  });
});
