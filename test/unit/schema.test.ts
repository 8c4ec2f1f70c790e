import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addConfluenceRequestSchema,
  addConfluenceSuccessSchema,
  apiErrorSchema,
  describeFieldErrors,
  FIELD_LABELS,
  FIELD_MAX_LENGTHS,
  FIELD_NAMES,
  REQUIRED_FIELDS,
  validateDraft,
  validateField,
  type AddConfluenceRequest,
  type AddSpaceDraft,
  type FieldName,
} from '../../src/core/schema';
import { normalizeSiteUrl } from '../../src/core/siteUrl';
import { addConfluenceContract } from '../support/openapi';
import { VALID_DRAFT } from './drafts';

const VALID: AddSpaceDraft = VALID_DRAFT;

function errorsOf(draft: AddSpaceDraft): Partial<Record<FieldName, string>> {
  const result = validateDraft(draft);
  return result.ok ? {} : result.errors;
}

describe('schema', () => {
  it('exports the field names, labels and required fields', () => {
    assert.deepEqual([...FIELD_NAMES], ['siteUrl', 'cloudId', 'spaceKey', 'spaceName', 'pageIds', 'title', 'description', 'projectId']);
    assert.deepEqual([...REQUIRED_FIELDS], ['siteUrl', 'cloudId', 'spaceKey', 'spaceName', 'title', 'description']);
    assert.deepEqual(FIELD_LABELS, {
      siteUrl: 'Site URL',
      cloudId: 'Cloud ID',
      spaceKey: 'Space key',
      spaceName: 'Space name',
      pageIds: 'Page IDs',
      title: 'Title',
      description: 'Description',
      projectId: 'Project ID',
    });
  });

  it('trims every field and omits empty optionals', () => {
    const result = validateDraft({
      siteUrl: '  https://acme.atlassian.net/  ',
      cloudId: ' 1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D ',
      spaceKey: '\tDOCS ',
      spaceName: '  Documentation\n',
      pageIds: '   ',
      title: ' Acme Docs ',
      description: ' Internal documentation of Acme ',
      projectId: '   ',
    });
    assert.deepEqual(result, {
      ok: true,
      request: {
        cloudId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        siteUrl: 'https://acme.atlassian.net',
        spaceKey: 'DOCS',
        spaceName: 'Documentation',
        title: 'Acme Docs',
        description: 'Internal documentation of Acme',
      },
    });
    assert.ok(result.ok && !('pageIds' in result.request) && !('projectId' in result.request));
  });

  it('keeps pageIds and projectId when given', () => {
    const result = validateDraft({ ...VALID, pageIds: '1, 2\n2', projectId: ' proj-1 ' });
    assert.ok(result.ok);
    assert.deepEqual(result.request.pageIds, ['1', '2']);
    assert.equal(result.request.projectId, 'proj-1');
  });

  it('accepts an already-built request (pageIds as an array) and is idempotent', () => {
    const first = validateDraft({ ...VALID, pageIds: '5 6' });
    assert.ok(first.ok);
    const second = validateDraft(first.request);
    assert.deepEqual(second, first);
  });

  it('reports every missing required field with its label', () => {
    const errors = errorsOf({});
    assert.deepEqual(Object.keys(errors).sort(), [...REQUIRED_FIELDS].sort());
    for (const field of REQUIRED_FIELDS) assert.match(errors[field] as string, new RegExp(`^${FIELD_LABELS[field]} is required`));
  });

  describe('Site URL', () => {
    const good: [string, string][] = [
      ['https://acme.atlassian.net', 'https://acme.atlassian.net'],
      ['https://ACME.Atlassian.NET/', 'https://acme.atlassian.net'],
      ['https://acme.atlassian.net/wiki', 'https://acme.atlassian.net'],
      ['https://acme.atlassian.net/wiki/', 'https://acme.atlassian.net'],
      ['https://acme.atlassian.net/wiki/spaces/DOCS/pages/1/Title?x=1#top', 'https://acme.atlassian.net'],
      ['acme.atlassian.net', 'https://acme.atlassian.net'],
      ['acme.atlassian.net/wiki/', 'https://acme.atlassian.net'],
      ['https://docs.example.com/confluence/', 'https://docs.example.com/confluence'],
      ['https://docs.example.com/confluence/wiki//', 'https://docs.example.com/confluence'],
      ['https://acme.atlassian.net/?utm=1#x', 'https://acme.atlassian.net'],
      ['https://acme.atlassian.net:8443/', 'https://acme.atlassian.net:8443'],
      ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
      ['http://localhost:3000/wiki', 'http://localhost:3000'],
      ['http://[::1]:9000', 'http://[::1]:9000'],
    ];
    for (const [input, expected] of good) {
      it(`normalizes ${JSON.stringify(input)} to ${expected}`, () => {
        assert.deepEqual(normalizeSiteUrl(input), { ok: true, value: expected });
        assert.equal(validateField('siteUrl', input), undefined);
      });
    }

    const bad: [string, RegExp][] = [
      ['', /^Site URL is required/],
      ['http://acme.atlassian.net', /^Site URL must start with https:\/\//],
      ['http://localhost', /^Site URL must start with https:\/\//],
      ['ftp://acme.atlassian.net', /^Site URL must start with https:\/\//],
      ['https://user:pw@acme.atlassian.net', /^Site URL must not contain a user name or password/],
      ['https://acme', /^Site URL needs a full host name/],
      ['https://acme .atlassian.net', /^Site URL must not contain spaces/],
      ['https://exa mple', /^Site URL must not contain spaces/],
      ['https://[bad', /^Site URL is not a valid address/],
    ];
    for (const [input, pattern] of bad) {
      it(`rejects ${JSON.stringify(input)}`, () => {
        const message = validateField('siteUrl', input);
        assert.ok(message);
        assert.match(message, pattern);
        assert.match(message, /https:\/\/your-site\.atlassian\.net|before "@"/);
      });
    }
  });

  describe('Cloud ID', () => {
    it('accepts any-case UUIDs and lower-cases them', () => {
      const result = validateDraft({ ...VALID, cloudId: 'ABCDEF01-2345-6789-ABCD-EF0123456789' });
      assert.ok(result.ok);
      assert.equal(result.request.cloudId, 'abcdef01-2345-6789-abcd-ef0123456789');
    });

    it('accepts the tenant_info answer and an admin.atlassian.com address, keeping only the UUID', () => {
      const uuid = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
      for (const pasted of [`{"cloudId":"${uuid}"}`, `https://admin.atlassian.com/s/${uuid}/users`]) {
        const result = validateDraft({ ...VALID, cloudId: pasted });
        assert.ok(result.ok, pasted);
        assert.equal(result.request.cloudId, uuid);
      }
    });

    it('rejects non-UUIDs and says where to find the real one', () => {
      for (const value of ['abc', '1a2b3c4d5e6f4a7b8c9d0e1f2a3b4c5d', '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5', 'g1a2b3c4-5e6f-4a7b-8c9d-0e1f2a3b4c5d']) {
        const message = validateField('cloudId', value);
        assert.ok(message, value);
        assert.match(message, /^Cloud ID must be a UUID/);
        assert.match(message, /\/_edge\/tenant_info/);
        assert.match(message, /admin\.atlassian\.com.*\/s\//);
      }
    });

    it("rejects the OpenAPI document's example request because of cloudId, and only cloudId", () => {
      const example = addConfluenceContract().requestExample as Record<string, string>;
      assert.ok(example, 'the document has a request example');
      const result = validateDraft(example);
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.deepEqual(Object.keys(result.errors), ['cloudId']);
      // The document's example is valid against the document's own (string-only) schema: the check is ours.
      assert.deepEqual(addConfluenceContract().validateRequestBody(example), []);
    });
  });

  describe('Space key', () => {
    for (const key of ['DOCS', 'ds', 'Team42', '~712020a3b4c5d6e7f8', '~557058:0a1b2c3d-4e5f-6789-abcd-ef0123456789', '~john_doe']) {
      it(`accepts ${key} and keeps its case`, () => {
        const result = validateDraft({ ...VALID, spaceKey: key });
        assert.ok(result.ok);
        assert.equal(result.request.spaceKey, key);
      });
    }
    for (const key of ['MY KEY', 'DO-CS', '~', 'DOCS!', 'Ünï', '~a b']) {
      it(`rejects ${JSON.stringify(key)}`, () => {
        const message = validateField('spaceKey', key);
        assert.ok(message);
        assert.match(message, /^Space key /);
        assert.match(message, /letters and digits/);
      });
    }
    it('suggests the key when a space link is pasted', () => {
      assert.match(
        validateField('spaceKey', 'https://acme.atlassian.net/wiki/spaces/ENG/overview') ?? '',
        /^Space key should be only the key, not a link: enter "ENG"/,
      );
    });
    it('limits the length to 255', () => {
      assert.equal(validateField('spaceKey', 'A'.repeat(255)), undefined);
      assert.match(validateField('spaceKey', 'A'.repeat(256)) ?? '', /too long/);
    });
  });

  describe('free-text fields', () => {
    for (const field of ['spaceName', 'title', 'description'] as const) {
      const max = FIELD_MAX_LENGTHS[field];
      it(`${field}: required, at most ${max} characters`, () => {
        assert.match(validateField(field, '   ') ?? '', new RegExp(`^${FIELD_LABELS[field]} is required`));
        assert.equal(validateField(field, 'x'.repeat(max)), undefined);
        assert.equal(validateField(field, `  ${'x'.repeat(max)}  `), undefined, 'trimmed before counting');
        const message = validateField(field, 'x'.repeat(max + 1));
        assert.match(message ?? '', new RegExp(`^${FIELD_LABELS[field]} is too long \\(${max + 1} characters\\): shorten it to at most ${max}`));
      });
    }

    it('projectId: optional, trimmed, at most 200 characters, no inner spaces', () => {
      assert.equal(validateField('projectId', ''), undefined);
      assert.equal(validateField('projectId', 'x'.repeat(200)), undefined);
      assert.match(validateField('projectId', 'x'.repeat(201)) ?? '', /^Project ID is too long/);
      assert.match(validateField('projectId', 'a b') ?? '', /^Project ID must not contain spaces/);
    });
  });

  it('rejects non-text values with a typed message, and treats non-objects as an empty draft', () => {
    const result = addConfluenceRequestSchema.safeParse({ ...VALID, title: 42, pageIds: { a: 1 } });
    assert.equal(result.success, false);
    const errors = validateDraft({ ...VALID, title: 42 } as unknown as AddSpaceDraft);
    assert.ok(!errors.ok);
    assert.equal(errors.errors.title, 'Title must be text.');
    for (const input of [null, undefined, 5, 'text', [1, 2]]) {
      const r = validateDraft(input as unknown as AddSpaceDraft);
      assert.ok(!r.ok);
      assert.deepEqual(Object.keys(r.errors).sort(), [...REQUIRED_FIELDS].sort());
    }
  });

  it('summarizes field errors in form order', () => {
    const errors = errorsOf({ ...VALID, cloudId: 'x', title: '' });
    assert.match(describeFieldErrors(errors), /^Cloud ID must be a UUID.* Also check: Title\.$/s);
  });

  describe('responses', () => {
    it('accepts the success body and rejects a blank libraryName', () => {
      assert.equal(addConfluenceSuccessSchema.safeParse({ libraryName: '/confluence/docs', message: 'ok' }).success, true);
      assert.equal(addConfluenceSuccessSchema.safeParse({ libraryName: '  ', message: 'ok' }).success, false);
      assert.equal(addConfluenceSuccessSchema.safeParse({ message: 'ok' }).success, false);
    });
    it('accepts every documented error body', () => {
      for (const example of addConfluenceContract().responseExamples.filter((e) => e.status !== 200)) {
        assert.equal(apiErrorSchema.safeParse(example.body).success, true, `${example.status} ${example.name}`);
      }
    });
  });

  describe('properties', () => {
    const anyValue = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.anything());
    const draftLike = fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string()), anyValue, { maxKeys: 12 });

    it('arbitrary input never throws: it validates or gives field messages that start with the label', () => {
      fc.assert(
        fc.property(fc.oneof(draftLike, fc.anything()), (input) => {
          const parsed = addConfluenceRequestSchema.safeParse(input);
          const result = validateDraft(input as AddSpaceDraft);
          assert.equal(result.ok, parsed.success);
          if (!result.ok) {
            const fields = Object.keys(result.errors) as FieldName[];
            assert.ok(fields.length > 0);
            for (const field of fields) {
              assert.ok(FIELD_NAMES.includes(field));
              const message = result.errors[field] as string;
              assert.ok(message.startsWith(FIELD_LABELS[field]), message);
              assert.ok(!message.includes('undefined'), message);
            }
          }
        }),
        { numRuns: 500 },
      );
    });

    it('validateField gives the same message as validateDraft for every text field value', () => {
      fc.assert(
        fc.property(fc.constantFrom(...FIELD_NAMES), fc.string({ unit: 'grapheme', maxLength: 120 }), (field, value) => {
          const result = validateDraft({ ...VALID, [field]: value });
          const expected = result.ok ? undefined : result.errors[field];
          assert.equal(validateField(field, value), expected);
        }),
        { numRuns: 500 },
      );
    });

    // A DNS label; "xn--…" and other labels with "--" in the third and fourth places are
    // reserved for punycode, which the URL parser rejects when it is not valid punycode.
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/).filter((l) => l.slice(2, 4) !== '--');
    const text = (max: number) =>
      fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: max })
        .filter((s) => s.trim() !== '' && s.trim().length <= max && s === s.trim());
    const validDraft = fc.record({
      host: fc.tuple(label, label).map(([a, b]) => `${a}.${b}.net`),
      hostCase: fc.boolean(),
      wiki: fc.constantFrom('', '/', '/wiki', '/wiki/'),
      cloudId: fc.uuid(),
      spaceKey: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,20}$/), fc.stringMatching(/^~[A-Za-z0-9_:-]{1,30}$/)),
      spaceName: text(200),
      title: text(100),
      description: text(500),
      pageIds: fc.uniqueArray(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }), { maxLength: 5 }),
      separator: fc.constantFrom(',', ' ', '\n', ', ', ' ,\n'),
      projectId: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), { nil: undefined }),
      pad: fc.constantFrom('', ' ', '\t', '\n '),
    });

    it('valid generated input validates, normalizes as documented, matches the OpenAPI schema and round-trips', () => {
      const contract = addConfluenceContract();
      fc.assert(
        fc.property(validDraft, (g) => {
          const draft: AddSpaceDraft = {
            siteUrl: `${g.pad}https://${g.hostCase ? g.host.toUpperCase() : g.host}${g.wiki}${g.pad}`,
            cloudId: `${g.pad}${g.cloudId.toUpperCase()}`,
            spaceKey: `${g.spaceKey}${g.pad}`,
            spaceName: `${g.pad}${g.spaceName}`,
            title: `${g.title}${g.pad}`,
            description: g.description,
            pageIds: g.pageIds.map(String).join(g.separator),
            ...(g.projectId !== undefined ? { projectId: `${g.pad}${g.projectId}` } : {}),
          };
          const result = validateDraft(draft);
          assert.ok(result.ok, JSON.stringify(result));
          const expected: AddConfluenceRequest = {
            cloudId: g.cloudId.toLowerCase(),
            siteUrl: `https://${g.host}`,
            spaceKey: g.spaceKey,
            spaceName: g.spaceName,
            title: g.title,
            description: g.description,
            ...(g.pageIds.length > 0 ? { pageIds: g.pageIds.map(String) } : {}),
            ...(g.projectId !== undefined ? { projectId: g.projectId } : {}),
          };
          assert.deepEqual(result.request, expected);
          assert.deepEqual(contract.validateRequestBody(result.request), []);
          assert.deepEqual(validateDraft(result.request), result);
        }),
        { numRuns: 300 },
      );
    });
  });
});
