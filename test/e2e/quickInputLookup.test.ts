/**
 * The cloud ID lookup never holds up the quick input: while Atlassian is slow to answer, the
 * Cloud ID step is already open for typing, and what is typed there is what gets sent.
 */
import * as assert from 'node:assert/strict';
import { AtlassianStub } from '../support/atlassian-stub';
import { useWorkbench } from './support/workbench';

const KEY = 'ctx7sk-e2e-quick-lookup-0123456789';
const TYPED_CLOUD_ID = '0d9c8b7a-6f5e-4d3c-8b2a-19f8e7d6c5b4';

describe('Quick input while the cloud ID lookup runs (UI)', function () {
  this.timeout(180_000);
  let atlassian: AtlassianStub;
  before(async () => {
    atlassian = await AtlassianStub.start();
  });
  after(async () => {
    await atlassian?.close();
  });
  const workbench = useWorkbench({ settings: { 'context7.addFlow': 'quickInput' } });

  it('opens the Cloud ID step at once, busy but typable, and keeps what was typed', async () => {
    const wb = workbench();
    await wb.runCommand('Context7: Set API Key');
    await wb.answerInputBox(KEY);
    await wb.waitForNotification('Context7 API key saved.');

    // tenant_info does not answer: the lookup runs until its own time limit.
    atlassian.stallNext(1, { path: '/_edge/tenant_info' });
    const box = wb.quickInput().locator('.quick-input-box input');
    const onStep = (title: string) => wb.quickInput().locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });

    await wb.runCommand('Context7: Add Confluence Space');
    await onStep('Confluence link');
    await box.fill(`${atlassian.siteUrl}/wiki/spaces/ENG/pages/65700/Runbooks`);
    await box.press('Enter');

    // The flow is on the Cloud ID step while the lookup is still asking, and says so.
    await onStep('Cloud ID');
    await wb.quickInput().getByText(`Looking up the cloud ID from ${atlassian.siteUrl}`).waitFor({ timeout: 4_000 });
    await atlassian.waitForRequests(1);
    assert.equal(atlassian.requestsTo('/_edge/tenant_info').length, 1, 'the lookup is under way');
    assert.equal(atlassian.requestsTo('/_edge/tenant_info')[0].status, 0, 'and still unanswered');
    await box.fill(TYPED_CLOUD_ID, { timeout: 2_000 });
    await box.press('Enter');

    // Space key came from the link; the rest is answered as usual.
    await onStep('Space key');
    assert.equal(await box.inputValue(), 'ENG');
    await box.press('Enter');
    for (const [title, value] of [
      ['Space name', 'Engineering'],
      ['Page IDs', ''],
      ['Title', 'Engineering'],
      ['Description', 'Engineering documentation from Confluence'],
      ['Project ID', ''],
    ]) {
      await onStep(title);
      if (value) await box.fill(value);
      await box.press('Enter');
    }
    await onStep('Review');
    await box.press('Enter');

    await wb.waitForNotification('/confluence/eng');
    const body = wb.stub.requests[0].body as Record<string, unknown>;
    assert.equal(body.cloudId, TYPED_CLOUD_ID, 'the typed cloud ID was sent, not replaced');
    assert.deepEqual(body.pageIds, ['65700']);
  });
});
