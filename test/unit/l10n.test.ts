/**
 * Localization of the core (src/core, src/shared): every user-facing text goes through `l10n.t`
 * of `@vscode/l10n`, which the extension host configures with VS Code's bundle.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import * as ts from 'typescript';
import { alreadyProcessingMessage, ALREADY_PROCESSING_MESSAGE, Context7Client, userAgent } from '../../src/core/client';
import { classifyAddConfluenceResponse } from '../../src/core/errors';
import { validateDraft, validateField, type AddSpaceDraft } from '../../src/core/schema';
import { VALID_DRAFT } from './drafts';

const VALID: AddSpaceDraft = VALID_DRAFT;

/** A made-up "translation": the English templates with their placeholders, in other words. */
const BUNDLE: Record<string, string> = {
  'Site URL is required: enter your Confluence Cloud address, for example {0}.': 'XX Site-URL fehlt, zum Beispiel {0}.',
  'Space key {0} is not valid: use only letters and digits (e.g. DOCS), or ~ followed by a personal space ID (e.g. ~5b1234abcd).':
    'XX Bereichsschlüssel {0} ungültig.',
  'No Context7 API key is set. Run "Context7: Set API Key" and paste a key from {0}.': 'XX Kein Schlüssel: {0}.',
  'This Confluence space has already been added to your Context7 team: open the Context7 dashboard to see or refresh it.': 'XX Schon da.',
  'Context7 said: {0}': 'XX Context7 sagt: {0}',
};

describe('l10n of the core', () => {
  describe('with a bundle configured', () => {
    before(() => l10n.config({ contents: BUNDLE }));
    // An empty bundle is what the package starts from in effect: every text falls back to English.
    after(() => l10n.config({ contents: {} }));

    it('translates a validation message, with the arguments put into the translated template', () => {
      assert.equal(validateField('siteUrl', '  '), 'XX Site-URL fehlt, zum Beispiel https://your-site.atlassian.net.');
      const result = validateDraft({ ...VALID, siteUrl: '' });
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.errors.siteUrl, 'XX Site-URL fehlt, zum Beispiel https://your-site.atlassian.net.');
    });

    it('never reads user input as a template: braces in it stay as typed', () => {
      const message = validateField('spaceKey', 'a{0}b{1}') ?? '';
      assert.ok(message.startsWith('XX Bereichsschlüssel "a{0}b{1}" ungültig. '), message);
    });

    it('translates a failure message of the client', async () => {
      const client = new Context7Client({
        fetch: () => Promise.reject(new Error('no request may be sent without a key')),
        userAgent: userAgent('0.1.0', '1.100.3'),
      });
      const result = await client.addConfluenceSpace(VALID, { apiKey: '', apiUrl: 'https://context7.com/api' });
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.failure.message, 'XX Kein Schlüssel: https://context7.com/dashboard.');
    });

    it('translates each sentence of a composed failure message, server text kept as an argument', () => {
      const outcome = classifyAddConfluenceResponse({
        status: 409,
        bodyText: JSON.stringify({ error: 'duplicate_repo', message: 'Already there {0}' }),
        nowMs: 0,
      });
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.failure.message, 'XX Schon da. XX Context7 sagt: Already there {0}.');
    });

    it('translates texts that module constants would have frozen at load time', () => {
      assert.equal(alreadyProcessingMessage(), ALREADY_PROCESSING_MESSAGE, 'not in the bundle: English');
      l10n.config({ contents: { ...BUNDLE, [ALREADY_PROCESSING_MESSAGE]: 'XX Wird schon verarbeitet.' } });
      assert.equal(alreadyProcessingMessage(), 'XX Wird schon verarbeitet.');
      l10n.config({ contents: BUNDLE });
    });
  });

  // A suite of its own: mocha runs a suite's own tests before its nested suites.
  describe('after the bundle is reset', () => {
    it('is English again', () => {
      assert.equal(validateField('siteUrl', ''), 'Site URL is required: enter your Confluence Cloud address, for example https://your-site.atlassian.net.');
    });
  });
});

