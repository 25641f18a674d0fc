// Compiles the extension-host test suite (test/e2e/suite: index.ts and every *.test.ts) to
// out/test/e2e/suite/*.js, one CommonJS bundle per file, with vscode and mocha left to the host.
// Usage: node scripts/build-e2e.mjs [testsDir] [outDir]; the defaults are the two folders above.
// A testsDir elsewhere (a fixture) is compiled together with this suite's index.ts.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const testsDir = path.resolve(process.argv[2] ?? path.join(root, 'test/e2e/suite'));
const outDir = path.resolve(process.argv[3] ?? path.join(root, 'out/test/e2e/suite'));
const index = path.join(root, 'test/e2e/suite/index.ts');

const tests = existsSync(testsDir)
  ? readdirSync(testsDir).filter((name) => name.endsWith('.test.ts')).map((name) => path.join(testsDir, name))
  : [];

const started = performance.now();
rmSync(outDir, { recursive: true, force: true }); // No stale tests from deleted sources.
await esbuild.build({
  // Named entries keep every output flat in outDir, wherever its source is.
  entryPoints: [index, ...tests].map((file) => ({ in: file, out: path.basename(file, '.ts') })),
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`built e2e suite (${tests.length} test files) into ${path.relative(root, outDir) || outDir} in ${Math.round(performance.now() - started)} ms`);
