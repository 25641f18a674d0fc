// One build for everything: the extension, the CLI, the snippet worker and its sandbox runtime
// (Node, CommonJS), and the webview script with mermaid (browser). Run with --watch to rebuild on change.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

const require = createRequire(import.meta.url);
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
  { ...node, entryPoints: ['src/snippet/worker.ts'], outfile: 'dist/snippetWorker.js' },
  // The sandbox runtime runs inside a vm context that has no host objects: an IIFE that defines one global.
  { ...node, entryPoints: ['src/snippet/sandboxRuntime.ts'], outfile: 'dist/sandboxRuntime.js', platform: 'neutral', format: 'iife', globalName: '__gradientGraphRuntime', sourcemap: false },
  { ...node, entryPoints: ['src/webview/main.ts'], outfile: 'media/webview.js', platform: 'browser', format: 'iife', target: 'es2022', external: [], minify: true },
].filter((options) => existsSync(options.entryPoints[0]));

mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('typescript/lib/typescript.js'), 'dist/typescript.js');
writeTypeScriptCache();

/**
 * V8's code cache for dist/typescript.js, compiled exactly as src/snippet/typescriptLoader.ts compiles it
 * (Module.wrap of the file) and warmed up on a snippet, so that the functions a rewrite uses are in it.
 * It cuts the first evaluation's TypeScript load from about 350 ms to a fraction.
 */
function writeTypeScriptCache() {
  const file = path.resolve('dist/typescript.js');
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, require, module, file, path.dirname(file));
  const ts = module.exports;
  const warmUp = 'interface P { x: number } type T = number; const a: T = 2, b = -3; let w = [1, [2, 3]];\n'
    + 'function f(x: number): number { for (let i = 0; i < 3; i++) { x += i ** 2 % 3; } return x > 0 ? Math.tanh(x) : -x; }\n'
    + 'const g = (v: number) => v * a; while (b < 0 && a !== 1) { break; } do {} while (false); `${a}`; f(g(b)) + w.length;';
  const identity = (context) => (file) => ts.visitEachChild(file, function visit(node) { return ts.visitEachChild(node, visit, context); }, context);
  ts.transpileModule(warmUp, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, sourceMap: true }, transformers: { before: [identity] } });
  ts.createSourceFile('warm.ts', warmUp, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  writeFileSync('dist/typescript.cache', script.createCachedData());
}

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('watching for changes');
} else {
  const started = performance.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  console.log(`built ${builds.length} bundles in ${Math.round(performance.now() - started)} ms`);
}