// --- Source scan ----------------------------------------------------------------------------------
//
// What it checks: every .ts file of src/core and src/shared is parsed with the TypeScript parser
// (so comments never count), and each string or template literal is classified.
//
// 1. A literal that reads like a message for a person must be the first argument of `l10n.t(…)`:
//    - a sentence: it starts with a capital letter (or with a placeholder such as `${site}`),
//      contains a space and ends with ".", ":" or "…" (trailing placeholders ignored), or
//    - a phrase of at least three words that starts with a letter or a quote and looks like
//      prose, not code (no "=", "/", "<", ">", no URL): the lower-case fragments such as
//      "is not a URL" that follow a quoted link.
//    Exempt: lines for the developer log (literals inside a call of `log`, `this.log`, `warn`…),
//    and the short list in NOT_USER_FACING below, each with its reason.
// 2. The first argument of every `l10n.t(…)` is a plain literal: not a template with `${…}` (it
//    would be filled in before the lookup, so no translation could match) and not an expression
//    (user input or server text as a template would have its "{0}" read as a placeholder).
// 3. No `l10n.t(…)` runs at module level: it would run when the module loads, before the host
//    configures the bundle, and stay English. Texts are functions or are built when used.
//
// It cannot tell every user-facing text from the others (a one-word label, a fragment of two words),
// so it guards against forgetting whole messages, not against every slip.

const ROOT = path.resolve(__dirname, '../../..');
const SCANNED_DIRS = ['src/core', 'src/shared'];

/** Literals that look like prose but are not shown to users, by file. Placeholders are written `{}`. */
const NOT_USER_FACING: ReadonlyArray<{ file: string; text: string; why: string }> = [
  { file: 'src/core/pageIds.ts', text: 'Not a page ID: {}', why: 'a RangeError for a programming mistake (encodeTinyLinkCode of a non-ID)' },
];

/** Calls whose text goes to the developer log, not to the user. */
const LOG_CALLEES = new Set(['log', 'warn', 'debug', 'info', 'error', 'trace']);

interface Finding {
  file: string;
  line: number;
  text: string;
  problem: string;
}

/** The literal's text, placeholders written `{}`. */
function literalText(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression): string {
  if (!ts.isTemplateExpression(node)) return node.text;
  return node.head.text + node.templateSpans.map((span) => `{}${span.literal.text}`).join('');
}

