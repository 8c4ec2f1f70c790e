/**
 * The API key commands as a person uses them: the password box and its prefix warning, and the
 * modal dialog before removal. (That a key changed in another window takes effect here is proved
 * in the integration suite: the web workbench reads its secrets once per window, so two browser
 * tabs never tell each other about a change, while desktop VS Code does.)
 */
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { useWorkbench, type Workbench } from './support/workbench';

const KEY = 'ctx7sk-e2e-window-key-0123456789';

/** The status-bar item's icon tells the state: a key when no API key is set, a cloud otherwise. */
async function waitForKeyState(wb: Workbench, hasKey: boolean, timeout = 20_000): Promise<void> {
  const icon = wb.statusBarItem().locator(hasKey ? '.codicon-cloud-upload' : '.codicon-key');
  await icon.waitFor({ timeout });
}

/** The workbench's modal dialog (VS Code draws it in the page, not a native window). */
function dialog(wb: Workbench): Locator {
  return wb.page.locator('.monaco-dialog-box');
}

describe('API key (UI)', function () {
  this.timeout(180_000);
  const workbench = useWorkbench();

  it('Set API Key: a password box that warns about a key without the ctx7sk prefix', async () => {
    const wb = workbench();
    await waitForKeyState(wb, false);
    await wb.runCommand('Context7: Set API Key');
    const input = wb.page.locator('.quick-input-widget .quick-input-box input[type="password"]');
    await input.waitFor();
    await input.fill('not-a-context7-key');
    await wb.quickInput().locator('.quick-input-message', { hasText: 'ctx7sk' }).waitFor();
    await input.fill(KEY);
    await input.press('Enter');
    await wb.waitForNotification('Context7 API key saved.');
    await waitForKeyState(wb, true);
  });

  it('Remove API Key asks in a modal dialog: Cancel keeps the key, Remove takes it away', async () => {
    const wb = workbench();
    await wb.runCommand('Context7: Remove API Key');
    await dialog(wb).waitFor();
    assert.match((await dialog(wb).textContent()) ?? '', /Remove the Context7 API key from this machine\?/);
    await dialog(wb).getByRole('button', { name: 'Cancel' }).click();
    await dialog(wb).waitFor({ state: 'hidden' });
    await waitForKeyState(wb, true);

    await wb.runCommand('Context7: Remove API Key');
    await dialog(wb).getByRole('button', { name: 'Remove', exact: true }).click();
    await wb.waitForNotification('Context7 API key removed.');
    await waitForKeyState(wb, false);
    assert.doesNotMatch(wb.logText(), new RegExp(KEY));
  });
});
