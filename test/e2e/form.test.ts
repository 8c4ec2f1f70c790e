/**
 * The "Add Confluence Space" form, driven in a real browser against code-server as a person would:
 * the status bar, labels, the button, the password box, notifications and their buttons.
 * The workbench starts with a fresh profile, so no API key is stored at first.
 */
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { useWorkbench, type Workbench } from './support/workbench';

const FIRST_KEY = 'ctx7sk-e2e-form-first-0123456789';
const SECOND_KEY = 'ctx7sk-e2e-form-second-9876543210';

const VALUES: Record<string, string> = {
  'Site URL': 'https://acme.atlassian.net',
  'Cloud ID': '5c3a1f2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b',
  'Space key': 'DOCS',
  'Space name': 'Documentation',
  'Page IDs': '123456\nhttps://acme.atlassian.net/wiki/spaces/DOCS/pages/234567/Getting+started',
  Title: 'Acme Docs',
  Description: 'Internal documentation of Acme.',
};

const BODY = {
  siteUrl: 'https://acme.atlassian.net',
  cloudId: '5c3a1f2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b',
  spaceKey: 'DOCS',
  spaceName: 'Documentation',
  pageIds: ['123456', '234567'],
  title: 'Acme Docs',
  description: 'Internal documentation of Acme.',
};

const LABELS = ['Site URL', 'Cloud ID', 'Space key', 'Space name', 'Page IDs', 'Title', 'Description', 'Project ID'];
const REQUIRED = ['Site URL', 'Cloud ID', 'Space key', 'Space name', 'Title', 'Description'];

async function fill(form: FrameLocator, values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(value);
}

async function openForm(wb: Workbench): Promise<FrameLocator> {
  await wb.runCommand('Context7: Add Confluence Space');
  const form = wb.webview();
  await form.getByLabel('Site URL', { exact: true }).waitFor({ timeout: 30_000 });
  return form;
}

async function answerPasswordBox(wb: Workbench, key: string): Promise<void> {
  const input = wb.page.locator('.quick-input-widget .quick-input-box input[type="password"]');
  await input.waitFor({ timeout: 30_000 });
  await input.fill(key);
  await input.press('Enter');
}

