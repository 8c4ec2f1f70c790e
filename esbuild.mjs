// Builds the bundles of the extension:
//   dist/extension.js  the extension host's start-up (Node, CommonJS, `vscode` left external)
//   dist/addSpace.js   the add flow, required by extension.js the first time it is used
//   dist/webview.js    the browser side of the "Add Confluence Space" form
// Flags: --production minifies and drops source maps; --watch rebuilds on change and prints
// the "[watch] build started/finished" lines that VS Code's esbuild problem matcher expects.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Reports the start and end of each build, with errors in a problem-matcher friendly shape. */
const watchReporter = {
  name: 'watch-reporter',
  setup(build) {
    build.onStart(() => {
      console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

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
  logLevel: 'warning',
  plugins: watch ? [watchReporter] : [],
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
    plugins: [...common.plugins, lazyAddSpace],
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
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

const contexts = await Promise.all(targets.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
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
