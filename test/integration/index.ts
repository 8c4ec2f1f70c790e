/**
 * The integration suite's entry, loaded by the extension host (desktop VS Code through
 * @vscode/test-electron, or code-server through the workbench's payload URL). It runs every
 * *.test.js beside it with mocha and settles when they finish: rejected when any failed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { START_MARKER } from './marker';

export function run(): Promise<void> {
  console.log(START_MARKER);
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 30_000,
    reporter: 'spec',
    grep: process.env.C7_GREP ? new RegExp(process.env.C7_GREP) : undefined,
  });
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
      else resolve();
    });
  });
}
