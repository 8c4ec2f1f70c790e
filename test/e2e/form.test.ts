/**
 * The "Add Confluence Space" form, driven in a real browser against code-server as a person would:
 * the status bar, labels, the button, the password box, notifications and their buttons.
 * The workbench starts with a fresh profile, so no API key is stored at first.
 */
import * as assert from 'node:assert/strict';
import type { ConsoleMessage, FrameLocator } from 'playwright-core';
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

/** What the CSP test reads and writes inside the webview. */
interface CspWatchedPage {
  document: {
    addEventListener(type: 'securitypolicyviolation', listener: (event: { effectiveDirective: string; blockedURI: string }) => void): void;
    createElement(tag: string): { setAttribute(name: string, value: string): void; remove(): void };
  };
  __c7Violations?: string[];
}

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
    // The workbench shows at most 3 toasts per 800 ms and sends the rest straight to the
    // notification center: a test's toasts must not count against the last test's.
    await wb.page.waitForTimeout(1000);
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
      // The label's own text is exactly the field's name; a required field's "*" stands beside it,
      // visible but hidden from screen readers (they hear aria-required).
      const id = await control.getAttribute('id');
      const labelElement = form.locator(`label[for="${id}"]`);
      assert.equal((await labelElement.textContent())?.trim(), label);
      const marker = labelElement.locator('xpath=following-sibling::*[contains(@class, "required-marker")]');
      if (REQUIRED.includes(label)) {
        assert.equal(await marker.isVisible(), true, `a visible marker next to ${label}`);
        assert.equal(await marker.getAttribute('aria-hidden'), 'true');
      } else {
        assert.equal(await marker.count(), 0, `no marker next to ${label}`);
      }
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

  it('with no key set, dismissing the password box sends nothing and keeps what was typed', async () => {
    const wb = workbench();
    const form = await openForm(wb);
    await fill(form, VALUES);
    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    const box = wb.page.locator('.quick-input-widget .quick-input-box input[type="password"]');
    await box.waitFor({ timeout: 30_000 });
    await box.press('Escape');
    // The user's own choice: said in the form, not in a notification.
    await form.getByText('Nothing was sent: a Context7 API key is needed.').waitFor({ timeout: 10_000 });
    assert.equal(await wb.notifications().filter({ hasText: 'Nothing was sent' }).count(), 0);
    assert.equal(await form.getByRole('button', { name: 'Add Space', exact: true }).isEnabled(), true);
    assert.equal(wb.stub.requests.length, 0);
    for (const [label, value] of Object.entries(VALUES)) assert.equal(await form.getByLabel(label, { exact: true }).inputValue(), value, label);
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

  it('Cancel on the progress notification stops a rate-limit wait at once: one request, a warning, the form as typed', async () => {
    const wb = workbench();
    wb.stub.enqueue({ status: 429, headers: { 'Retry-After': '60' }, body: { error: 'rate_limited', message: 'Too many requests' } });
    const form = await openForm(wb);
    await fill(form, VALUES);
    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    const progress = await wb.waitForNotification(/Rate limited: retrying in \d+ s/);
    await wb.clickNotificationAction(progress, 'Cancel');
    const toast = await wb.waitForNotification('Cancelled. Nothing was added.', 10_000);
    assert.equal(await wb.notificationSeverity(toast), 'warning');
    assert.equal(wb.stub.requests.length, 1, 'no retry after the cancel');
    await wb.page.waitForTimeout(500);
    assert.equal(wb.stub.requests.length, 1);
    assert.equal(await form.getByRole('button', { name: 'Add Space', exact: true }).isEnabled(), true, 'ready to send again');
    for (const [label, value] of Object.entries(VALUES)) assert.equal(await form.getByLabel(label, { exact: true }).inputValue(), value, label);
  });

  it('a 401 offers "Set API Key", which takes a new key and sends again', async () => {
    const wb = workbench();
    wb.stub.enqueue({ status: 401, body: { error: 'invalid_api_key', message: 'Invalid API key' } });
    const form = await openForm(wb);
    await fill(form, VALUES);
    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    const toast = await wb.waitForNotification(/rejected the API key/);
    assert.equal(await wb.notificationSeverity(toast), 'error');
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
    assert.equal(await wb.notificationSeverity(await wb.waitForNotification(/internal error/)), 'error');
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

  it('"Retry" on a failure sends the request again, and it succeeds', async () => {
    const wb = workbench();
    await wb.ensureApiKey(SECOND_KEY);
    const error = { status: 500, headers: { 'Retry-After': '1' }, body: { error: 'internal_error', message: 'Something broke' } };
    wb.stub.enqueue(error, error); // both attempts of the first submission (context7.retry.maxAttempts is 2)
    const form = await openForm(wb);
    await fill(form, VALUES);
    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    const toast = await wb.waitForNotification(/internal error/);
    assert.match((await toast.textContent()) ?? '', /Retry/);
    assert.equal(wb.stub.requests.length, 2);
    await wb.page.waitForTimeout(1000); // see the 401 test: a quick burst of toasts skips the toasts
    await wb.clickNotificationAction(toast, 'Retry');
    await wb.waitForNotification('/confluence/docs');
    assert.equal(wb.stub.requests.length, 3);
    assert.deepEqual(wb.stub.requests[2].body, BODY);
    await form.getByRole('status').filter({ hasText: '/confluence/docs' }).waitFor();
  });

  it('a 409 (already added) is a warning notification, not an error', async () => {
    const wb = workbench();
    await wb.ensureApiKey(SECOND_KEY);
    wb.stub.enqueue({ status: 409, body: { error: 'duplicate', message: 'This space was added already' } });
    const form = await openForm(wb);
    await fill(form, VALUES);
    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    const toast = await wb.waitForNotification(/already been added/);
    assert.equal(await wb.notificationSeverity(toast), 'warning');
    assert.equal(wb.stub.requests.length, 1);
  });

  it('a double click on "Add Space" sends one request; the button is disabled while it is in flight', async () => {
    const wb = workbench();
    await wb.ensureApiKey(SECOND_KEY);
    wb.stub.enqueue({ status: 200, body: { libraryName: '/acme/once', message: 'Submitted' }, delayMs: 3000 });
    const form = await openForm(wb);
    await fill(form, VALUES);
    const button = form.getByRole('button', { name: 'Add Space', exact: true });
    await button.dblclick();
    await wb.stub.waitForRequests(1, 15_000);
    // The stand-in holds its answer for 3 s: the request is in flight now.
    assert.equal(await button.isDisabled(), true, 'disabled while the request is in flight');
    assert.equal(await form.locator('form').getAttribute('aria-busy'), 'true');
    await wb.waitForNotification('/acme/once');
    await form.getByRole('status').filter({ hasText: '/acme/once' }).waitFor();
    assert.equal(await button.isEnabled(), true, 'enabled again once the answer is in');
    await wb.page.waitForTimeout(500);
    assert.equal(wb.stub.requests.length, 1);
  });

  it('closing the form and opening it again with the command brings back what was typed', async () => {
    const wb = workbench();
    const form = await openForm(wb);
    await form.getByRole('button', { name: 'Clear', exact: true }).click();
    const typed = { ...VALUES, 'Space key': 'TEAM', 'Space name': 'Team space', 'Page IDs': '345678, 456789', Title: 'Team Docs' };
    await fill(form, typed);
    // Close it at once, by the tab's close button, as a person would.
    const tab = wb.page.locator('.tabs-container .tab', { hasText: 'Add Confluence Space' });
    await tab.locator('.tab-actions .codicon-close').click();
    await tab.waitFor({ state: 'detached' });
    assert.equal(await wb.page.locator('iframe.webview.ready').count(), 0, 'the webview is gone');
    const again = await openForm(wb);
    for (const [label, value] of Object.entries(typed)) {
      assert.equal(await again.getByLabel(label, { exact: true }).inputValue(), value, label);
    }
  });

  it('the success notification\'s "Copy Library ID" copies the returned libraryName', async () => {
    const wb = workbench();
    await wb.ensureApiKey(SECOND_KEY);
    wb.stub.enqueue({ status: 200, body: { libraryName: '/acme/copied-docs', message: 'Submitted' } });
    await wb.page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText('before'));
    const form = await openForm(wb);
    await fill(form, VALUES);
    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    const toast = await wb.waitForNotification('/acme/copied-docs');
    assert.equal(await wb.notificationSeverity(toast), 'info');
    await wb.clickNotificationAction(toast, 'Copy Library ID');
    await toast.waitFor({ state: 'detached' });
    const readClipboard = () =>
      wb.page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    const deadline = Date.now() + 10_000;
    let copied = await readClipboard();
    while (copied !== '/acme/copied-docs' && Date.now() < deadline) {
      await wb.page.waitForTimeout(200);
      copied = await readClipboard();
    }
    assert.equal(copied, '/acme/copied-docs');
  });

  it('runs under a strict CSP (default-src \'none\', a nonce) with no violation while the form is used', async () => {
    const wb = workbench();
    await wb.ensureApiKey(SECOND_KEY);
    // A fresh page: close every editor, then watch the console from before the form loads.
    await wb.runCommand('View: Close All Editors');
    await wb.page.locator('iframe.webview.ready').first().waitFor({ state: 'detached' });
    const consoleErrors: string[] = [];
    const onConsole = (message: ConsoleMessage) => {
      if (/Content[ -]Security[ -]Policy/i.test(message.text())) consoleErrors.push(`${message.location().url}: ${message.text()}`);
    };
    wb.page.on('console', onConsole);
    try {
      const form = await openForm(wb);
      // Inside the webview, from now on: every violation of its policy.
      await form.locator('html').evaluate(() => {
        const page = globalThis as unknown as CspWatchedPage;
        page.__c7Violations = [];
        page.document.addEventListener('securitypolicyviolation', (event) => {
          page.__c7Violations?.push(`${event.effectiveDirective} ${event.blockedURI}`);
        });
      });
      const violations = () => form.locator('html').evaluate(() => (globalThis as unknown as CspWatchedPage).__c7Violations ?? []);

      // The policy as the document carries it.
      const csp = (await form.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
      assert.match(csp, /(^|;)\s*default-src 'none'\s*(;|$)/, csp);
      const nonce = /script-src 'nonce-([A-Za-z0-9+/=_-]{16,})'/.exec(csp)?.[1];
      assert.ok(nonce, `a script nonce in: ${csp}`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      const scripts = await form.locator('script').evaluateAll((nodes) =>
        nodes.map((node) => {
          const script = node as unknown as { id: string; src: string; nonce: string; textContent: string | null };
          return { id: script.id, src: script.src, nonce: script.nonce, inline: (script.textContent ?? '').trim() !== '' };
        }),
      );
      // VS Code puts its own `acquireVsCodeApi` script at the top of the head, before the policy;
      // every other script is ours.
      const ours = scripts.filter((script) => script.id !== '_vscodeApiScript');
      assert.equal(ours.length, 1, `one script of ours: ${JSON.stringify(scripts)}`);
      assert.match(ours[0].src, /webview\.js$/);
      assert.equal(ours[0].inline, false, 'no inline script');
      assert.equal(ours[0].nonce, nonce);

      // Use the form: a pasted link, inline errors, Clear, a submission.
      await form.getByRole('button', { name: 'Clear', exact: true }).click();
      await fill(form, { 'Cloud ID': VALUES['Cloud ID'] }); // typed first, so the paste looks nothing up
      await form.getByLabel('Confluence link', { exact: true }).fill('https://acme.atlassian.net/wiki/spaces/DOCS/pages/234567/Intro');
      await form.getByText(/Filled in from the link/).first().waitFor();
      await form.getByRole('button', { name: 'Add Space', exact: true }).click();
      await form.getByText(/Space name is required/).waitFor();
      await fill(form, VALUES);
      await form.getByRole('button', { name: 'Add Space', exact: true }).click();
      await wb.waitForNotification('/confluence/docs');
      await form.getByRole('status').filter({ hasText: '/confluence/docs' }).waitFor();
      await wb.page.waitForTimeout(500);
      assert.deepEqual(await violations(), []);
      assert.deepEqual(consoleErrors, []);

      // The watch itself works: an inline style attribute is a violation, and it is seen.
      await form.locator('body').evaluate((body) => {
        const page = globalThis as unknown as CspWatchedPage;
        const probe = page.document.createElement('div');
        probe.setAttribute('style', 'color: red');
        (body as unknown as { append(node: unknown): void }).append(probe);
        probe.remove();
      });
      await wb.page.waitForTimeout(500);
      assert.match((await violations()).join('\n'), /style-src/);
      assert.match(consoleErrors.join('\n'), /style/);
    } finally {
      wb.page.off('console', onConsole);
    }
  });

  it('looks right in a light theme too', async () => {
    const wb = workbench();
    await wb.chooseColorTheme('Light Modern', 'vs');
    await wb.runCommand('View: Close All Editors'); // the form alone in the screenshot
    const form = await openForm(wb);
    await form.getByRole('button', { name: 'Clear', exact: true }).click();
    await fill(form, VALUES);
    await form.getByLabel('Site URL', { exact: true }).focus();
    await form.getByRole('heading', { name: 'Add Confluence Space' }).scrollIntoViewIfNeeded();
    await wb.page.waitForTimeout(500);
    await wb.docsScreenshot('form-light.png');
  });

  it('a message from the page that breaks the protocol is rejected and logged, and nothing is sent', async () => {
    const wb = workbench();
    const form = await openForm(wb);
    await fill(form, VALUES);
    // Handed to the webview's host frame the way the page's own messages travel (VS Code's
    // `acquireVsCodeApi().postMessage` calls this function of the host frame), but not messages the
    // protocol declares: a submit whose draft is not a draft, and a type it does not know.
    await wb.page.frameLocator('iframe.webview.ready').last().locator('body').evaluate(() => {
      type HostFrame = { __vscode_post_message__(command: string, data: unknown): void };
      const frame = globalThis as unknown as HostFrame;
      frame.__vscode_post_message__('onmessage', { message: { type: 'submit', draft: 'DROP TABLE' }, transfer: [] });
      frame.__vscode_post_message__('onmessage', { message: { type: 'openExternal', url: 'https://example.com' }, transfer: [] });
    });
    await wb.page.waitForTimeout(1500); // the log file is flushed asynchronously
    const rejected = wb.logText().match(/rejected a message from the form webview/g) ?? [];
    assert.equal(rejected.length, 2, 'both were rejected and logged');
    assert.equal(wb.stub.requests.length, 0);
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
