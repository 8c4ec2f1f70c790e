/**
 * code-server (VS Code's server and web workbench, from npm) as a test host where no desktop VS
 * Code can be downloaded. It is installed on demand into the cache folder, pinned, and one server
 * runs per test run in its own throwaway folders.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDir } from './paths';

export const CODE_SERVER_VERSION = '4.100.3'; // = VS Code 1.100.3, the newest release that runs on Node 20
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

function installDir(): string {
  return path.join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
}

function binary(): string {
  return path.join(installDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function which(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Installs code-server into the cache once; later runs reuse it. */
export function ensureCodeServer(log: (line: string) => void = console.log): string {
  const entry = binary();
  const marker = path.join(installDir(), '.installed');
  if (fs.existsSync(marker) && fs.existsSync(entry)) return entry;

  if (process.platform !== 'linux') {
    throw new Error('The code-server test host is set up for Linux only. On macOS or Windows, run the tests against desktop VS Code (see README: "Tests").');
  }
  const rg = which('rg');
  if (!rg) {
    throw new Error('code-server needs ripgrep at install time and cannot download it offline. Install it: `apt-get install ripgrep`.');
  }
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${installDir()} (once, about a minute)…`);
  fs.rmSync(installDir(), { recursive: true, force: true });
  const tmp = path.join(installDir(), 'tmp');
  fs.mkdirSync(path.join(tmp, RIPGREP_CACHE), { recursive: true });
  // @vscode/ripgrep's postinstall downloads from GitHub, but first looks in its cache folder:
  // a tarball holding the system's `rg` there satisfies it.
  const tar = spawnSync('tar', ['-C', path.dirname(rg), '-czf', path.join(tmp, RIPGREP_CACHE, RIPGREP_TARBALL), path.basename(rg)], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error('Could not pack ripgrep for the code-server install.');
  fs.writeFileSync(path.join(installDir(), 'package.json'), JSON.stringify({ name: 'code-server-host', private: true }));

  const npm = 'npm';
  const result = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: installDir(),
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      TMPDIR: tmp,
      npm_config_unsafe_perm: 'true', // its postinstall refuses to run as root otherwise
      npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
      npm_config_update_notifier: 'false',
    },
  });
  if (result.status !== 0 || !fs.existsSync(entry)) {
    throw new Error(
      `Installing code-server ${CODE_SERVER_VERSION} failed (exit ${result.status}). It builds native modules: on Debian/Ubuntu install ` +
        '`build-essential pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep`, then run the tests again.',
    );
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.writeFileSync(marker, `${CODE_SERVER_VERSION}\n`);
  return entry;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServerOptions {
  /** The folder the workbench opens. */
  folder: string;
  /** Written to the user settings before start. */
  settings?: Record<string, unknown>;
  /** .vsix files to install before start. */
  extensions?: string[];
  /** Extra environment for the server and so for the extension host. */
  env?: Record<string, string>;
  /** Print the server's own output. */
  verbose?: boolean;
  /** A fixed port; a free one by default. */
  port?: number;
  /** Keep the profile here across runs instead of a throwaway folder. */
  runDir?: string;
}

export interface CodeServer {
  url: string;
  port: number;
  runDir: string;
  stop(): Promise<void>;
}

/** Starts one code-server in a throwaway folder; `stop` ends its whole process group. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const entry = ensureCodeServer();
  const keep = Boolean(options.runDir);
  const runDir = options.runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'c7-code-server-'));
  const dirs = {
    ud: path.join(runDir, 'user-data'),
    ext: path.join(runDir, 'extensions'),
    home: path.join(runDir, 'home'),
    tmp: path.join(runDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(dirs.ud, 'User'), { recursive: true });
  const settingsFile = path.join(dirs.ud, 'User', 'settings.json');
  // A kept profile keeps the user's own changes; the given settings win over them.
  const previous = keep && fs.existsSync(settingsFile) ? (JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(
    settingsFile,
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'update.mode': 'none',
        ...previous,
        ...options.settings,
      },
      null,
      2,
    ),
  );
  const configFile = path.join(runDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    TMPDIR: dirs.tmp,
    // No marketplace: point the gallery at a closed loopback port instead of the internet.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item', resourceUrlTemplate: 'http://127.0.0.1:9/resource' }),
    ...options.env,
  };
  const common = ['--config', configFile, '--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext];

  for (const vsix of options.extensions ?? []) {
    const installed = spawnSync(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], { env, encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`code-server could not install ${vsix}:\n${installed.stdout}\n${installed.stderr}`);
  }

  const port = options.port ?? (await freePort());
  const args = [
    entry,
    ...common,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    options.folder,
  ];
  const child: ChildProcess = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // Last resort: however this process ends, the server and its extension host end with it.
  const killOnExit = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (options.verbose) process.stderr.write(`[code-server] ${chunk}`);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode} before it answered:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup(child);
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    port,
    runDir,
    async stop() {
      await killGroup(child);
      process.removeListener('exit', killOnExit);
      if (!keep && !process.env.C7_KEEP_RUN_DIR) fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/** Ends the server and every process it started (the extension host outlives its browser otherwise). */
function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const done = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(done);
      resolve();
    });
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      clearTimeout(done);
      resolve();
    }
  });
}
