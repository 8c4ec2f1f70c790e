/**
 * Runs the integration suite (test/integration) inside a real VS Code extension host.
 *
 * - Desktop VS Code through @vscode/test-electron when one can be had: `VSCODE_EXECUTABLE_PATH`
 *   points at it, or `C7_TEST_HOST=electron` asks for a download.
 * - Otherwise code-server (VS Code's server, from npm) with Chromium as the client. The workbench
 *   takes the extension and the tests from its `payload` URL parameter and reports the mocha output
 *   and the exit code back through two page functions, as VS Code's own smoke tests do.
 *
 * The same suite runs unchanged in both hosts.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { format } from 'node:util';
import { startCodeServer } from './codeServer';
import { launchChromium } from './chromium';
import { projectRoot } from './paths';
import { START_MARKER } from '../integration/marker';

const TIMEOUT_MS = Number(process.env.C7_INTEGRATION_TIMEOUT_MS ?? 240_000);

async function main(): Promise<number> {
  const root = projectRoot();
  const testsEntry = path.join(root, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(testsEntry)) throw new Error(`${testsEntry} is missing: run \`npm run compile-tests\` first.`);
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first.');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'c7-workspace-'));
  try {
    const host = process.env.C7_TEST_HOST ?? (process.env.VSCODE_EXECUTABLE_PATH ? 'electron' : 'code-server');
    if (host === 'electron') return await runInElectron(root, testsEntry, workspace);
    if (host !== 'code-server') throw new Error(`C7_TEST_HOST must be "electron" or "code-server", not "${host}".`);
    return await runInCodeServer(root, testsEntry, workspace);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

async function runInElectron(root: string, testsEntry: string, workspace: string): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: testsEntry,
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH,
      version: process.env.VSCODE_EXECUTABLE_PATH ? undefined : '1.100.3',
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
    return 0;
  } catch (err) {
    console.error(`Integration tests failed in desktop VS Code: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

async function runInCodeServer(root: string, testsEntry: string, workspace: string): Promise<number> {
  const server = await startCodeServer({ folder: workspace, verbose: Boolean(process.env.C7_VERBOSE) });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const authority = `127.0.0.1:${server.port}`;
    const remote = (p: string) => `vscode-remote://${authority}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(testsEntry)],
      ['skipWelcome', 'true'],
    ];
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    // The workbench forwards its own log and the extension host's console here. The suite prints
    // START_MARKER first, so everything before it is start-up noise, shown only with C7_VERBOSE.
    let started = false;
    await page.exposeFunction('codeAutomationLog', (_level: string, args: unknown) => {
      const text = Array.isArray(args) ? format(...(args as unknown[])) : String(args);
      if (text.includes(START_MARKER)) {
        started = true;
        return;
      }
      if (started || process.env.C7_VERBOSE) console.log(text);
    });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        console.error(
          `Integration tests did not finish within ${TIMEOUT_MS / 1000} s: the extension host hung or never started. ` +
            'Run again with C7_VERBOSE=1 to see the server and workbench output.',
        );
        resolve(1);
      }, TIMEOUT_MS);
    });
    const code = await Promise.race([exitCode, timeout]);
    clearTimeout(timer);
    return code;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
