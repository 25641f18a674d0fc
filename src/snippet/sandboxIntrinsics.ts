/**
 * JavaScript's built-ins as they are before a snippet runs, for the sandbox runtime's code that runs after
 * the snippet has had its chance to replace them: a snippet may assign any global of its realm and any
 * method of a built-in prototype (`JSON.stringify = …`, `String.prototype.slice = …`). Part of the sandbox
 * runtime: this module is evaluated inside the vm context when the runtime is created, so each constant
 * holds the realm's original.
 */

export const apply = Reflect.apply as (target: (...args: never[]) => unknown, self: unknown, args: readonly unknown[]) => unknown;

/** A method as it is on its prototype now, to be called later with `apply`. */
export const originalMethod = (prototype: object, key: PropertyKey) => Object.getOwnPropertyDescriptor(prototype, key)!.value as (...args: never[]) => unknown;

const stringify = JSON.stringify;
/** `JSON.stringify` as it was: objects' own `toJSON` still run (the snippet's code), primitives are safe. */
export const jsonStringify = (value: unknown): string | undefined => stringify(value);

const slice = originalMethod(String.prototype, 'slice');
export const stringSlice = (text: string, start: number, end?: number): string => apply(slice, text, [start, end]) as string;

const numberToString = originalMethod(Number.prototype, 'toString');
/** A number's decimal text, as `String(x)` writes it. */
export const numberText = (value: number): string => apply(numberToString, value, []) as string;

const symbolToString = originalMethod(Symbol.prototype, 'toString');
export const symbolText = (value: symbol): string => apply(symbolToString, value, []) as string;

const isArray = Array.isArray;
export const arrayIsArray = (value: unknown): boolean => isArray(value);
