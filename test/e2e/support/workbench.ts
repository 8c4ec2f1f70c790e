/**
 * A real VS Code workbench (code-server) with the packaged extension installed, driven by a real
 * Chromium through playwright-core, and a Context7 stand-in on 127.0.0.1 that the extension talks to.
 * Tests use it as a person would: the command palette, quick inputs, the form, notifications.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from '../../runners/chromium';
import { startCodeServer, type CodeServer } from '../../runners/codeServer';
import { projectRoot } from '../../runners/paths';
import { Context7Stub } from '../../support/context7-stub';

export const VSIX = path.join(projectRoot(), 'dist', 'context7-confluence.vsix');

export interface LaunchOptions {
  /** User settings, on top of `context7.apiUrl` pointing at the stand-in. */
  settings?: Record<string, unknown>;
  colorScheme?: 'light' | 'dark';
  /** Runs in every document of the page before its own scripts, from the first load of the workbench on. */
  initScript?: () => void;
}

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly stub: Context7Stub,
    private readonly server: CodeServer,
    private readonly browser: LaunchedBrowser,
    private readonly workspace: string,
  ) {}

  static async launch(options: LaunchOptions = {}): Promise<Workbench> {
    if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first.`);
    const stub = await Context7Stub.start();
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'c7-e2e-workspace-'));
    const server = await startCodeServer({
      folder: workspace,
      extensions: [VSIX],
      settings: { 'context7.apiUrl': stub.apiUrl, 'workbench.colorTheme': options.colorScheme === 'light' ? 'Default Light Modern' : 'Default Dark Modern', ...options.settings },
      verbose: Boolean(process.env.C7_VERBOSE),
    });
    const browser = await launchChromium({ colorScheme: options.colorScheme });
    const page = await browser.context.newPage();
    if (options.initScript) await page.addInitScript(options.initScript);
    const workbench = new Workbench(page, stub, server, browser, workspace);
    try {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.statusbar').waitFor({ timeout: 60_000 });
      // The extension activates on startup finished; its status-bar item says it is there.
      await workbench.statusBarItem().waitFor({ timeout: 60_000 });
    } catch (err) {
      await workbench.close();
      throw err;
    }
    return workbench;
  }

  /** The extension's item in the status bar. */
  statusBarItem(): Locator {
    return this.page.locator('.statusbar-item#context7-confluence\\.context7-confluence\\.context7\\.status, .statusbar-item[id$="context7.status"]').first();
  }

  /**
   * Runs a command from the palette by its title, as a person would type it, then picks the row
   * whose label is exactly that title: the highlighted row may be another command that merely
   * contains it ("File: Compare New Untitled Text Files" for "File: New Untitled Text File").
   */
  async runCommand(title: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const row = this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) })
      .first();
    for (;;) {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      try {
        // A quick pick that is still closing (after a theme was picked, say) can hide the palette
        // again as it opens, and right after start the palette may not list the extension's
        // commands yet: either way, open it again.
        await input.fill(`>${title}`, { timeout: 3_000 });
        await row.click({ timeout: 3_000 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`The command palette never listed "${title}": ${String(err)}`);
      }
    }
  }

  /**
   * Switches the colour theme through "Preferences: Color Theme", as a person would, and waits
   * until the workbench wears it (`kind` is the class VS Code puts on the workbench: vs, vs-dark,
   * hc-light or hc-black).
   */
  async chooseColorTheme(theme: string, kind: 'vs' | 'vs-dark' | 'hc-light' | 'hc-black'): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    await this.page.locator('.quick-input-widget .quick-input-box input').fill('>Preferences: Color Theme');
    // The palette also lists "Browse Color Themes in Marketplace": pick the exact row.
    await this.page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
    const input = this.page.locator('.quick-input-widget .quick-input-box input[placeholder*="Color Theme"]');
    await input.waitFor();
    await input.fill(theme);
    await this.page.locator('.quick-input-list .monaco-list-row .label-name', { hasText: exactly(theme) }).first().click();
    await this.page.locator(`.monaco-workbench.${kind}`).waitFor();
  }

  /** The quick input (palette, input box, quick pick) at the top of the window. */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Types into the open input box and accepts it. */
  async answerInputBox(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(text);
    await input.press('Enter');
  }

  /** The notification toasts that are showing. */
  notifications(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast');
  }

  /**
   * Waits for a notification containing `text` and returns it: its toast, or, where VS Code showed
   * no toast, its row in the notification center, opened as a person would with the bell. (VS Code
   * sends a quick burst of notifications, more than three within 800 ms, straight to the center.)
   */
  async waitForNotification(text: string | RegExp, timeout = 30_000): Promise<Locator> {
    const toast = this.notifications().filter({ hasText: text }).first();
    const inCenter = this.page.locator('.notifications-center .notification-list-item').filter({ hasText: text }).first();
    const deadline = Date.now() + timeout;
    try {
      await toast.or(inCenter).first().waitFor({ timeout: Math.min(timeout, 10_000) });
    } catch {
      await this.runCommand('Notifications: Show Notifications');
      await toast.or(inCenter).first().waitFor({ timeout: Math.max(1_000, deadline - Date.now()) });
    }
    return (await toast.isVisible()) ? toast : inCenter;
  }

  /** The severity a notification shows by its icon. */
  async notificationSeverity(toast: Locator): Promise<'error' | 'warning' | 'info' | undefined> {
    const icon = toast.locator('.notification-list-item-icon').first();
    const classes = ((await icon.getAttribute('class')) ?? '').split(/\s+/);
    if (classes.includes('codicon-error')) return 'error';
    if (classes.includes('codicon-warning')) return 'warning';
    if (classes.includes('codicon-info')) return 'info';
    return undefined;
  }

  /**
   * Sets the API key through "Context7: Set API Key", unless the status-bar item says one is set
   * already (its cloud icon; a key icon means none), so a test also runs on its own.
   */
  async ensureApiKey(key: string): Promise<void> {
    const item = this.statusBarItem();
    await item.locator('.codicon-key, .codicon-cloud-upload').first().waitFor({ timeout: 20_000 });
    if ((await item.locator('.codicon-cloud-upload').count()) > 0) return;
    await this.runCommand('Context7: Set API Key');
    await this.answerInputBox(key);
    await this.waitForNotification('Context7 API key saved.');
    await item.locator('.codicon-cloud-upload').waitFor({ timeout: 20_000 });
  }

  /** Clicks a button of a notification. */
  async clickNotificationAction(toast: Locator, label: string): Promise<void> {
    await toast.hover();
    await toast.locator('.monaco-button', { hasText: label }).first().click();
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** The content of the active webview (a webview is two nested iframes). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  }

  /**
   * Opens the Settings editor on one setting, as a person would (the palette, then its search
   * box), and returns that setting's row: its control has the setting's key as accessible name.
   */
  async openSetting(key: string): Promise<Locator> {
    await this.runCommand('Preferences: Open User Settings');
    const editor = this.page.locator('.settings-editor');
    await editor.waitFor();
    await editor.locator('.settings-header .suggest-input-container').click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.type(key);
    const row = editor.locator(`.setting-item-contents[data-key="${key}"]`);
    await row.waitFor({ timeout: 15_000 });
    return row;
  }

  /** The text of the extension's log, as written to disk by the Output channel. */
  logText(): string {
    const files: string[] = [];
    const walk = (dir: string) => {
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name === 'Context7.log') files.push(full);
      }
    };
    walk(path.join(this.server.runDir, 'user-data', 'logs'));
    return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  }

  /**
   * A screenshot for the README: written to docs/ when C7_UPDATE_SCREENSHOTS=1, otherwise to
   * test-results/ (ignored by git), so a test run leaves the tree clean.
   */
  async docsScreenshot(name: string): Promise<string> {
    const dir = process.env.C7_UPDATE_SCREENSHOTS ? 'docs' : 'test-results';
    const file = path.join(projectRoot(), dir, name);
    await this.screenshot(file);
    return file;
  }

  async screenshot(file: string): Promise<void> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
    await this.stub.close();
    fs.rmSync(this.workspace, { recursive: true, force: true });
  }
}

/** Matches a whole text exactly (surrounding white space aside). */
export function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** Registers before/after hooks that give the suite one fresh workbench. */
export function useWorkbench(options: LaunchOptions = {}): () => Workbench {
  let workbench: Workbench | undefined;
  before(async function () {
    this.timeout(180_000);
    workbench = await Workbench.launch(options);
  });
  after(async function () {
    this.timeout(30_000);
    await workbench?.close();
  });
  return () => {
    if (!workbench) throw new Error('The workbench did not start.');
    return workbench;
  };
}
