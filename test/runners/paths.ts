import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest folder above this file whose package.json names the extension. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'context7-confluence') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the project root above ${__dirname}`);
    dir = parent;
  }
}

/** Heavy test hosts are cached here, pinned by version, and never committed. */
export function cacheDir(): string {
  return process.env.VSCODE_TEST_CACHE ?? path.join(projectRoot(), '.vscode-test');
}
