/**
 * The Confluence helpers in a real browser against code-server, as a person uses them: pasting a
 * link into the form, the cloud ID filled from the site, connecting an Atlassian account from the
 * palette, picking a space, ticking pages in the tree, and submitting with "Include sub-pages".
 *
 * An Atlassian stand-in (test/support/atlassian-stub.ts) runs in this process on 127.0.0.1; the
 * extension in code-server talks to it like to a Cloud site (http is allowed for loopback sites).
 */
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { AtlassianStub, STUB_API_TOKEN, STUB_CLOUD_ID, STUB_EMAIL } from '../support/atlassian-stub';
import { useWorkbench, type Workbench } from './support/workbench';

const KEY = 'ctx7sk-e2e-confluence-0123456789';

async function openForm(wb: Workbench): Promise<FrameLocator> {
  await wb.runCommand('Context7: Add Confluence Space');
  const form = wb.webview();
  await form.getByLabel('Confluence link', { exact: true }).waitFor({ timeout: 30_000 });
  return form;
}

/** Waits until a control holds `expected` (auto-filled values arrive asynchronously). */
async function waitForValue(control: Locator, expected: string, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let value = '';
  while (Date.now() < deadline) {
    value = await control.inputValue();
    if (value === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(value, expected);
}

async function waitForAttribute(target: Locator, name: string, expected: string | null, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let value: string | null = null;
  while (Date.now() < deadline) {
    value = await target.getAttribute(name);
    if (value === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(value, expected, `${name}`);
}

/** Waits until the quick input shows the step titled `title`, then returns its text box. */
async function step(wb: Workbench, title: string): Promise<Locator> {
  await wb.quickInput().locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  return wb.quickInput().locator('.quick-input-box input');
}

describe('Confluence (UI)', function () {
  this.timeout(180_000);
  let atlassian: AtlassianStub;
  before(async () => {
    atlassian = await AtlassianStub.start();
  });
  after(async () => {
    await atlassian?.close();
  });
  const workbench = useWorkbench();

  afterEach(async () => {
    const wb = workbench();
    wb.stub.reset();
    atlassian.reset();
    await wb.clearNotifications();
  });

  it('pasting a page link fills Site URL, Space key and Page IDs, and the Cloud ID from the site', async () => {
    const wb = workbench();
    const form = await openForm(wb);
    const link = `${atlassian.siteUrl}/wiki/spaces/ENG/pages/201819180/Architecture`;
    await form.getByLabel('Confluence link', { exact: true }).fill(link);

    await waitForValue(form.getByLabel('Site URL', { exact: true }), atlassian.siteUrl);
    await waitForValue(form.getByLabel('Space key', { exact: true }), 'ENG');
    await waitForValue(form.getByLabel('Page IDs', { exact: true }), '201819180');
    await waitForValue(form.getByLabel('Cloud ID', { exact: true }), STUB_CLOUD_ID);
    assert.equal(atlassian.requestsTo('/_edge/tenant_info').length, 1, 'the cloud ID came from tenant_info');

    // Each value says where it came from, and the note is tied to its field.
    await form.getByText('Filled in from the link: Site URL, Space key, Page IDs.').waitFor();
    const siteNote = form.locator('#auto-siteUrl');
    assert.equal(await siteNote.textContent(), 'Filled in from the link.');
    assert.match((await form.getByLabel('Site URL', { exact: true }).getAttribute('aria-describedby')) ?? '', /auto-siteUrl/);
    assert.match((await form.locator('#auto-cloudId').textContent()) ?? '', /^Looked up from 127\.0\.0\.1:\d+\.$/);
    assert.equal(await form.locator('#auto-spaceName').isVisible(), false, 'nothing is claimed for a field left alone');
    await form.getByRole('heading', { name: 'Add Confluence Space' }).scrollIntoViewIfNeeded();
    await wb.docsScreenshot('paste-dark.png');
  });

  it('never overwrites what the user typed, and says so', async () => {
    const wb = workbench();
    const form = await openForm(wb);
    await form.getByRole('button', { name: 'Clear', exact: true }).click();
    const spaceKey = form.getByLabel('Space key', { exact: true });
    await spaceKey.fill('DOCS');
    await form.getByLabel('Confluence link', { exact: true }).fill(`${atlassian.siteUrl}/wiki/spaces/ENG/pages/65650/Onboarding`);
    await waitForValue(form.getByLabel('Page IDs', { exact: true }), '65650');
    await form.getByText('Kept what you typed in Space key.', { exact: false }).waitFor();
    assert.equal(await spaceKey.inputValue(), 'DOCS');
    assert.equal(await form.locator('#auto-spaceKey').isVisible(), false);

    // Typing over a value filled from the link makes it the user's: a new link leaves it alone.
    await form.getByLabel('Page IDs', { exact: true }).fill('42');
    await form.getByLabel('Confluence link', { exact: true }).fill(`${atlassian.siteUrl}/wiki/spaces/DOCS/pages/77001/Home`);
    await form.getByText(/Kept what you typed in .*Page IDs/).waitFor();
    assert.equal(await form.getByLabel('Page IDs', { exact: true }).inputValue(), '42');
  });

  it('a failed cloud ID lookup is a quiet note under Cloud ID that says how to find it by hand', async () => {
    const wb = workbench();
    const form = await openForm(wb);
    await form.getByRole('button', { name: 'Clear', exact: true }).click();
    // A site of its own: the cloud IDs looked up so far are cached per site.
    const site = await AtlassianStub.start();
    try {
      site.failNext(404, 1, {}, { path: '/_edge/tenant_info' });
      await form.getByLabel('Site URL', { exact: true }).fill(site.siteUrl);

      const note = form.locator('#lookup-cloudId');
      await note.filter({ hasText: /404/ }).waitFor({ timeout: 15_000 });
      const text = (await note.textContent()) ?? '';
      assert.ok(text.includes(`To find it by hand, open ${site.siteUrl}/_edge/tenant_info in a browser`), text);
      assert.match(text, /admin\.atlassian\.com/);
      const cloudId = form.getByLabel('Cloud ID', { exact: true });
      assert.match((await cloudId.getAttribute('aria-describedby')) ?? '', /lookup-cloudId/, 'the note is read out with the field');
      assert.equal(await cloudId.inputValue(), '', 'nothing was made up');
      assert.notEqual(await cloudId.getAttribute('aria-invalid'), 'true', 'a failed lookup is not an error of the user');
      assert.equal(await wb.notifications().count(), 0, 'and no notification');

      // Typing the ID by hand takes the note away.
      await cloudId.fill(STUB_CLOUD_ID);
      await note.waitFor({ state: 'hidden' });
    } finally {
      await site.close();
    }
  });

  it('a Data Center link gets an explanation next to the field, not a notification', async () => {
    const wb = workbench();
    const form = await openForm(wb);
    await form.getByRole('button', { name: 'Clear', exact: true }).click();
    const field = form.getByLabel('Confluence link', { exact: true });
    await field.fill('https://confluence.example.com/display/ENG/Architecture');
    const message = form.locator('#link-message');
    await message.filter({ hasText: /Data Center or Server site/ }).waitFor();
    assert.match((await message.textContent()) ?? '', /only from an Atlassian Cloud site/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match((await field.getAttribute('aria-describedby')) ?? '', /link-message/);
    assert.equal(await form.getByLabel('Site URL', { exact: true }).inputValue(), '', 'nothing was filled');
    assert.equal(await wb.notifications().filter({ hasText: /Data Center/ }).count(), 0);

    // Something that is not a link at all says why, too.
    await field.fill('see the wiki');
    await message.filter({ hasText: /is not/ }).waitFor();
  });

  it('connects an account from the palette, picks a space and two pages, and submits them with their sub-pages', async () => {
    const wb = workbench();
    await wb.runCommand('Context7: Set API Key');
    await wb.answerInputBox(KEY);
    await wb.waitForNotification('Context7 API key saved.');

    // Connect: site, email, then the token in a password box. A wrong token is said on its step,
    // with the other answers kept; fixing it is enough.
    await wb.runCommand('Context7: Connect Atlassian Account');
    let input = await step(wb, 'Site URL');
    await input.fill(atlassian.siteUrl);
    await input.press('Enter');
    input = await step(wb, 'Email');
    await input.fill(STUB_EMAIL);
    await input.press('Enter');
    input = await step(wb, 'API token');
    assert.equal(await input.getAttribute('type'), 'password');
    await input.fill('ATATT-not-the-right-token');
    await input.press('Enter');
    await wb.quickInput().locator('.quick-input-message', { hasText: /HTTP 401/ }).waitFor({ timeout: 30_000 });
    await input.fill(STUB_API_TOKEN);
    await input.press('Enter');
    await wb.waitForNotification(/Connected to Confluence at http:\/\/127\.0\.0\.1:\d+ as ada@example\.com/);

    const form = await openForm(wb);
    await form.getByRole('button', { name: 'Clear', exact: true }).click();
    await form.getByText(`Browsing as ${STUB_EMAIL}.`).waitFor();

    // The space picker: searchable, filled as the spaces arrive.
    await form.getByRole('button', { name: 'Browse spaces…', exact: true }).click();
    await wb.quickInput().locator('.monaco-list-row', { hasText: 'Operations' }).waitFor({ timeout: 30_000 });
    const filter = wb.quickInput().locator('.quick-input-box input');
    await filter.fill('engin');
    await wb.quickInput().locator('.monaco-list-row', { hasText: 'Engineering' }).first().waitFor();
    await filter.press('Enter');

    await waitForValue(form.getByLabel('Space key', { exact: true }), 'ENG');
    assert.equal(await form.getByLabel('Space name', { exact: true }).inputValue(), 'Engineering');
    assert.equal(await form.getByLabel('Site URL', { exact: true }).inputValue(), atlassian.siteUrl);
    assert.equal(await form.getByLabel('Title', { exact: true }).inputValue(), 'Engineering');
    assert.equal(await form.getByLabel('Description', { exact: true }).inputValue(), 'Engineering documentation from Confluence');
    assert.equal(await form.locator('#auto-title').textContent(), 'Suggested from the space name: change it if you like.');
    await waitForValue(form.getByLabel('Cloud ID', { exact: true }), STUB_CLOUD_ID);

    // The page tree: sub-pages load when a page is opened; a parent with some sub-pages ticked is mixed.
    const tree = form.getByRole('tree', { name: 'Pages of Engineering' });
    const item = (title: string) => tree.getByRole('treeitem', { name: title, exact: true });
    const tick = (title: string) => item(title).locator('input[type="checkbox"]').first().click();
    await item('Architecture').waitFor({ timeout: 30_000 });
    assert.equal(await item('Runbooks').getAttribute('aria-expanded'), 'false');
    const childLists = () => atlassian.requestsTo('/wiki/api/v2/pages/').filter((r) => r.path.endsWith('/children')).map((r) => r.path);
    assert.deepEqual(childLists(), [], 'no sub-pages are listed before a page is opened');
    await item('Runbooks').locator('.twisty').first().click();
    await item('On-call').waitFor();
    assert.deepEqual(childLists(), ['/wiki/api/v2/pages/65700/children'], 'opening Runbooks lists only its own sub-pages');
    await waitForAttribute(item('Runbooks'), 'aria-expanded', 'true');
    await tick('On-call');
    await waitForAttribute(item('On-call'), 'aria-checked', 'true');
    await waitForAttribute(item('Runbooks'), 'aria-checked', 'mixed');
    assert.equal(await item('Runbooks').locator('input[type="checkbox"]').first().evaluate((box) => (box as unknown as { indeterminate: boolean }).indeterminate), true);
    assert.equal(await form.getByLabel('Page IDs', { exact: true }).inputValue(), '65701');
    // The keyboard: Space on the focused page unticks it.
    await item('On-call').focus();
    await wb.page.keyboard.press('Space');
    await waitForAttribute(item('Runbooks'), 'aria-checked', 'false');
    assert.equal(await form.getByLabel('Page IDs', { exact: true }).inputValue(), '');

    await tick('Architecture');
    await tick('Onboarding');
    await waitForValue(form.getByLabel('Page IDs', { exact: true }), '201819180, 65650');
    await form.getByLabel('Include sub-pages', { exact: true }).check();
    await form.getByText(/stays pinned to those pages/).waitFor();

    // With sub-pages included, opening Architecture shows its sub-pages ticked with it.
    await item('Architecture').locator('.twisty').first().click();
    await item('Services').waitFor();
    await waitForAttribute(item('Services'), 'aria-checked', 'true');
    assert.equal(await item('Services').locator('input[type="checkbox"]').first().isDisabled(), true);
    await item('Architecture').scrollIntoViewIfNeeded();
    await wb.docsScreenshot('browse-dark.png');

    await form.getByRole('button', { name: 'Add Space', exact: true }).click();
    await wb.waitForNotification('/confluence/eng');
    assert.equal(wb.stub.requests.length, 1);
    const body = wb.stub.requests[0].body as Record<string, unknown>;
    assert.deepEqual(body.pageIds, ['201819180', '65650', '201819181', '201819182', '201819183', '201819184']);
    assert.equal(body.cloudId, STUB_CLOUD_ID);
    assert.equal(body.siteUrl, atlassian.siteUrl);
    assert.equal(body.spaceKey, 'ENG');
  });

  it('with an account connected, a tiny link also fills the space of its page', async () => {
    const wb = workbench();
    const form = await openForm(wb);
    await form.getByRole('button', { name: 'Clear', exact: true }).click();
    await form.getByText(`Browsing as ${STUB_EMAIL}.`).waitFor(); // connected by the test before
    // LIQHD is page 201819180 (Architecture, in Engineering); the link itself names no space.
    await form.getByLabel('Confluence link', { exact: true }).fill(`${atlassian.siteUrl}/wiki/x/LIQHD`);
    await waitForValue(form.getByLabel('Page IDs', { exact: true }), '201819180');
    await waitForValue(form.getByLabel('Space key', { exact: true }), 'ENG');
    assert.equal(await form.getByLabel('Space name', { exact: true }).inputValue(), 'Engineering');
    assert.equal(await form.locator('#auto-spaceKey').textContent(), 'Filled in from the link.');
    assert.equal(atlassian.requestsTo('/wiki/api/v2/pages/201819180').length, 1, 'the page was asked for its space');

    // What the user typed is never replaced: a space key of their own stays.
    await form.getByRole('button', { name: 'Clear', exact: true }).click();
    await form.getByLabel('Space key', { exact: true }).fill('MINE');
    await form.getByLabel('Confluence link', { exact: true }).fill(`${atlassian.siteUrl}/wiki/x/LIQHD`);
    await waitForValue(form.getByLabel('Page IDs', { exact: true }), '201819180');
    await waitForValue(form.getByLabel('Space name', { exact: true }), 'Engineering');
    assert.equal(await form.getByLabel('Space key', { exact: true }).inputValue(), 'MINE');
  });

  it('Browse pages… shows the tree of a typed space key; Confluence errors show next to the buttons', async () => {
    const wb = workbench();
    const form = await openForm(wb);
    await form.getByRole('button', { name: 'Clear', exact: true }).click();
    const spaceKey = form.getByLabel('Space key', { exact: true });
    await spaceKey.fill('OPS');
    await form.getByRole('button', { name: 'Browse pages…', exact: true }).click();
    await form.getByRole('tree', { name: 'Pages of Operations' }).getByRole('treeitem', { name: 'Operations Home' }).waitFor({ timeout: 30_000 });

    await spaceKey.fill('NOPE');
    await form.getByRole('button', { name: 'Browse pages…', exact: true }).click();
    await form.locator('#pages-message').filter({ hasText: /no space with the key NOPE/ }).waitFor();

    // Atlassian stops accepting the token: the space picker closes and the form says why, offering to connect.
    atlassian.failNext(401, 1, {}, { path: '/wiki/api/v2/spaces' });
    await form.getByRole('button', { name: 'Browse spaces…', exact: true }).click();
    const message = form.locator('#spaces-message');
    await message.filter({ hasText: /HTTP 401/ }).waitFor({ timeout: 30_000 });
    assert.equal(await message.getByRole('button', { name: 'Connect Atlassian Account' }).isVisible(), true);
    assert.equal(await wb.notifications().filter({ hasText: /HTTP 401/ }).count(), 0);
  });

  it('the log has the Confluence calls but never the token or the key', async () => {
    const wb = workbench();
    await wb.page.waitForTimeout(1000); // the log file is flushed asynchronously
    const log = wb.logText();
    assert.match(log, /GET http:\/\/127\.0\.0\.1:\d+\/wiki\/api\/v2\/spaces\?limit=1 -> 401/);
    assert.match(log, /Atlassian account ada@example\.com connected/);
    assert.match(log, /cloud ID of http:\/\/127\.0\.0\.1:\d+ looked up/);
    assert.doesNotMatch(log, new RegExp(STUB_API_TOKEN));
    assert.doesNotMatch(log, /ATATT-not-the-right-token/);
    assert.doesNotMatch(log, new RegExp(KEY));
  });
});
