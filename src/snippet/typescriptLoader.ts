/**
 * Loads TypeScript's compiler on first use (never at activation). Compiling its 9 MB of JavaScript takes
 * about 350 ms, so the build writes V8's code cache for it beside the bundle (dist/typescript.cache) and
 * this loader hands it to V8, which then skips most of that work. A cache made by another V8 (an editor
 * built on Electron) is rejected by V8 itself, and loading simply takes longer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Module } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type * as TS from 'typescript';

let typescript: typeof TS | undefined;

/** The source text the build and the loader compile, so that the cache matches. */
function wrapTypeScript(file: string): string {
  return Module.wrap(readFileSync(file, 'utf8'));
}

/** Runs TypeScript's module function compiled by `script` and returns its exports. */
function runTypeScript(script: vm.Script, file: string): typeof TS {
  const module = { exports: {} as typeof TS };
  const moduleFunction = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  moduleFunction.call(module.exports, module.exports, require, module, file, path.dirname(file));
  return module.exports;
}

export function loadTypeScript(): typeof TS {
  if (typescript) return typescript;
  const file = path.join(__dirname, 'typescript.js');
  if (!existsSync(file)) {
    // Running from source (tests): TypeScript from node_modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    typescript = require('typescript') as typeof TS;
    return typescript;
  }
  const cacheFile = path.join(__dirname, 'typescript.cache');
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  typescript = runTypeScript(new vm.Script(wrapTypeScript(file), { filename: file, cachedData }), file);
  return typescript;
}