describe('Form (UI)', function () {
  this.timeout(120_000);
  const workbench = useWorkbench({ settings: { 'context7.retry.maxAttempts': 2 } });

  afterEach(async () => {
    const wb = workbench();
    wb.stub.reset();
    await wb.clearNotifications();
  });

  it('the status-bar item opens the form, with every field labelled', async () => {
    const wb = workbench();
    await wb.statusBarItem().click();
    const form = wb.webview();
    await form.getByLabel('Site URL', { exact: true }).waitFor({ timeout: 30_000 });
    await wb.page.locator('.tabs-container .tab', { hasText: 'Add Confluence Space' }).first().waitFor();
    for (const label of LABELS) {
      const control = form.getByLabel(label, { exact: true });
      assert.equal(await control.count(), 1, `one control labelled "${label}"`);
      assert.equal(await control.getAttribute('aria-required'), REQUIRED.includes(label) ? 'true' : null, `aria-required of ${label}`);
    }
    assert.equal(await form.getByLabel('Page IDs', { exact: true }).evaluate((el) => el.tagName), 'TEXTAREA');
    assert.equal(await form.getByRole('button', { name: 'Add Space', exact: true }).count(), 1);
  });

  it('an invalid form shows inline errors, moves focus to the first one, and sends nothing', async () => {
    const wb = workbench();
    const form = await openForm(wb);
    await fill(form, { 'Site URL': VALUES['Site URL'], 'Space key': 'DOCS' });
    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    const cloudId = form.getByLabel('Cloud ID', { exact: true });
    await form.getByText(/Cloud ID is required/).waitFor();
    assert.equal(await cloudId.getAttribute('aria-invalid'), 'true');
    assert.match((await cloudId.getAttribute('aria-describedby')) ?? '', /error-cloudId/);
    assert.equal(await form.locator(':focus').getAttribute('id'), await cloudId.getAttribute('id'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(wb.stub.requests.length, 0);
  });

  it('with no key set, submitting asks for the key in a password box, then sends the request', async () => {
    const wb = workbench();
    const form = await openForm(wb);
    await fill(form, VALUES);
    await form.getByLabel('Site URL', { exact: true }).focus();
    await form.getByRole('heading', { name: 'Add Confluence Space' }).scrollIntoViewIfNeeded(); // the top of the form
    await wb.docsScreenshot('form-dark.png');
    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    await answerPasswordBox(wb, FIRST_KEY);
    const toast = await wb.waitForNotification('/confluence/docs');
    assert.match((await toast.textContent()) ?? '', /Open in Context7/);
    assert.match((await toast.textContent()) ?? '', /Copy Library ID/);
    assert.equal(wb.stub.requests.length, 1);
    assert.deepEqual(wb.stub.requests[0].body, BODY);
    assert.equal(wb.stub.requests[0].headers.authorization, `Bearer ${FIRST_KEY}`);
    // The panel shows the result and starts over for the next space; the draft is gone.
    await form.getByRole('status').filter({ hasText: '/confluence/docs' }).waitFor();
    assert.equal(await form.getByLabel('Space key', { exact: true }).inputValue(), '');
  });

  it('a 429 is retried after a visible wait, then succeeds', async () => {
    const wb = workbench();
    wb.stub.enqueue(
      { status: 429, headers: { 'Retry-After': '3' }, body: { error: 'rate_limited', message: 'Too many requests' } },
      { status: 200, body: { libraryName: '/acme/rate-limited', message: 'Submitted' } },
    );
    const form = await openForm(wb);
    await fill(form, VALUES);
    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    await wb.waitForNotification(/Rate limited: retrying in \d+ s/);
    await wb.waitForNotification('/acme/rate-limited');
    assert.equal(wb.stub.requests.length, 2);
  });

  it('a 401 offers "Set API Key", which takes a new key and sends again', async () => {
    const wb = workbench();
    wb.stub.enqueue({ status: 401, body: { error: 'invalid_api_key', message: 'Invalid API key' } });
    const form = await openForm(wb);
    await fill(form, VALUES);
    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    const toast = await wb.waitForNotification(/rejected the API key/);
    await wb.clickNotificationAction(toast, 'Set API Key');
    // Take a moment, as a person pasting a key does: the workbench sends toasts that arrive in a
    // quick burst (here: progress, error, progress, result within 800 ms) straight to the
    // notification center instead of showing them.
    await wb.page.waitForTimeout(1000);
    await answerPasswordBox(wb, SECOND_KEY);
    await wb.waitForNotification('/confluence/docs');
    assert.equal(wb.stub.requests.length, 2);
    assert.equal(wb.stub.requests[0].headers.authorization, `Bearer ${FIRST_KEY}`);
    assert.equal(wb.stub.requests[1].headers.authorization, `Bearer ${SECOND_KEY}`);
  });

  it('after a server error the form still holds what was typed, also when hidden and shown again', async () => {
    const wb = workbench();
    const error = { status: 500, headers: { 'Retry-After': '1' }, body: { error: 'internal_error', message: 'Something broke' } };
    wb.stub.enqueue(error, error);
    const form = await openForm(wb);
    await fill(form, VALUES);
    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    await wb.waitForNotification(/internal error/);
    await form.getByRole('alert').filter({ hasText: /internal error/ }).waitFor();
    for (const [label, value] of Object.entries(VALUES)) {
      assert.equal(await form.getByLabel(label, { exact: true }).inputValue(), value, label);
    }
    assert.equal(await form.getByRole('button', { name: 'Add Space', exact: true }).isEnabled(), true);

    // Hide the panel behind another editor, then bring it back: nothing is lost.
    await wb.runCommand('File: New Untitled Text File');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).waitFor();
    const again = await openForm(wb);
    assert.equal(await again.getByLabel('Space name', { exact: true }).inputValue(), VALUES['Space name']);
    assert.equal(await again.getByLabel('Page IDs', { exact: true }).inputValue(), VALUES['Page IDs']);
  });

  it('looks right in a light theme too', async () => {
    const wb = workbench();
    await wb.chooseColorTheme('Light Modern', 'vs');
    const form = await openForm(wb);
    await form.getByRole('button', { name: 'Clear', exact: true }).click();
    await fill(form, VALUES);
    await form.getByLabel('Site URL', { exact: true }).focus();
    await form.getByRole('heading', { name: 'Add Confluence Space' }).scrollIntoViewIfNeeded();
    await wb.page.waitForTimeout(500);
    await wb.docsScreenshot('form-light.png');
  });

  it('the Output channel has the attempts but never the key', async () => {
    const wb = workbench();
    await wb.page.waitForTimeout(1000); // the log file is flushed asynchronously
    const log = wb.logText();
    assert.match(log, /POST http:\/\/127\.0\.0\.1:\d+\/api\/v2\/add\/confluence -> 200/);
    assert.match(log, /submission stopped by inline validation/);
    assert.doesNotMatch(log, new RegExp(FIRST_KEY));
    assert.doesNotMatch(log, new RegExp(SECOND_KEY));
  });
});
