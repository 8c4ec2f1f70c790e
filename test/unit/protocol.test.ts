import * as assert from 'node:assert/strict';
import { FIELD_NAMES } from '../../src/core/schema';
import {
  MAX_FIELD_LENGTH,
  compactDraft,
  draftToKeep,
  mergeDrafts,
  parseHostMessage,
  parseWebviewMessage,
  type HostMessage,
  type PerField,
} from '../../src/shared/protocol';

const perField = (prefix: string): PerField =>
  Object.fromEntries(FIELD_NAMES.map((name) => [name, `${prefix} ${name}`])) as PerField;

const CONFLUENCE_STRING_KEYS = [
  'linkLabel', 'linkHint', 'linkFilled', 'linkKept', 'filledFromLink', 'lookedUp', 'filledFromSpace', 'suggested', 'lookingUp',
  'browseSpaces', 'browsePages', 'connectedAs', 'notConnected', 'connect', 'includeSubPages', 'includeSubPagesHint', 'pinnedNote',
  'pagesOf', 'loading', 'loadingPages', 'noPages', 'includedWithParent', 'treeKeys', 'needsSpaceKey', 'findingSubPages', 'descriptionTemplate',
] as const;
const confluence = Object.fromEntries(CONFLUENCE_STRING_KEYS.map((key) => [key, `text ${key}`])) as Record<(typeof CONFLUENCE_STRING_KEYS)[number], string>;

const init: HostMessage = {
  type: 'init',
  strings: {
    heading: 'Add Confluence Space',
    intro: 'Intro',
    requiredNote: 'Required field',
    addSpace: 'Add Space',
    clear: 'Clear',
    submitting: 'Submitting…',
    fixErrors: 'Check the highlighted fields.',
  },
  labels: perField('label'),
  hints: perField('hint'),
  draft: { siteUrl: 'https://acme.atlassian.net' },
  defaults: {},
  revision: 1,
  busy: false,
  result: null,
  confluence,
  connection: { connected: true, email: 'ada@example.com', siteUrl: 'https://acme.atlassian.net' },
};

describe('protocol: messages from the webview', () => {
  it('accepts ready', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
  });

  it('accepts a submit with a partial draft of raw text', () => {
    const draft = { siteUrl: ' acme.atlassian.net ', pageIds: '123, https://acme.atlassian.net/wiki/x/AbC\n456', spaceKey: '' };
    const parsed = parseWebviewMessage({ type: 'submit', draft });
    assert.equal(parsed.ok, true);
    assert.deepEqual(parsed.ok && parsed.message, { type: 'submit', draft });
  });

  it('accepts invalid with field names, and rejects unknown or no fields', () => {
    assert.equal(parseWebviewMessage({ type: 'invalid', fields: ['spaceKey', 'title'] }).ok, true);
    assert.equal(parseWebviewMessage({ type: 'invalid', fields: ['apiKey'] }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'invalid', fields: [] }).ok, false);
  });

  it('accepts a submit asking to include sub-pages, and only a boolean for it', () => {
    assert.equal(parseWebviewMessage({ type: 'submit', draft: { pageIds: '1' }, includeSubPages: true }).ok, true);
    assert.equal(parseWebviewMessage({ type: 'submit', draft: {}, includeSubPages: 'yes' }).ok, false);
  });

  it('accepts the Confluence helpers\' requests', () => {
    for (const message of [
      { type: 'lookupCloudId', requestId: 7, siteUrl: 'https://acme.atlassian.net' },
      { type: 'browseSpaces', siteUrl: '' },
      { type: 'browsePages', siteUrl: 'https://acme.atlassian.net', spaceKey: 'ENG' },
      { type: 'loadPages', requestId: 8, siteUrl: 'https://acme.atlassian.net', spaceId: '98305' },
      { type: 'loadPages', requestId: 9, siteUrl: 'https://acme.atlassian.net', spaceId: '98305', parentId: '201819180', cursor: 'abc' },
      { type: 'connect', siteUrl: 'https://acme.atlassian.net' },
    ]) {
      const parsed = parseWebviewMessage(message);
      assert.deepEqual(parsed, { ok: true, message }, JSON.stringify(message));
    }
  });

  for (const [name, raw] of [
    ['a lookup without a request id', { type: 'lookupCloudId', siteUrl: 'https://a.atlassian.net' }],
    ['a negative request id', { type: 'lookupCloudId', requestId: -1, siteUrl: 'https://a.atlassian.net' }],
    ['a space id that is not a number', { type: 'loadPages', requestId: 1, siteUrl: '', spaceId: '../admin' }],
    ['a parent id that is not a number', { type: 'loadPages', requestId: 1, siteUrl: '', spaceId: '1', parentId: '1; DROP' }],
    ['an empty cursor', { type: 'loadPages', requestId: 1, siteUrl: '', spaceId: '1', cursor: '' }],
    ['a connect with a token in it', { type: 'connect', siteUrl: '', apiToken: 'x' }],
    ['a browse without the site', { type: 'browseSpaces' }],
  ] as const) {
    it(`rejects ${name}`, () => {
      assert.equal(parseWebviewMessage(raw).ok, false);
    });
  }

  it('accepts draftChanged and problem', () => {
    assert.equal(parseWebviewMessage({ type: 'draftChanged', draft: {} }).ok, true);
    assert.equal(parseWebviewMessage({ type: 'problem', message: 'boom' }).ok, true);
  });

  for (const [name, raw] of [
    ['null', null],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['no type', { draft: {} }],
    ['an unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['a type of the other direction', { type: 'init' }],
    ['an extra key', { type: 'ready', extra: 1 }],
    ['an unknown draft field', { type: 'submit', draft: { apiKey: 'ctx7sk-x' } }],
    ['a number as a field', { type: 'submit', draft: { spaceKey: 42 } }],
    ['an array as pageIds', { type: 'submit', draft: { pageIds: ['1', '2'] } }],
    ['a missing draft', { type: 'submit' }],
    ['a draft that is not an object', { type: 'draftChanged', draft: 'siteUrl=x' }],
    ['a field longer than the limit', { type: 'submit', draft: { description: 'x'.repeat(MAX_FIELD_LENGTH + 1) } }],
    ['a problem without a message', { type: 'problem' }],
  ] as const) {
    it(`rejects ${name}`, () => {
      const parsed = parseWebviewMessage(raw);
      assert.equal(parsed.ok, false);
    });
  }

  it('describes a rejection by type and path without echoing the values', () => {
    const parsed = parseWebviewMessage({ type: 'submit', draft: { spaceKey: 'SECRET-VALUE', title: 7 } });
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.match(parsed.error, /"submit"/);
    assert.match(parsed.error, /draft\.title/);
    assert.doesNotMatch(parsed.error, /SECRET-VALUE/);
  });

  it('names non-object messages by their kind', () => {
    const parsed = parseWebviewMessage(null);
    assert.equal(parsed.ok, false);
    assert.match(!parsed.ok ? parsed.error : '', /type null/);
  });
});

