// Builds the bundles of the extension:
//   dist/extension.js  the extension host's start-up (Node, CommonJS, `vscode` left external)
//   dist/addSpace.js   the add flow, required by extension.js the first time it is used
//   dist/webview/webview.js  the browser side of the "Add Confluence Space" form, in a folder of
//                      its own: the webview may load only from there and media/
// Flags: --production minifies and drops source maps; --watch rebuilds on change.
//
// In watch mode one change rebuilds all three bundles together, framed by a single
// "[watch] build started" and a single "[watch] build finished" line, with every error and warning
// in between as `file:line:column: error|warning: message`. The problem matcher of the "npm: watch"
// task (.vscode/tasks.json) reads exactly these lines: if each bundle framed its own build, the
// task would count as finished after the first one.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Keeps `require('./addSpace')` in the start-up bundle pointing at the lazily loaded one. */
const lazyAddSpace = {
  name: 'lazy-add-space',
  setup(build) {
    build.onResolve({ filter: /^\.\/addSpace$/ }, (args) =>
      args.importer.endsWith('commands.ts') ? { path: './addSpace.js', external: true } : undefined,
    );
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  // In watch mode the messages are printed below, one line each, for the problem matcher.
  logLevel: watch ? 'silent' : 'warning',
};

const targets = [
  {
    // Start-up: activation, commands, key storage, status bar, log.
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [lazyAddSpace],
  },
  {
    // The add flow, loaded on first use of "Add Confluence Space".
    ...common,
    entryPoints: ['src/vscode/addSpace.ts'],
    outfile: 'dist/addSpace.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

const contexts = await Promise.all(targets.map((options) => esbuild.context(options)));

if (watch) {
  await watchAndRebuild();
} else {
  try {
    await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  } catch {
    // esbuild has already printed each error with its location.
    process.exitCode = 1;
  } finally {
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
  }
}

/** One message as `file:line:column: severity: text` (column 1-based, as VS Code counts). */
function formatMessage(severity, { text, location }) {
  return location ? `${location.file}:${location.line}:${location.column + 1}: ${severity}: ${text}` : `${severity}: ${text}`;
}

/** Rebuilds every bundle; resolves to the messages of all of them, each once (a file can be in two bundles). */
async function rebuildAll() {
  const results = await Promise.allSettled(contexts.map((ctx) => ctx.rebuild()));
  const lines = [];
  for (const result of results) {
    // A failed rebuild rejects with the same { errors, warnings } shape a successful one returns.
    const { errors = [], warnings = [] } = result.status === 'fulfilled' ? result.value : result.reason;
    if (result.status === 'rejected' && errors.length === 0) lines.push(formatMessage('error', { text: String(result.reason) }));
    lines.push(...errors.map((m) => formatMessage('error', m)), ...warnings.map((m) => formatMessage('warning', m)));
  }
  return [...new Set(lines)];
}

/**
 * Watches src/ and rebuilds all bundles after each change. Changes that arrive while a build runs
 * are folded into one more build, inside the same started/finished pair.
 */
async function watchAndRebuild() {
  let building = false;
  let again = false;
  let debounce;

  const run = async () => {
    if (building) {
      again = true;
      return;
    }
    building = true;
    console.log('[watch] build started');
    let lines;
    do {
      again = false;
      lines = await rebuildAll();
    } while (again);
    for (const line of lines) console.error(line);
    console.log('[watch] build finished');
    building = false;
  };

  // Editors often write a file in several steps: wait for the writes to settle.
  const schedule = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void run(), 50);
  };

  fs.watch('src', { recursive: true }, schedule);
  await run();
  const stop = async () => {
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
