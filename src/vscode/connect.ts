import * as vscode from 'vscode';
import { isAbortError } from '../core/clock';
import { API_TOKENS_URL, ConfluenceError } from '../core/confluence';
import { normalizeSiteUrl } from '../core/siteUrl';
import { plain } from '../shared/display';
import type { Services } from './commands';
import type { ConfluenceService } from './confluence';
import { readSettings } from './settings';
import { runStep } from './quickInputStep';

/** The argument of `context7.connectAtlassian`: values to prefill; all three connect without asking. */
export interface ConnectArgs {
  siteUrl?: string;
  email?: string;
  apiToken?: string;
}

export type ConnectResult =
  | { ok: true; siteUrl: string; email: string }
  | { ok: false; reason: 'cancelled' }
  | { ok: false; reason: 'failed'; kind: string; message: string };

/** Failures the Site URL step can fix; the others stay on the token step. */
const SITE_PROBLEMS: ReadonlySet<string> = new Set(['invalid_site', 'not_found', 'network', 'timeout', 'bad_response', 'unexpected_status']);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function readArgs(raw: unknown): ConnectArgs {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const value = raw as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && v.length <= 2048 ? v.trim() : undefined);
  const args: ConnectArgs = {};
  const siteUrl = text(value.siteUrl);
  const email = text(value.email);
  const apiToken = text(value.apiToken);
  if (siteUrl) args.siteUrl = siteUrl;
  if (email) args.email = email;
  if (apiToken) args.apiToken = apiToken;
  return args;
}

type Step = 'siteUrl' | 'email' | 'apiToken';
const STEPS: readonly Step[] = ['siteUrl', 'email', 'apiToken'];

/**
 * "Context7: Connect Atlassian Account": asks for the site URL, the email and an API token
 * (password box), checks them with one Confluence call (busy while it runs), and stores them in
 * SecretStorage. A failed check says why on the step that can fix it, with every answer kept;
 * Back reaches the other steps. With all three values in the argument it checks and stores them
 * without asking (for scripts and tests); the result says what happened.
 *
 * `siteHint` (the form's Site URL) prefills the first step, before the stored account's site and
 * the `context7.confluence.siteUrl` setting. The token is never logged or shown.
 */
export async function connectAtlassian(services: Services, confluence: ConfluenceService, raw?: unknown, siteHint?: string): Promise<ConnectResult> {
  const { log, atlassian } = services;
  const args = readArgs(raw);
  const stored = await atlassian.get();
  if (args.siteUrl && args.email && args.apiToken) {
    const site = normalizeSiteUrl(args.siteUrl);
    if (!site.ok) return { ok: false, reason: 'failed', kind: 'invalid_site', message: site.message };
    const checked = await verify(confluence, site.value, args.email, args.apiToken);
    if (!checked.ok) {
      log.warn('atlassian', `the Atlassian credentials for ${site.value} were not accepted (${checked.kind}): ${checked.message}`);
      void vscode.window.showErrorMessage(plain(checked.message));
      return { ok: false, reason: 'failed', kind: checked.kind, message: checked.message };
    }
    return store(services, site.value, args.email, args.apiToken);
  }

  const values: Record<Step, string> = {
    siteUrl: args.siteUrl ?? firstValidSite(siteHint, stored?.siteUrl, readSettings().siteUrl) ?? '',
    email: args.email ?? stored?.email ?? '',
    apiToken: args.apiToken ?? '',
  };
  const messages: Partial<Record<Step, string>> = {};
  let index = 0;
  let current: vscode.InputBox | undefined;
  try {
    for (;;) {
      const step = STEPS[index];
      const input = vscode.window.createInputBox();
      const previous = current;
      current = input;
      const asked = askStep(input, step, index, values, messages, confluence);
      // Disposing the previous step only once the next one shows avoids a flicker.
      previous?.dispose();
      const outcome = await asked;
      if (outcome.kind === 'cancel') {
        log.info('atlassian', 'connecting an Atlassian account was cancelled');
        return { ok: false, reason: 'cancelled' };
      }
      if (outcome.kind === 'back') index = Math.max(0, index - 1);
      else if (outcome.kind === 'next') index += 1;
      else if (outcome.kind === 'goto') {
        messages[outcome.step] = outcome.message;
        index = STEPS.indexOf(outcome.step);
      } else {
        input.hide();
        return store(services, outcome.siteUrl, values.email.trim(), values.apiToken.trim());
      }
    }
  } finally {
    current?.dispose();
  }
}

function firstValidSite(...candidates: (string | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const site = normalizeSiteUrl(candidate);
    if (site.ok) return site.value;
  }
  return undefined;
}

