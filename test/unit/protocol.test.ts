import * as assert from 'node:assert/strict';
import { FIELD_NAMES } from '../../src/core/schema';
import {
  MAX_FIELD_LENGTH,
  compactDraft,
  mergeDrafts,
  parseHostMessage,
  parseWebviewMessage,
  type HostMessage,
  type PerField,
} from '../../src/shared/protocol';

const perField = (prefix: string): PerField =>
  Object.fromEntries(FIELD_NAMES.map((name) => [name, `${prefix} ${name}`])) as PerField;

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
});
