import * as vm from 'node:vm';
import { NN_GLOBALS } from './protocol.ts';

let globals: ReadonlySet<string> | undefined;

/**
 * The names a snippet can use without declaring them: JavaScript's built-ins as a fresh vm context has them
 * (the sandbox's realm), plus `console` and micrograd's `nn` (`MLP`, `SGD`, …), which the sandbox provides.
 */
export function findGlobals(): ReadonlySet<string> {
  globals ??= new Set([...(vm.runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]), 'console', ...NN_GLOBALS, 'undefined', 'globalThis', 'arguments']);
  return globals;
}
