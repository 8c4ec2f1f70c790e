/**
 * The quick-input flow (`context7.addFlow: "quickInput"`) end to end in a real browser: the link
 * step, prefilled from settings, step N of M, Back, per-step validation, skippable optional
 * fields, the review.
 */
import * as assert from 'node:assert/strict';
import { AtlassianStub, STUB_API_TOKEN, STUB_CLOUD_ID, STUB_EMAIL } from '../support/atlassian-stub';
import { useWorkbench, type Workbench } from './support/workbench';

const KEY = 'ctx7sk-e2e-quick-input-0123456789';
const SITE = 'https://acme.atlassian.net';
const CLOUD_ID = '5c3a1f2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
const TYPED_CLOUD_ID = '0d9c8b7a-6f5e-4d3c-8b2a-19f8e7d6c5b4';

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

  it('takes a link first, walks the steps from the prefill, validates, goes back, skips optional fields and submits from the review', async () => {
    const wb = workbench();
    await wb.runCommand('Context7: Set API Key');
    await wb.answerInputBox(KEY);
    await wb.waitForNotification('Context7 API key saved.');

    await wb.runCommand('Context7: Add Confluence Space');
    // The flow starts with the link step: step 1 of 10. A link that cannot be used says why.
    let input = await step(wb, 'Confluence link');
    assert.match((await wb.quickInput().textContent()) ?? '', /1\s*\/\s*10/);
    // Clicking elsewhere in the window (ignoreFocusOut) does not close the flow.
    await wb.page.locator('.part.editor').click({ position: { x: 200, y: 300 } });
    await wb.page.waitForTimeout(300);
    assert.equal(await wb.quickInput().isVisible(), true, 'the flow stays open when focus leaves it');
    await input.click();
    await input.fill('https://confluence.example.com/display/DOCS/Intro');
    await input.press('Enter');
    await wb.quickInput().locator('.quick-input-message', { hasText: /Data Center or Server/ }).waitFor();

    // A page link fills the space key and the page; Site URL and Cloud ID come from the settings,
    // so the flow goes on at the Space name: step 5 of 10.
    await input.fill(`${SITE}/wiki/spaces/DOCS/pages/234567/Intro`);
    await input.press('Enter');
    input = await step(wb, 'Space name');
    assert.match((await wb.quickInput().textContent()) ?? '', /5\s*\/\s*10/);

    // Back reaches the Space key filled from the link, then the prefilled Cloud ID; Enter keeps it.
    await wb.quickInput().getByRole('button', { name: 'Back' }).click();
    input = await step(wb, 'Space key');
    assert.equal(await input.inputValue(), 'DOCS');
    assert.match((await wb.quickInput().textContent()) ?? '', /Filled from the link/);
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
    input = await step(wb, 'Page IDs');
    assert.equal(await input.inputValue(), '234567', 'filled from the link');
    await answer(wb, 'Page IDs', ''); // optional: an empty answer skips it
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

  it('after a failed submission, "Open Form" brings the flow back with the answers kept, at the field the server named', async () => {
    const wb = workbench();
    wb.stub.reset();
    await wb.ensureApiKey(KEY);
    // The workbench shows at most 3 toasts per 800 ms (the rest go straight to the notification
    // center): the last test's toasts must not count against this one's.
    await wb.page.waitForTimeout(1000);
    wb.stub.enqueue({ status: 400, body: { error: 'validation_error', message: 'Space key DOCS was not found on this site' } });

    await wb.runCommand('Context7: Add Confluence Space');
    await answer(wb, 'Confluence link', ''); // no link: on to the first field still to answer
    await answer(wb, 'Space key', 'DOCS');
    await answer(wb, 'Space name', 'Documentation');
    await answer(wb, 'Page IDs', '123456');
    await answer(wb, 'Title', 'Acme Docs');
    await answer(wb, 'Description', 'Internal documentation of Acme.');
    await answer(wb, 'Project ID', '');
    await wb.quickInput().locator('.quick-input-title', { hasText: 'Review' }).waitFor();
    await wb.quickInput().locator('.quick-input-box input').press('Enter');

    const toast = await wb.waitForNotification(/rejected the request/);
    assert.equal(await wb.notificationSeverity(toast), 'error');
    assert.equal(wb.stub.requests.length, 1);
    await wb.page.waitForTimeout(1000); // as a person reads it (and see the form tests on bursts of toasts)
    await wb.clickNotificationAction(toast, 'Open Form');

    // Back at the Space key, with the answer kept and the server's objection shown.
    let input = await step(wb, 'Space key');
    assert.equal(await input.inputValue(), 'DOCS');
    await wb.quickInput().locator('.quick-input-message', { hasText: /not found/ }).waitFor();
    await input.fill('ENG');
    await input.press('Enter');
    // Every later answer is still there: Enter keeps each one.
    for (const [title, value] of [
      ['Space name', 'Documentation'],
      ['Page IDs', '123456'],
      ['Title', 'Acme Docs'],
      ['Description', 'Internal documentation of Acme.'],
      ['Project ID', ''],
    ]) {
      input = await step(wb, title);
      assert.equal(await input.inputValue(), value, title);
      await input.press('Enter');
    }
    await wb.quickInput().locator('.quick-input-title', { hasText: 'Review' }).waitFor();
    await wb.quickInput().locator('.quick-input-box input').press('Enter');

    await wb.waitForNotification('/confluence/eng');
    assert.equal(wb.stub.requests.length, 2);
    assert.deepEqual(wb.stub.requests[1].body, {
      siteUrl: SITE,
      cloudId: CLOUD_ID,
      spaceKey: 'ENG',
      spaceName: 'Documentation',
      pageIds: ['123456'],
      title: 'Acme Docs',
      description: 'Internal documentation of Acme.',
    });
  });
});

