/**
 * Loads TypeScript's compiler on first use (never at activation). Compiling its 9 MB of JavaScript takes
 * about 350 ms; with V8's code cache for it, V8 skips most of that work. V8 accepts a cache only from a V8
 * of the same version started with the same flags, so there are two:
 * - the build's, beside the bundle (dist/typescript.cache), made by the Node that built the extension and
 *   accepted by the same Node (the CLI, code-server);
 * - the editor's, made at first use by the V8 that reads it (desktop VS Code's Electron rejects the
 *   build's): the host names its file, under the extension's global storage, and a sandbox process that
 *   found no cache V8 accepted makes one (`makeTypeScriptCache`) for the host to write there, since the
 *   process itself may write nothing (`sandboxLaunch.ts`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Module } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type * as TS from 'typescript';

/** What became of the code cache: V8 accepted it, rejected it, or there was none to give. */
export type CacheUse = 'accepted' | 'rejected' | 'none';

let loaded: { readonly typescript: typeof TS; readonly script?: vm.Script; readonly cache: CacheUse } | undefined;

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

/**
 * TypeScript, loaded by the first call: with the editor's cache (`editorCache`, a file the host names) if
 * it exists, else with the build's.
 */
export function loadTypeScript(editorCache?: string): typeof TS {
  if (loaded) return loaded.typescript;
  const file = path.join(__dirname, 'typescript.js');
  if (!existsSync(file)) {
    // Running from source (tests): TypeScript from node_modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = { typescript: require('typescript') as typeof TS, cache: 'none' };
    return loaded.typescript;
  }
  const cacheFile = [editorCache, path.join(__dirname, 'typescript.cache')].find((candidate) => candidate !== undefined && existsSync(candidate));
  const cachedData = cacheFile !== undefined ? readFileSync(cacheFile) : undefined;
  const script = new vm.Script(wrapTypeScript(file), { filename: file, cachedData });
  const cache: CacheUse = cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'accepted';
  loaded = { typescript: runTypeScript(script, file), script, cache };
  return loaded.typescript;
}

/** What became of the code cache when TypeScript was loaded (undefined before). */
export function typeScriptCacheUse(): CacheUse | undefined {
  return loaded?.cache;
}

/**
 * V8's code cache for TypeScript as loaded so far (the functions run by then included: warm it up
 * first), or undefined when it was not loaded from dist/.
 */
export function makeTypeScriptCache(): Buffer | undefined {
  return loaded?.script?.createCachedData();
}
