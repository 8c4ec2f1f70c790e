import * as assert from 'node:assert/strict';
import { parseConfluenceLinks, type LinkParseOk } from '../../src/core/confluenceLink';
import { applyAutoFill, canAutoFill, editPageIds, linkUpdates, pageIdsIn, spaceUpdates } from '../../src/shared/autoFill';

function parsed(text: string): LinkParseOk {
  const result = parseConfluenceLinks(text);
  assert.equal(result.ok, true, JSON.stringify(result));
  return result as LinkParseOk;
}

describe('autoFill: never over what the user typed', () => {
  it('fills empty fields and records where the values came from', () => {
    const result = applyAutoFill({}, {}, { siteUrl: 'https://acme.atlassian.net', spaceKey: 'ENG' }, 'link');
    assert.deepEqual(result.draft, { siteUrl: 'https://acme.atlassian.net', spaceKey: 'ENG' });
    assert.deepEqual(result.auto, { siteUrl: 'link', spaceKey: 'link' });
    assert.deepEqual(result.filled, ['siteUrl', 'spaceKey']);
    assert.deepEqual(result.kept, []);
  });

  it('keeps a typed value and reports it, but not when it is the same value', () => {
    const draft = { siteUrl: 'https://mine.atlassian.net', spaceKey: 'ENG' };
    const result = applyAutoFill(draft, {}, { siteUrl: 'https://acme.atlassian.net', spaceKey: 'ENG', pageIds: '1' }, 'link');
    assert.equal(result.draft.siteUrl, 'https://mine.atlassian.net');
    assert.equal(result.draft.pageIds, '1');
    assert.deepEqual(result.kept, ['siteUrl']);
    assert.deepEqual(result.filled, ['pageIds']);
    assert.equal(result.auto.siteUrl, undefined);
    assert.equal(result.auto.spaceKey, undefined, 'a typed value stays the user\'s');
  });

  it('replaces a value it filled itself, from any source', () => {
    const first = applyAutoFill({}, {}, { cloudId: '3f2b6c1e-8a4d-4b7e-9c2f-5d1e0a9b8c7d' }, 'lookup');
    const second = applyAutoFill(first.draft, first.auto, { cloudId: '11111111-2222-4333-8444-555555555555' }, 'lookup');
    assert.equal(second.draft.cloudId, '11111111-2222-4333-8444-555555555555');
    assert.deepEqual(second.filled, ['cloudId']);
  });

  it('clears only a value it filled itself', () => {
    const typed = applyAutoFill({ pageIds: '42' }, {}, { pageIds: '' }, 'link');
    assert.equal(typed.draft.pageIds, '42');
    const auto = applyAutoFill({ pageIds: '42' }, { pageIds: 'link' }, { pageIds: '' }, 'link');
    assert.equal(auto.draft.pageIds, '');
    assert.equal(auto.auto.pageIds, undefined);
  });

  it('does not change its inputs', () => {
    const draft = { title: '' };
    const auto = {};
    applyAutoFill(draft, auto, { title: 'T' }, 'suggested');
    assert.deepEqual(draft, { title: '' });
    assert.deepEqual(auto, {});
  });

  it('canAutoFill: empty or automatic', () => {
    assert.equal(canAutoFill({ title: '  ' }, {}, 'title'), true);
    assert.equal(canAutoFill({ title: 'Mine' }, {}, 'title'), false);
    assert.equal(canAutoFill({ title: 'Eng' }, { title: 'suggested' }, 'title'), true);
  });
});

describe('autoFill: what a link fills', () => {
  it('a page link: site, space key and page ID', () => {
    assert.deepEqual(linkUpdates(parsed('https://acme.atlassian.net/wiki/spaces/ENG/pages/201819180/Architecture'), {}), {
      siteUrl: 'https://acme.atlassian.net',
      spaceKey: 'ENG',
      pageIds: '201819180',
    });
  });

  it('several page links: several page IDs', () => {
    const updates = linkUpdates(parsed('https://acme.atlassian.net/wiki/spaces/ENG/pages/1/A\nhttps://acme.atlassian.net/wiki/spaces/ENG/pages/2/B'), {});
    assert.equal(updates.pageIds, '1, 2');
  });

  it('a tiny link: the decoded page ID, no space', () => {
    assert.deepEqual(linkUpdates(parsed('https://acme.atlassian.net/wiki/x/LIQHD'), {}), { siteUrl: 'https://acme.atlassian.net', pageIds: '201819180' });
  });

  it('a personal space page', () => {
    const updates = linkUpdates(parsed('https://acme.atlassian.net/wiki/spaces/~712020a3b4c5d6e7f8091a2b3c4d5e6f/pages/1587184001/Notes'), {});
    assert.equal(updates.spaceKey, '~712020a3b4c5d6e7f8091a2b3c4d5e6f');
    assert.equal(updates.pageIds, '1587184001');
  });

  it('a space link clears page IDs that came from an earlier link, and only those', () => {
    const space = parsed('https://acme.atlassian.net/wiki/spaces/ENG/overview');
    assert.equal(linkUpdates(space, { pageIds: 'link' }).pageIds, '');
    assert.equal(linkUpdates(space, {}).pageIds, undefined);
  });
});

describe('autoFill: a chosen space', () => {
  it('fills key and name, and suggests a title and a description', () => {
    const { fill, suggest } = spaceUpdates({ key: 'ENG', name: 'Engineering' }, '{0} documentation from Confluence');
    assert.deepEqual(fill, { spaceKey: 'ENG', spaceName: 'Engineering' });
    assert.deepEqual(suggest, { title: 'Engineering', description: 'Engineering documentation from Confluence' });
  });

  it('keeps the suggestions within the field limits', () => {
    const { suggest } = spaceUpdates({ key: 'K', name: 'n'.repeat(200) }, '{0} documentation from Confluence');
    assert.equal(suggest.title?.length, 100);
    assert.ok((suggest.description?.length ?? 0) <= 500);
  });
});

describe('autoFill: the Page IDs field as a list', () => {
  it('reads IDs and page links, ignoring the rest', () => {
    assert.deepEqual(pageIdsIn('1, https://acme.atlassian.net/wiki/spaces/ENG/pages/2/T\nnope 1 /wiki/x/LIQHD'), ['1', '2', '201819180']);
  });

  it('adds IDs not listed yet and removes every token naming a removed page', () => {
    assert.equal(editPageIds('', ['5', '6'], []), '5, 6');
    assert.equal(editPageIds('5\n6', ['6', '7'], []), '5, 6, 7');
    assert.equal(editPageIds('5, https://acme.atlassian.net/wiki/spaces/ENG/pages/6/T, x', [], ['6']), '5, x');
    assert.equal(editPageIds('5', ['6'], ['6']), '5', 'a removed page is not added back');
  });
});
