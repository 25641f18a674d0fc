// Writes V8's code cache for dist/typescript.js (argv[2]) to argv[3]. The build runs this with the sandbox
// process's V8 flags (src/snippet/sandboxV8Flags.json), since V8 accepts a cache only from a V8 with the same
// flags. The script is compiled exactly as src/snippet/typescriptLoader.ts compiles it (Module.wrap of the
// file) and warmed up on a snippet, so that the functions a rewrite uses are in the cache.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

const require = createRequire(import.meta.url);

const [file, cacheFile] = process.argv.slice(2).map((item) => path.resolve(item));
const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file });
const module_ = { exports: {} };
script.runInThisContext().call(module_.exports, module_.exports, require, module_, file, path.dirname(file));
const ts = module_.exports;
const warmUp = 'interface P { x: number } type T = number; const a: T = 2, b = -3; let w = [1, [2, 3]];\n'
  + 'function f(x: number): number { for (let i = 0; i < 3; i++) { x += i ** 2 % 3; } return x > 0 ? Math.tanh(x) : -x; }\n'
  + 'const g = (v: number) => v * a; while (b < 0 && a !== 1) { break; } do {} while (false); `${a}`; f(g(b)) + w.length;';
const identity = (context) => (source) => ts.visitEachChild(source, function visit(node) { return ts.visitEachChild(node, visit, context); }, context);
ts.transpileModule(warmUp, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, sourceMap: true }, transformers: { before: [identity] } });
ts.createSourceFile('warm.ts', warmUp, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
writeFileSync(cacheFile, script.createCachedData());