describe('protocol: messages from the host', () => {
  it('accepts a complete init', () => {
    assert.deepEqual(parseHostMessage(init), { ok: true, message: init });
  });

  it('rejects an init missing a label', () => {
    const labels: Partial<PerField> = { ...perField('label') };
    delete labels.pageIds;
    assert.equal(parseHostMessage({ ...init, labels }).ok, false);
  });

  it('rejects a negative or fractional revision', () => {
    assert.equal(parseHostMessage({ type: 'setDraft', draft: {}, revision: -1 }).ok, false);
    assert.equal(parseHostMessage({ type: 'setDraft', draft: {}, revision: 1.5 }).ok, false);
    assert.equal(parseHostMessage({ type: 'setDraft', draft: {}, revision: 2 }).ok, true);
  });

  it('accepts each result outcome, and null to clear', () => {
    for (const result of [
      { outcome: 'success', message: 'Submitted as /acme/docs', libraryName: '/acme/docs' },
      { outcome: 'alreadyProcessing', message: 'Already processing' },
      { outcome: 'failure', kind: 'validation', message: 'Check', fieldErrors: { spaceKey: 'Space key is required.' } },
      { outcome: 'failure', kind: 'server_error', message: '<img src=x onerror=alert(1)>' },
      null,
    ]) {
      assert.equal(parseHostMessage({ type: 'result', result }).ok, true, JSON.stringify(result));
    }
  });

  it('rejects field errors for fields that do not exist', () => {
    const parsed = parseHostMessage({ type: 'result', result: { outcome: 'failure', kind: 'x', message: 'm', fieldErrors: { apiKey: 'no' } } });
    assert.equal(parsed.ok, false);
  });

  it('accepts the answers of the Confluence helpers', () => {
    for (const message of [
      { type: 'connection', connection: { connected: false } },
      { type: 'cloudId', requestId: 1, siteUrl: 'https://a.atlassian.net', result: { ok: true, cloudId: '3f2b6c1e-8a4d-4b7e-9c2f-5d1e0a9b8c7d' } },
      { type: 'cloudId', requestId: 1, siteUrl: 'https://a.atlassian.net', result: { ok: false, message: 'Not found. To find it by hand…' } },
      { type: 'spacePicked', siteUrl: 'https://a.atlassian.net', space: { id: '98305', key: 'ENG', name: 'Engineering' } },
      { type: 'tree', siteUrl: 'https://a.atlassian.net', space: { id: '98305', key: 'ENG', name: 'Engineering' }, pages: [{ id: '1', title: '<b>x</b>' }], nextCursor: 'c' },
      { type: 'pages', requestId: 2, spaceId: '98305', parentId: '1', pages: [] },
      { type: 'pagesFailed', requestId: 2, spaceId: '98305', message: 'HTTP 403' },
      { type: 'browseEnded', target: 'spaces', message: '', connect: false },
      { type: 'expanding', found: 12 },
      { type: 'result', result: { outcome: 'failure', kind: 'confluence', message: 'HTTP 401', connect: true } },
    ]) {
      assert.equal(parseHostMessage(message).ok, true, JSON.stringify(message));
    }
  });

  it('rejects a cloud ID that is not a UUID, and a page without an id', () => {
    assert.equal(parseHostMessage({ type: 'cloudId', requestId: 1, siteUrl: '', result: { ok: true, cloudId: 'a]1b2c3d4-5e6f-7g8h-9i0j' } }).ok, false);
    assert.equal(parseHostMessage({ type: 'pages', requestId: 2, spaceId: '1', pages: [{ title: 'x' }] }).ok, false);
    assert.equal(parseHostMessage({ type: 'browseEnded', target: 'elsewhere', message: '', connect: false }).ok, false);
  });

  it('rejects an init without the Confluence texts or the connection', () => {
    const { confluence: _c, ...withoutTexts } = init as Extract<HostMessage, { type: 'init' }>;
    assert.equal(parseHostMessage(withoutTexts).ok, false);
    const { connection: _k, ...withoutConnection } = init as Extract<HostMessage, { type: 'init' }>;
    assert.equal(parseHostMessage(withoutConnection).ok, false);
  });

  it('asks for the space of a tiny link\'s page by a numeric page ID only, and takes the answer', () => {
    assert.equal(parseWebviewMessage({ type: 'findSpaceOfPage', requestId: 3, siteUrl: 'https://acme.atlassian.net', pageId: '201819180' }).ok, true);
    assert.equal(parseWebviewMessage({ type: 'findSpaceOfPage', requestId: 3, siteUrl: 'https://acme.atlassian.net', pageId: '../spaces' }).ok, false);
    const answer = { type: 'spaceOfPage', requestId: 3, siteUrl: 'https://acme.atlassian.net', pageId: '201819180', space: { id: '98306', key: 'ENG', name: 'Engineering' } };
    assert.equal(parseHostMessage(answer).ok, true);
    assert.equal(parseHostMessage({ ...answer, space: { key: 'ENG', name: 'Engineering' } }).ok, false);
  });

  it('carries VS Code\'s translations in init only as a map of texts', () => {
    const translated = { ...init, l10n: { 'Site URL is required.': 'Die Site-URL fehlt.' } };
    assert.deepEqual(parseHostMessage(translated), { ok: true, message: translated });
    assert.equal(parseHostMessage({ ...init, l10n: { 'Site URL is required.': 42 } }).ok, false);
    assert.equal(parseHostMessage({ ...init, l10n: 'de' }).ok, false);
  });

  it('rejects an unknown outcome and a webview message type', () => {
    assert.equal(parseHostMessage({ type: 'result', result: { outcome: 'maybe', message: 'm' } }).ok, false);
    assert.equal(parseHostMessage({ type: 'submit', draft: {} }).ok, false);
    assert.equal(parseHostMessage({ type: 'busy', busy: 'yes' }).ok, false);
  });
});

