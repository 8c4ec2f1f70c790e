/**
 * Runs the integration suite (test/integration) inside a real VS Code extension host.
 *
 * Which host:
 * - `C7_TEST_HOST=electron` or `C7_TEST_HOST=code-server` forces one (a forced desktop VS Code that
 *   cannot be had is an error, not a fallback).
 * - Otherwise `VSCODE_EXECUTABLE_PATH` means that desktop VS Code, through @vscode/test-electron's
 *   way of launching it (`--extensionDevelopmentPath`, `--extensionTestsPath`).
 * - Otherwise, where a desktop VS Code can run (macOS, Windows, Linux with DISPLAY or
 *   WAYLAND_DISPLAY), @vscode/test-electron downloads VS Code DESKTOP_VERSION into .vscode-test/;
 *   when that fails (no network, as on our machines), the run falls back to code-server.
 * - Headless Linux: code-server (VS Code's server, from npm) with Chromium as the client. The
 *   workbench takes the extension and the tests from its `payload` URL parameter and reports the
 *   mocha output and the exit code back through two page functions, as VS Code's own smoke tests do.
 *
 * The same suite runs unchanged in both hosts, in a fresh folder of its own. Both end with the same
 * message after C7_INTEGRATION_TIMEOUT_MS. The suite prints START_MARKER before mocha starts; what
 * the host prints before it is start-up noise, hidden unless C7_VERBOSE is set, and shown after all
 * when the run fails before the marker (the suite did not load, or activation crashed).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { format } from 'node:util';
import type { ProgressReporter, ProgressReport } from '@vscode/test-electron';
import { startCodeServer } from './codeServer';
import { launchChromium } from './chromium';
import { cacheDir, projectRoot } from './paths';
import { START_MARKER } from '../integration/marker';

const TIMEOUT_MS = Number(process.env.C7_INTEGRATION_TIMEOUT_MS ?? 240_000);
/** The desktop VS Code that matches code-server 4.100.3 and `engines.vscode`. */
const DESKTOP_VERSION = '1.100.3';
const VERBOSE = Boolean(process.env.C7_VERBOSE);
/** How much of the hidden start-up log a failed run shows. */
const HIDDEN_LINES = 200;

type Host = { kind: 'electron'; executable: string } | { kind: 'code-server' };

async function main(): Promise<number> {
  const root = projectRoot();
  const testsEntry = path.join(root, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(testsEntry)) throw new Error(`${testsEntry} is missing: run \`npm run compile-tests\` first.`);
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first.');
  const host = await chooseHost();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'c7-workspace-'));
  try {
    return host.kind === 'electron'
      ? await runInElectron(host.executable, root, testsEntry, workspace)
      : await runInCodeServer(root, testsEntry, workspace);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

async function chooseHost(): Promise<Host> {
  const forced = process.env.C7_TEST_HOST;
  if (forced !== undefined && forced !== 'electron' && forced !== 'code-server') {
    throw new Error(`C7_TEST_HOST must be "electron" or "code-server", not "${forced}".`);
  }
  if (forced === 'code-server') return { kind: 'code-server' };
  const given = process.env.VSCODE_EXECUTABLE_PATH;
  if (given) return { kind: 'electron', executable: given };
  if (forced === 'electron') {
    try {
      return { kind: 'electron', executable: await downloadDesktop() };
    } catch (err) {
      throw new Error(`C7_TEST_HOST=electron, but desktop VS Code ${DESKTOP_VERSION} could not be downloaded (${message(err)}). Point VSCODE_EXECUTABLE_PATH at an installed VS Code, or use C7_TEST_HOST=code-server.`);
    }
  }
  const desktopCanRun = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!desktopCanRun) return { kind: 'code-server' };
  try {
    return { kind: 'electron', executable: await downloadDesktop() };
  } catch (err) {
    console.log(`Desktop VS Code ${DESKTOP_VERSION} could not be downloaded (${message(err)}); running the integration tests in code-server instead.`);
    return { kind: 'code-server' };
  }
}

/** Downloads desktop VS Code into the cache once (later runs reuse it) and returns its executable. */
async function downloadDesktop(): Promise<string> {
  const { downloadAndUnzipVSCode, ProgressReportStage } = await import('@vscode/test-electron');
  // Quiet unless something is really downloaded: a failure is reported by the caller, in one line.
  let announced = false;
  const reporter: ProgressReporter = {
    report(report: ProgressReport) {
      if (report.stage === ProgressReportStage.Downloading && !announced) {
        announced = true;
        console.log(`Downloading VS Code ${DESKTOP_VERSION} into ${cacheDir()} (once)…`);
      }
    },
    error() {},
  };
  return downloadAndUnzipVSCode({ version: DESKTOP_VERSION, cachePath: cacheDir(), reporter });
}