describe('Quick input with Confluence (UI)', function () {
  this.timeout(180_000);
  let atlassian: AtlassianStub;
  before(async () => {
    atlassian = await AtlassianStub.start();
  });
  after(async () => {
    await atlassian?.close();
  });
  const workbench = useWorkbench({ settings: { 'context7.addFlow': 'quickInput' } });

  it('a pasted link fills the steps and the cloud ID; Browse Spaces connects an account first, then picks the space', async () => {
    const wb = workbench();
    await wb.runCommand('Context7: Set API Key');
    await wb.answerInputBox(KEY);
    await wb.waitForNotification('Context7 API key saved.');

    await wb.runCommand('Context7: Add Confluence Space');
    let input = await step(wb, 'Confluence link');
    await input.fill(`${atlassian.siteUrl}/wiki/spaces/ENG/pages/65700/Runbooks`);
    await input.press('Enter');
    // Site, cloud ID (looked up on the way) and space key are known: the flow goes on at the Space name.
    input = await step(wb, 'Space name');
    assert.match((await wb.quickInput().textContent()) ?? '', /5\s*\/\s*10/);
    assert.equal(atlassian.requestsTo('/_edge/tenant_info').length, 1);

    await wb.quickInput().getByRole('button', { name: 'Back' }).click();
    await step(wb, 'Space key');
    await wb.quickInput().getByRole('button', { name: 'Browse Spaces…' }).click();

    // No account yet: the connect steps open in place, the site prefilled from the flow.
    input = await step(wb, 'Connect Atlassian Account: Site URL');
    assert.equal(await input.inputValue(), atlassian.siteUrl);
    await input.press('Enter');
    await answer(wb, 'Connect Atlassian Account: Email', STUB_EMAIL);
    await answer(wb, 'Connect Atlassian Account: API token', STUB_API_TOKEN);

    // Then the space picker, as a step of the flow.
    await step(wb, 'Browse Spaces');
    assert.match((await wb.quickInput().textContent()) ?? '', /4\s*\/\s*10/);
    await wb.quickInput().locator('.monaco-list-row', { hasText: 'Engineering' }).first().waitFor({ timeout: 30_000 });
    const filter = wb.quickInput().locator('.quick-input-box input');
    await filter.fill('ENG');
    await filter.press('Enter');

    // Every answer is there now (name from the space, title and description suggested): the review.
    await wb.quickInput().locator('.quick-input-title', { hasText: 'Review' }).waitFor({ timeout: 30_000 });
    await wb.quickInput().locator('.monaco-list-row', { hasText: 'Add Space' }).first().waitFor();
    await wb.quickInput().locator('.quick-input-box input').press('Enter');

    await wb.waitForNotification('/confluence/eng');
    assert.deepEqual(wb.stub.requests[0].body, {
      siteUrl: atlassian.siteUrl,
      cloudId: STUB_CLOUD_ID,
      spaceKey: 'ENG',
      spaceName: 'Engineering',
      pageIds: ['65700'],
      title: 'Engineering',
      description: 'Engineering documentation from Confluence',
    });
    assert.doesNotMatch(wb.logText(), new RegExp(STUB_API_TOKEN));
  });

  it('while the cloud ID lookup runs, the Cloud ID step is open for typing, and what is typed is sent', async () => {
    const wb = workbench();
    await wb.ensureApiKey(KEY);
    await wb.clearNotifications();
    wb.stub.reset();
    // A site of its own (cloud IDs are cached per site), whose tenant_info does not answer: the
    // lookup runs until its own time limit.
    const site = await AtlassianStub.start();
    try {
      site.stallNext(1, { path: '/_edge/tenant_info' });

      await wb.runCommand('Context7: Add Confluence Space');
      await answer(wb, 'Confluence link', `${site.siteUrl}/wiki/spaces/ENG/pages/65700/Runbooks`);

      // The flow is on the Cloud ID step while the lookup is still asking, and says so.
      let input = await step(wb, 'Cloud ID');
      await wb.quickInput().getByText(`Looking up the cloud ID from ${site.siteUrl}`).waitFor({ timeout: 4_000 });
      await site.waitForRequests(1);
      assert.equal(site.requestsTo('/_edge/tenant_info').length, 1, 'the lookup is under way');
      assert.equal(site.requestsTo('/_edge/tenant_info')[0].status, 0, 'and still unanswered');
      await input.fill(TYPED_CLOUD_ID, { timeout: 2_000 });
      await input.press('Enter');

      // Space key and Page IDs came from the link; Enter keeps them.
      input = await step(wb, 'Space key');
      assert.equal(await input.inputValue(), 'ENG');
      await input.press('Enter');
      await answer(wb, 'Space name', 'Engineering');
      input = await step(wb, 'Page IDs');
      assert.equal(await input.inputValue(), '65700');
      await input.press('Enter');
      await answer(wb, 'Title', 'Engineering');
      await answer(wb, 'Description', 'Engineering documentation from Confluence');
      await answer(wb, 'Project ID', '');
      await step(wb, 'Review');
      await wb.quickInput().locator('.quick-input-box input').press('Enter');

      await wb.waitForNotification('/confluence/eng');
      const body = wb.stub.requests[0].body as Record<string, unknown>;
      assert.equal(body.cloudId, TYPED_CLOUD_ID, 'the typed cloud ID was sent, not replaced');
    } finally {
      await site.close();
    }
  });
});