describe('protocol: drafts', () => {
  it('compactDraft keeps only non-blank fields', () => {
    assert.deepEqual(compactDraft({ siteUrl: 'x', cloudId: '  ', spaceKey: '', title: ' T ' }), { siteUrl: 'x', title: ' T ' });
  });

  it('mergeDrafts: later wins, blanks never erase', () => {
    const settings = { siteUrl: 'https://a.atlassian.net', cloudId: 'c1', projectId: 'p1' };
    const kept = { siteUrl: 'https://b.atlassian.net', spaceKey: 'DOCS', projectId: '' };
    const argument = { spaceKey: 'ENG', title: 'Eng' };
    assert.deepEqual(mergeDrafts(settings, kept, argument), {
      siteUrl: 'https://b.atlassian.net',
      cloudId: 'c1',
      projectId: 'p1',
      spaceKey: 'ENG',
      title: 'Eng',
    });
    assert.deepEqual(mergeDrafts(undefined, {}), {});
  });

  it('draftToKeep drops what only repeats the settings, so a changed setting shows next time', () => {
    const settings = { siteUrl: 'https://a.atlassian.net', cloudId: 'c1', projectId: 'p1' };
    const form = { siteUrl: 'https://a.atlassian.net ', cloudId: 'c2', spaceKey: 'DOCS', projectId: '', title: '  ' };
    const kept = draftToKeep(form, settings);
    assert.deepEqual(kept, { cloudId: 'c2', spaceKey: 'DOCS' });
    const changedSettings = { ...settings, siteUrl: 'https://new.atlassian.net' };
    assert.deepEqual(mergeDrafts(changedSettings, kept), { siteUrl: 'https://new.atlassian.net', cloudId: 'c2', projectId: 'p1', spaceKey: 'DOCS' });
  });
});
