/**
 * `npm start`: builds the extension and opens it in a real VS Code.
 *
 * - With desktop VS Code (`code` on PATH, or CODE_BIN), it opens a window with
 *   `--extensionDevelopmentPath` pointing at this folder.
 * - Otherwise it starts a local code-server (installed on demand, pinned) and prints the
 *   http://127.0.0.1:… address to open; the extension is loaded from this folder the same way.
 * - `npm start -- --sandbox` also starts the local Context7 stand-in and points the extension at it
 *   in a separate profile, so the whole flow can be tried with no Context7 account: when asked for
 *   an API key, paste the throwaway key printed below. It also starts an Atlassian stand-in (a
 *   Confluence Cloud site on 127.0.0.1 with made-up spaces and pages) for the paste and browse
 *   flows, with a throwaway email and API token printed below.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from '../test/runners/codeServer';
import { projectRoot } from '../test/runners/paths';
import { AtlassianStub } from '../test/support/atlassian-stub';
import { Context7Stub } from '../test/support/context7-stub';

export const SANDBOX_KEY = 'ctx7sk-sandbox-throwaway-key';
export const SANDBOX_ATLASSIAN_EMAIL = 'sandbox@example.com';
export const SANDBOX_ATLASSIAN_TOKEN = 'sandbox-throwaway-atlassian-token';

function desktopCode(): string | undefined {
  if (process.env.CODE_BIN) return process.env.CODE_BIN;
  if (process.env.C7_NO_DESKTOP) return undefined;
  const found = spawnSync(process.platform === 'win32' ? 'where' : 'sh', process.platform === 'win32' ? ['code'] : ['-c', 'command -v code'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim().split(/\r?\n/)[0] : undefined;
}

async function main(): Promise<void> {
  const root = projectRoot();
  const sandbox = process.argv.includes('--sandbox');
  const sandboxDir = path.join(root, '.sandbox');
  const workspace = path.join(sandboxDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });

  let stub: Context7Stub | undefined;
  let atlassian: AtlassianStub | undefined;
  // The workspace lives inside this repository: keep the Git extension from offering to open it.
  const settings: Record<string, unknown> = { 'git.openRepositoryInParentFolders': 'never' };
  if (sandbox) {
    stub = await Context7Stub.start({ port: Number(process.env.C7_STUB_PORT ?? 0) });
    settings['context7.apiUrl'] = stub.apiUrl;
    console.log(`Context7 stand-in listening on ${stub.url} (requests it receives are listed at ${stub.url}/__stub/requests)`);
    console.log(`Sandbox: when the extension asks for an API key, paste the throwaway key  ${SANDBOX_KEY}`);
    atlassian = await AtlassianStub.start({
      port: Number(process.env.C7_ATLASSIAN_STUB_PORT ?? 0),
      email: SANDBOX_ATLASSIAN_EMAIL,
      apiToken: SANDBOX_ATLASSIAN_TOKEN,
    });
    console.log(`Atlassian stand-in (a Confluence Cloud site) at ${atlassian.siteUrl}: paste ${atlassian.siteUrl}/wiki/spaces/ENG/pages/201819180/Architecture`);
    console.log(`  into "Confluence link", or run "Context7: Connect Atlassian Account" with email ${SANDBOX_ATLASSIAN_EMAIL} and the throwaway token  ${SANDBOX_ATLASSIAN_TOKEN}`);
  }

  const code = desktopCode();
  if (code) {
    const args = [`--extensionDevelopmentPath=${root}`];
    if (sandbox) {
      const userData = path.join(sandboxDir, 'desktop-user-data');
      fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
      fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
      args.push(`--user-data-dir=${userData}`, '--new-window', '--wait');
    }
    args.push(workspace);
    console.log(`Opening desktop VS Code: ${code} ${args.join(' ')}`);
    const child = spawn(code, args, { stdio: 'inherit' });
    child.on('exit', async () => {
      await stub?.close();
      await atlassian?.close();
    });
    return;
  }

  console.log('No desktop VS Code (`code`) found: starting code-server, VS Code in the browser…');
  const server = await startCodeServer({
    folder: workspace,
    settings,
    port: Number(process.env.C7_PORT ?? 0) || undefined,
    runDir: path.join(sandboxDir, sandbox ? 'code-server-sandbox' : 'code-server'),
  });
  const remote = `vscode-remote://127.0.0.1:${server.port}${root}`;
  const payload = encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', remote], ['skipWelcome', 'true']]));
  console.log('');
  console.log(`  VS Code with the extension is running at  ${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${payload}`);
  console.log('');
  console.log('Open that address in a browser. Press Ctrl+C to stop.');
  const stop = async () => {
    await server.stop();
    await stub?.close();
    await atlassian?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
