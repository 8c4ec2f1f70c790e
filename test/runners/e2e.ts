/**
 * Runs the UI suite (test/e2e) in Node: each suite starts code-server with the packaged .vsix,
 * a Context7 stand-in and a headless Chromium, and drives the workbench as a person would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { findChromium } from './chromium';
import { ensureCodeServer } from './codeServer';
import { projectRoot } from './paths';

async function main(): Promise<number> {
  findChromium(); // fail early, with the package to install
  ensureCodeServer();
  const dir = path.join(projectRoot(), 'out', 'test', 'e2e');
  const grepIndex = process.argv.indexOf('--grep');
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 90_000,
    reporter: 'spec',
    grep: grepIndex > 0 ? process.argv[grepIndex + 1] : process.env.C7_GREP,
  });
  for (const file of fs.readdirSync(dir).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(dir, file));
  }
  return new Promise((resolve) => mocha.run((failures) => resolve(failures > 0 ? 1 : 0)));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
