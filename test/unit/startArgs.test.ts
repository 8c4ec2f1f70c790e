import * as assert from 'node:assert/strict';
import { parseStartArgs } from '../../src/shared/startArgs';

function parse(raw: unknown) {
  const warnings: string[] = [];
  const args = parseStartArgs(raw, (message) => warnings.push(message));
  return { args, warnings };
}

describe('command argument of context7.addConfluenceSpace', () => {
  it('treats no argument as an empty prefill, silently', () => {
    assert.deepEqual(parse(undefined), { args: { draft: {} }, warnings: [] });
    assert.deepEqual(parse(null), { args: { draft: {} }, warnings: [] });
  });

  it('takes the request fields as a prefill', () => {
    const { args, warnings } = parse({ siteUrl: 'https://acme.atlassian.net', spaceKey: 'DOCS', title: 'Docs', projectId: 'p1' });
    assert.deepEqual(args.draft, { siteUrl: 'https://acme.atlassian.net', spaceKey: 'DOCS', title: 'Docs', projectId: 'p1' });
    assert.deepEqual(warnings, []);
  });

  it('accepts pageIds as free text or as a list', () => {
    assert.equal(parse({ pageIds: '1 2,3' }).args.draft.pageIds, '1 2,3');
    assert.equal(parse({ pageIds: ['1', 'https://acme.atlassian.net/wiki/x/AbC', 3] }).args.draft.pageIds, '1, https://acme.atlassian.net/wiki/x/AbC, 3');
  });

  it('ignores unknown keys without a warning', () => {
    assert.deepEqual(parse({ spaceKey: 'DOCS', apiKey: 'ctx7sk-nope', whatever: { deep: true } }), { args: { draft: { spaceKey: 'DOCS' } }, warnings: [] });
  });

  it('drops a field that is not text, with a warning naming the key, and keeps the rest', () => {
    const { args, warnings } = parse({ spaceKey: 42, title: 'Docs', cloudId: ['x'] });
    assert.deepEqual(args.draft, { title: 'Docs' });
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /"spaceKey"/);
    assert.match(warnings[1], /"cloudId"/);
  });

  it('reads flow, submit and signal', () => {
    const controller = new AbortController();
    const { args, warnings } = parse({ flow: 'quickInput', submit: true, signal: controller.signal });
    assert.equal(args.flow, 'quickInput');
    assert.equal(args.submit, true);
    assert.equal(args.signal, controller.signal);
    assert.deepEqual(warnings, []);
  });

  it('rejects a wrong flow, a non-boolean submit and a fake signal', () => {
    const { args, warnings } = parse({ flow: 'wizard', submit: 'yes', signal: { aborted: true } });
    assert.equal(args.flow, undefined);
    assert.equal(args.submit, undefined);
    assert.equal(args.signal, undefined);
    assert.equal(warnings.length, 3);
  });

  it('warns about an argument that is not an object, and uses none of it', () => {
    assert.equal(parse('DOCS').warnings.length, 1);
    assert.equal(parse([{ spaceKey: 'DOCS' }]).warnings.length, 1);
    assert.deepEqual(parse([{ spaceKey: 'DOCS' }]).args.draft, {});
  });
});