/**
 * Holds back the host's output until the suite's START_MARKER, then passes it through. Keeps the
 * last HIDDEN_LINES hidden lines for a run that fails before the marker.
 */
class HostLog {
  private hidden: string[] = [];
  private dropped = 0;
  started = false;

  line(text: string): void {
    if (!this.started && text.includes(START_MARKER)) {
      this.started = true;
      this.hidden = [];
      return;
    }
    if (this.started || VERBOSE) {
      console.log(text);
      return;
    }
    this.hidden.push(...text.split(/\r?\n/));
    if (this.hidden.length > HIDDEN_LINES) {
      this.dropped += this.hidden.length - HIDDEN_LINES;
      this.hidden.splice(0, this.hidden.length - HIDDEN_LINES);
    }
  }

  /** After a failed run: what the host printed, when the suite itself never got to print. */
  showHidden(): void {
    if (this.started || VERBOSE) return;
    const skipped = this.dropped ? ` (its last ${HIDDEN_LINES} lines; ${this.dropped} earlier lines left out)` : '';
    console.error(`The integration suite never started. The extension host printed${skipped}:`);
    for (const text of this.hidden) console.error(text);
    if (this.hidden.length === 0) console.error('(nothing)');
    console.error('The suite did not load, or the extension failed to activate: see the output above.');
  }
}

/** Resolves to the exit code, or to 1 with the timeout message after TIMEOUT_MS. */
async function withTimeout(exitCode: Promise<number>): Promise<{ code: number; timedOut: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ code: number; timedOut: boolean }>((resolve) => {
    timer = setTimeout(() => resolve({ code: 1, timedOut: true }), TIMEOUT_MS);
  });
  try {
    return await Promise.race([exitCode.then((code) => ({ code, timedOut: false })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function reportEnd(log: HostLog, result: { code: number; timedOut: boolean }): number {
  if (result.code !== 0) log.showHidden();
  if (result.timedOut) {
    console.error(
      `Integration tests did not finish within ${TIMEOUT_MS / 1000} s: the extension host hung or never started. ` +
        'Run again with C7_VERBOSE=1 to see the host output as it comes.',
    );
  }
  return result.code;
}

/**
 * Desktop VS Code, started as @vscode/test-electron's `runTests` starts it, but by this runner, so
 * that a hung host can be ended with its whole process tree. Fresh user data and extensions folders
 * keep the machine's own settings and extensions out of the run.
 */
async function runInElectron(executable: string, root: string, testsEntry: string, workspace: string): Promise<number> {
  if (!fs.existsSync(executable)) throw new Error(`No VS Code executable at ${executable} (VSCODE_EXECUTABLE_PATH).`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'c7-vscode-'));
  const args = [
    workspace,
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-updates',
    '--skip-welcome',
    '--skip-release-notes',
    '--disable-workspace-trust',
    '--disable-extensions',
    `--extensionDevelopmentPath=${root}`,
    `--extensionTestsPath=${testsEntry}`,
    `--user-data-dir=${path.join(profile, 'user-data')}`,
    `--extensions-dir=${path.join(profile, 'extensions')}`,
  ];
  console.log(`Running the integration tests in desktop VS Code (${executable}).`);
  const child = spawn(executable, args, { detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = () => {
    if (child.pid === undefined || child.exitCode !== null) return;
    try {
      if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F']);
      else process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', kill);
  const log = new HostLog();
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split(/\r?\n/);
      rest = lines.pop() ?? '';
      for (const text of lines) log.line(text);
    });
    stream.on('end', () => rest && log.line(rest));
  }
  const exited = new Promise<number>((resolve) => {
    child.on('error', (err) => {
      log.line(`Could not start ${executable}: ${err.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      if (signal) log.line(`VS Code ended by ${signal}.`);
      resolve(code ?? 1);
    });
  });
  try {
    return reportEnd(log, await withTimeout(exited));
  } finally {
    kill();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function runInCodeServer(root: string, testsEntry: string, workspace: string): Promise<number> {
  const server = await startCodeServer({ folder: workspace, verbose: VERBOSE });
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
    // The workbench forwards its own log and the extension host's console here.
    const log = new HostLog();
    await page.exposeFunction('codeAutomationLog', (_level: string, args: unknown) => {
      log.line(Array.isArray(args) ? format(...(args as unknown[])) : String(args));
    });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    return reportEnd(log, await withTimeout(exitCode));
  } finally {
    await browser.close();
    await server.stop();
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(message(err));
    process.exit(1);
  },
);