function looksUserFacing(text: string): boolean {
  const start = text.replace(/^(?:\{\}|[\s"'(])+/, '');
  const end = text.replace(/(?:\{\}|\s)+$/, '');
  const words = text.replace(/\{\}/g, ' ').match(/[A-Za-z][A-Za-z'’-]*/g) ?? [];
  const sentence =
    (/^[A-Z]/.test(start) || text.startsWith('{}')) && words.length >= 1 && /\s/.test(text.trim()) && /[.:…]$/.test(end);
  const phrase =
    words.length >= 3 && /\s/.test(text.trim()) && /^[A-Za-z"'(]/.test(start) && !/[=/<>]|\bhttps?\b/.test(text.replace(/\{\}/g, ''));
  return sentence || phrase;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

function isL10nT(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && ts.isIdentifier(callee.expression) && callee.expression.text === 'l10n';
}

/** Whether `node` is the template (first argument) of an `l10n.t` call. */
function isTemplateOfT(node: ts.Node): boolean {
  const parent = node.parent;
  return parent !== undefined && ts.isCallExpression(parent) && isL10nT(parent) && parent.arguments[0] === node;
}

/** Whether `node` is inside the arguments of a logging call. */
function insideLogCall(node: ts.Node): boolean {
  for (let at: ts.Node | undefined = node.parent; at && !ts.isSourceFile(at); at = at.parent) {
    if (ts.isCallExpression(at) && LOG_CALLEES.has(calleeName(at) ?? '') && !isL10nT(at)) return true;
  }
  return false;
}

function insideFunction(node: ts.Node): boolean {
  for (let at: ts.Node | undefined = node.parent; at && !ts.isSourceFile(at); at = at.parent) {
    if (ts.isFunctionLike(at)) return true;
  }
  return false;
}

function scanSource(file: string, source: string): Finding[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const report = (node: ts.Node, text: string, problem: string) =>
    findings.push({ file, line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1, text, problem });

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isL10nT(node)) {
      const template = node.arguments[0];
      if (template === undefined || !(ts.isStringLiteral(template) || ts.isNoSubstitutionTemplateLiteral(template))) {
        report(node, node.getText(sourceFile).slice(0, 80), 'l10n.t needs a plain literal as its template');
      }
      if (!insideFunction(node)) report(node, node.getText(sourceFile).slice(0, 80), 'l10n.t at module level runs before the bundle is configured');
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      const text = literalText(node);
      const exempt = NOT_USER_FACING.some((entry) => entry.file === file && entry.text === text);
      if (looksUserFacing(text) && !isTemplateOfT(node) && !insideLogCall(node) && !exempt && !ts.isImportDeclaration(node.parent)) {
        report(node, text, 'user-facing text outside l10n.t');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return findings;
}

describe('l10n source scan of src/core and src/shared', () => {
  it('recognises messages, and leaves codes, settings, URLs and log lines alone', () => {
    const sample = [
      "const a = 'Site URL is required: enter it.';", // 1: a sentence
      'const b = `${label} must not contain spaces, for example ${x}.`;', // 2: a sentence starting with a placeholder
      "const c = 'is not a Confluence page or space link';", // 3: a fragment after a quoted link
      "function d() { return l10n.t('Site URL is required.'); }",
      "const e = 'invalid_api_key';",
      "const f = 'context7.request.timeoutSeconds';",
      "const g = 'https://context7.com/dashboard';",
      "function h() { log('warn', `POST ${url} -> cancelled ${suffix}`); }",
      "function i(x: string) { return l10n.t(`Hello ${x}.`); }", // 9: template with a substitution
      "function j(x: string) { return l10n.t(x); }", // 10: an expression as the template
      "const k = l10n.t('Frozen at load time.');", // 11: module level
      "function m() { return l10n.t('{0} is too long.', 'x'); }",
    ].join('\n');
    const findings = scanSource('sample.ts', sample).map((f) => `${f.line}: ${f.problem}`);
    assert.deepEqual(findings, [
      '1: user-facing text outside l10n.t',
      '2: user-facing text outside l10n.t',
      '3: user-facing text outside l10n.t',
      '9: l10n.t needs a plain literal as its template',
      '10: l10n.t needs a plain literal as its template',
      '11: l10n.t at module level runs before the bundle is configured',
    ]);
  });

  it('finds no user-facing text outside l10n.t, and every l10n.t is well formed', () => {
    const files = SCANNED_DIRS.flatMap((dir) =>
      fs
        .readdirSync(path.join(ROOT, dir))
        .filter((name) => name.endsWith('.ts'))
        .map((name) => `${dir}/${name}`),
    );
    assert.ok(files.length >= 15, `expected the core's files, found ${files.join(', ')}`);
    const findings = files.flatMap((file) => scanSource(file, fs.readFileSync(path.join(ROOT, file), 'utf8')));
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line}: ${f.problem}: ${JSON.stringify(f.text)}`),
      [],
    );
    // The scan has something to look at: the core really is routed through l10n.t.
    const calls = files.reduce((n, file) => n + (fs.readFileSync(path.join(ROOT, file), 'utf8').match(/\bl10n\.t\(/g) ?? []).length, 0);
    assert.ok(calls > 100, `only ${calls} l10n.t calls`);
  });
});
