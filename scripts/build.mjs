// One build for everything: the extension, the CLI, the sandbox process and its runtime
// (Node, CommonJS), the TypeScript server plugin (a package in node_modules/, see below), and the webview
// script with mermaid (browser). Run with --watch to rebuild on change.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** Where tsserver finds the plugin: node_modules/<the name in package.json's typescriptServerPlugins>. */
const PLUGIN_NAME = JSON.parse(readFileSync('package.json', 'utf8')).contributes.typescriptServerPlugins[0].name;
const PLUGIN_FOLDER = `node_modules/${PLUGIN_NAME}`;
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// TypeScript's compiler is large (about 9 MB): it ships as dist/typescript.js, beside the bundles,
// and is required lazily on the first evaluation, so activation and `--help` never pay for it.
const lazyTypescript = {
  name: 'lazy-typescript',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: './typescript.js', external: true }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  external: ['vscode'],
  plugins: [lazyTypescript],
  logLevel: 'warning',
};

/** Each entry is built only when its source exists, so the build grows with the project. */
const builds = [
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  // The sandbox process: strict mode throughout, as the code the snippet's stack frames pass through.
  { ...node, entryPoints: ['src/snippet/sandboxProcess.ts'], outfile: 'dist/sandboxProcess.js', banner: { js: '"use strict";' } },
  // The sandbox runtime runs inside a vm context that has no host objects: an IIFE that defines one global.
  { ...node, entryPoints: ['src/snippet/sandboxRuntime.ts'], outfile: 'dist/sandboxRuntime.js', platform: 'neutral', format: 'iife', globalName: '__gradientGraphRuntime', sourcemap: false },
  // The TypeScript server plugin that gives snippets their types in the editor (src/typescriptPlugin/). The
  // built-in TypeScript extension has tsserver load it by package name from this extension's own
  // node_modules/ (package.json's typescriptServerPlugins), so it is built there, as a package of its own
  // with its declarations beside it (writeTypeScriptPlugin). It gets `typescript` from tsserver: it bundles
  // none. npm install and npm ci remove the folder (it is in no lockfile): build again after them.
  { ...node, entryPoints: ['src/typescriptPlugin/index.ts'], outfile: `${PLUGIN_FOLDER}/index.js`, sourcemap: false },
  // The panel's page: ES modules split into chunks (media/webview/), so that the page's own code (about
  // 40 KB) runs at once and mermaid (3.5 MB with every kind of diagram) is imported when it is needed;
  // mermaid itself imports each diagram's code on first use, so a flowchart loads about 0.8 MB of it.
  {
    ...node, entryPoints: [{ in: 'src/webview/main.ts', out: 'main' }], outdir: 'media/webview', chunkNames: 'chunks/[name]-[hash]',
    platform: 'browser', format: 'esm', splitting: true, target: 'es2022', external: [], minify: true, metafile: true,
  },
].filter((options) => existsSync(options.entryPoints[0].in ?? options.entryPoints[0]));

mkdirSync('dist', { recursive: true });
// Chunks are named by their hash: the last build's would pile up (and be packaged).
rmSync('media/webview', { recursive: true, force: true });
rmSync('media/webview.js', { force: true });
rmSync('media/webview.js.map', { force: true });
copyFileSync(require.resolve('typescript/lib/typescript.js'), 'dist/typescript.js');
// The codicon font, for the panel's toolbar (the webview cannot use the workbench's).
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(require.resolve(`@vscode/codicons/dist/${file}`), `media/${file}`);
writeTypeScriptCache();
writeTypeScriptPlugin();

/**
 * The plugin's package around its bundle: a package.json naming index.js, and the snippet declarations that
 * the plugin adds to projects (one source: src/typescriptPlugin/gradient-graph-snippets.d.ts).
 */
function writeTypeScriptPlugin() {
  mkdirSync(PLUGIN_FOLDER, { recursive: true });
  const manifest = { name: PLUGIN_NAME, version: '0.0.0', private: true, description: 'Gradient Graph snippet types for tsserver (built by scripts/build.mjs)', main: 'index.js' };
  writeFileSync(`${PLUGIN_FOLDER}/package.json`, `${JSON.stringify(manifest, undefined, 2)}\n`);
  copyFileSync('src/typescriptPlugin/gradient-graph-snippets.d.ts', `${PLUGIN_FOLDER}/gradient-graph-snippets.d.ts`);
}

/**
 * V8's code cache for dist/typescript.js, which cuts loading TypeScript in a sandbox process from about
 * 170 ms to 65. V8 accepts a cache only from a V8 started with the same flags, so it is made in a child
 * process with the sandbox process's V8 flags (see scripts/typescript-cache.mjs).
 */
function writeTypeScriptCache() {
  const flags = JSON.parse(readFileSync('src/snippet/sandboxV8Flags.json', 'utf8'));
  execFileSync(process.execPath, [...flags, 'scripts/typescript-cache.mjs', 'dist/typescript.js', 'dist/typescript.cache'], { stdio: 'inherit' });
}

/**
 * The chunks a flowchart's first draw imports (mermaid's core, its flowchart diagram and the dagre layout,
 * with what they import), listed in media/webview/preload.json: the panel's page names them in
 * `modulepreload` links, so that the webview fetches and compiles them while the page starts.
 */
function writePreloadList(metafile) {
  if (metafile === undefined) return;
  const { outputs } = metafile;
  const firstDraw = /mermaid\.core\.mjs$|\/flowDiagram-[^/]*\.mjs$|\/dagre-[^/]*\.mjs$/;
  const listed = new Set();
  const visit = (file) => {
    if (listed.has(file)) return;
    listed.add(file);
    for (const item of outputs[file].imports) if (item.kind === 'import-statement' && !item.external) visit(item.path);
  };
  for (const [file, output] of Object.entries(outputs)) if (firstDraw.test(output.entryPoint ?? '')) visit(file);
  const files = [...listed].map((file) => path.relative('media/webview', file).split(path.sep).join('/'));
  writeFileSync('media/webview/preload.json', `${JSON.stringify(files, undefined, 1)}\n`);
}

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('watching for changes');
} else {
  const started = performance.now();
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  writePreloadList(results.find((result) => result.metafile !== undefined)?.metafile);
  console.log(`built ${builds.length} bundles in ${Math.round(performance.now() - started)} ms`);
}
