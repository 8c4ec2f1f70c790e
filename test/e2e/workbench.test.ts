import * as assert from 'node:assert/strict';
import { useWorkbench } from './support/workbench';

describe('Workbench (UI)', () => {
  const workbench = useWorkbench();

  it('shows the Context7 status-bar item once start-up has finished', async () => {
    const item = workbench().statusBarItem();
    assert.match((await item.textContent()) ?? '', /Context7/);
  });

  it('runs a palette command that ends in a notification', async () => {
    const wb = workbench();
    await wb.runCommand('Context7: Set API Key');
    await wb.answerInputBox('ctx7sk-e2e-palette-key');
    const toast = await wb.waitForNotification('Context7 API key saved.');
    assert.ok(await toast.isVisible());
    assert.doesNotMatch(wb.logText(), /ctx7sk-e2e-palette-key/);
  });
});
