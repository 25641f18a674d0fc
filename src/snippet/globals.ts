import * as vm from 'node:vm';

let globals: ReadonlySet<string> | undefined;

/**
 * The names a snippet can use without declaring them: JavaScript's built-ins as a fresh vm context has them
 * (the sandbox's realm), plus `console`, which the sandbox provides.
 */
export function findGlobals(): ReadonlySet<string> {
  globals ??= new Set([...(vm.runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]), 'console', 'undefined', 'globalThis', 'arguments']);
  return globals;
}
