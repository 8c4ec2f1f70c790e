/**
 * The quick-input flow (`context7.addFlow: "quickInput"`) end to end in a real browser: prefilled
 * from settings, step N of M, Back, per-step validation, skippable optional fields, the review.
 */
import * as assert from 'node:assert/strict';
import { useWorkbench, type Workbench } from './support/workbench';

const KEY = 'ctx7sk-e2e-quick-input-0123456789';
const SITE = 'https://acme.atlassian.net';
const CLOUD_ID = '5c3a1f2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';

/** Waits until the quick input shows the step titled `title`, then returns its text box. */
async function step(wb: Workbench, title: string) {
  await wb.quickInput().locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  return wb.quickInput().locator('.quick-input-box input');
}

async function answer(wb: Workbench, title: string, value: string): Promise<void> {
  const input = await step(wb, title);
  await input.fill(value);
  await input.press('Enter');
}

describe('Quick input (UI)', function () {
  this.timeout(120_000);
  const workbench = useWorkbench({
    settings: {
      'context7.addFlow': 'quickInput',
      'context7.confluence.siteUrl': SITE,
      'context7.confluence.cloudId': CLOUD_ID,
    },
  });

  it('walks the steps from the settings prefill, validates, goes back, skips optional fields and submits from the review', async () => {
    const wb = workbench();
    await wb.runCommand('Context7: Set API Key');
    await wb.answerInputBox(KEY);
    await wb.waitForNotification('Context7 API key saved.');

    await wb.runCommand('Context7: Add Confluence Space');
    // Site URL and Cloud ID come from the settings, so the flow opens at the Space key: step 3 of 9.
    let input = await step(wb, 'Space key');
    assert.match((await wb.quickInput().textContent()) ?? '', /3\s*\/\s*9/);

    // Back reaches the prefilled Cloud ID; Enter keeps it.
    await wb.quickInput().getByRole('button', { name: 'Back' }).click();
    input = await step(wb, 'Cloud ID');
    assert.equal(await input.inputValue(), CLOUD_ID);
    await input.press('Enter');

    // A step does not accept an invalid answer, and says why.
    input = await step(wb, 'Space key');
    await input.fill('not a key!');
    await input.press('Enter');
    await wb.quickInput().locator('.quick-input-message', { hasText: /Space key/ }).waitFor();
    await input.fill('DOCS');
    await input.press('Enter');

    await answer(wb, 'Space name', 'Documentation');
    await answer(wb, 'Page IDs', ''); // optional: Enter skips
    await answer(wb, 'Title', 'Acme Docs');
    await answer(wb, 'Description', 'Internal documentation of Acme.');
    await answer(wb, 'Project ID', ''); // optional

    await wb.quickInput().locator('.quick-input-title', { hasText: 'Review' }).waitFor();
    await wb.quickInput().locator('.monaco-list-row', { hasText: 'Add Space' }).first().waitFor();
    await wb.quickInput().locator('.quick-input-box input').press('Enter');

    await wb.waitForNotification('/confluence/docs');
    assert.equal(wb.stub.requests.length, 1);
    assert.deepEqual(wb.stub.requests[0].body, {
      siteUrl: SITE,
      cloudId: CLOUD_ID,
      spaceKey: 'DOCS',
      spaceName: 'Documentation',
      title: 'Acme Docs',
      description: 'Internal documentation of Acme.',
    });
    assert.equal(wb.stub.requests[0].headers.authorization, `Bearer ${KEY}`);
    assert.doesNotMatch(wb.logText(), new RegExp(KEY));
  });
});