async function store(services: Services, siteUrl: string, email: string, apiToken: string): Promise<ConnectResult> {
  await services.atlassian.set({ siteUrl, email, apiToken });
  services.log.info('atlassian', `Atlassian account ${email} connected for ${siteUrl} (kept in secret storage)`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Connected to Confluence at {0} as {1}.', siteUrl, email));
  return { ok: true, siteUrl, email };
}

type Checked = { ok: true } | { ok: false; kind: string; message: string };

async function verify(confluence: ConfluenceService, siteUrl: string, email: string, apiToken: string, signal?: AbortSignal): Promise<Checked | { ok: false; kind: 'cancelled'; message: string }> {
  try {
    await confluence.clientFor({ email, apiToken }, siteUrl).verify({ signal });
    return { ok: true };
  } catch (error) {
    if (isAbortError(error)) return { ok: false, kind: 'cancelled', message: '' };
    if (error instanceof ConfluenceError) return { ok: false, kind: error.kind, message: error.message };
    const view = confluence.describe(error);
    return { ok: false, kind: view.kind, message: view.message };
  }
}

type StepOutcome =
  | { kind: 'next' }
  | { kind: 'back' }
  | { kind: 'cancel' }
  | { kind: 'goto'; step: Step; message: string }
  | { kind: 'verified'; siteUrl: string };

function askStep(
  input: vscode.InputBox,
  step: Step,
  index: number,
  values: Record<Step, string>,
  messages: Partial<Record<Step, string>>,
  confluence: ConfluenceService,
): Promise<StepOutcome> {
  const title = vscode.l10n.t('Connect Atlassian Account');
  const tokenButton: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('link-external'),
    tooltip: vscode.l10n.t('Create an API token at id.atlassian.com'),
  };
  const labels: Record<Step, string> = {
    siteUrl: vscode.l10n.t('Site URL'),
    email: vscode.l10n.t('Email'),
    apiToken: vscode.l10n.t('API token'),
  };
  input.title = `${title}: ${labels[step]}`;
  input.step = index + 1;
  input.totalSteps = STEPS.length;
  input.ignoreFocusOut = true;
  input.value = values[step];
  input.buttons = [...(index > 0 ? [vscode.QuickInputButtons.Back] : []), ...(step === 'apiToken' ? [tokenButton] : [])];
  switch (step) {
    case 'siteUrl':
      input.placeholder = 'https://your-site.atlassian.net';
      input.prompt = vscode.l10n.t('The Confluence Cloud site to browse, for example https://your-site.atlassian.net');
      break;
    case 'email':
      input.placeholder = 'you@example.com';
      input.prompt = vscode.l10n.t('The email address of your Atlassian account.');
      break;
    case 'apiToken':
      input.password = true;
      input.placeholder = vscode.l10n.t('API token');
      input.prompt = vscode.l10n.t(
        'An API token of {0}, created at {1} (a token without scopes). It is kept in VS Code\'s secret storage, separate from the Context7 key.',
        values.email.trim(),
        API_TOKENS_URL,
      );
      break;
  }
  input.validationMessage = messages[step];

  const check = (value: string): string | undefined => {
    const text = value.trim();
    if (step === 'siteUrl') {
      const site = normalizeSiteUrl(text);
      return site.ok ? undefined : site.message;
    }
    if (step === 'email') {
      if (text === '') return vscode.l10n.t('Enter the email address of your Atlassian account.');
      return EMAIL.test(text) ? undefined : vscode.l10n.t('"{0}" is not an email address.', text.slice(0, 80));
    }
    if (text === '') return vscode.l10n.t('Paste an API token, or press Escape to cancel.');
    return /\s/.test(text) ? vscode.l10n.t('An API token has no spaces in it. Check what you pasted.') : undefined;
  };

  return runStep<StepOutcome>((finish, settled) => {
    let checking: AbortController | undefined;
    const subscriptions = [
      input.onDidChangeValue((value) => {
        values[step] = value;
        delete messages[step];
        input.validationMessage = value.trim() === '' ? undefined : check(value);
      }),
      input.onDidAccept(async () => {
        if (checking) return;
        values[step] = input.value;
        const problem = check(input.value);
        if (problem) {
          input.validationMessage = problem;
          return;
        }
        if (step !== 'apiToken') {
          if (step === 'siteUrl') {
            const site = normalizeSiteUrl(input.value);
            if (site.ok) values.siteUrl = site.value;
          }
          finish({ kind: 'next' });
          return;
        }
        const site = normalizeSiteUrl(values.siteUrl);
        if (!site.ok) {
          finish({ kind: 'goto', step: 'siteUrl', message: site.message });
          return;
        }
        if (check(values.email)) {
          finish({ kind: 'goto', step: 'email', message: check(values.email) ?? '' });
          return;
        }
        checking = new AbortController();
        input.busy = true;
        input.enabled = false;
        input.validationMessage = { message: vscode.l10n.t('Checking the credentials with {0}…', site.value), severity: vscode.InputBoxValidationSeverity.Info };
        const result = await verify(confluence, site.value, values.email.trim(), values.apiToken.trim(), checking.signal);
        checking = undefined;
        if (settled()) return;
        input.busy = false;
        input.enabled = true;
        if (result.ok) {
          finish({ kind: 'verified', siteUrl: site.value });
          return;
        }
        if (result.kind === 'cancelled') return;
        if (SITE_PROBLEMS.has(result.kind)) {
          finish({ kind: 'goto', step: 'siteUrl', message: result.message });
          return;
        }
        input.validationMessage = { message: result.message, severity: vscode.InputBoxValidationSeverity.Error };
      }),
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) {
          checking?.abort();
          finish({ kind: 'back' });
        } else if (button === tokenButton) {
          void vscode.env.openExternal(vscode.Uri.parse(API_TOKENS_URL));
        }
      }),
      input.onDidHide(() => {
        checking?.abort();
        finish({ kind: 'cancel' });
      }),
    ];
    input.show();
    return subscriptions;
  });
}
