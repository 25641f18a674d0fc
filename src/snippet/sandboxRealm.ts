/**
 * The sandbox's realm, prepared so that a lifted number behaves as the number it stands for wherever
 * JavaScript's built-ins read a number's truthiness, identity or primitive value. Part of the sandbox
 * runtime (runs inside the vm context, before the snippet).
 *
 * A lifted number is an object, and JavaScript treats objects differently from numbers in a few places:
 * an object is always truthy, compares by identity, and is not a number to `Array(n)`, `Map` keys or
 * `Object.is`. The operators are rewritten (`a || b`, `!a`, `a === b`, conditions); what the rewriter
 * cannot see, because a built-in does it, is prepared here, once:
 * - truthiness: `Boolean(x)`, and the callbacks whose result `filter`, `some`, `every`, `find`,
 *   `findIndex`, `findLast` and `findLastIndex` read as a boolean;
 * - identity: `indexOf`, `lastIndexOf` and `includes` of arrays, `Map` and `Set` keys (which hold the
 *   lifted number, see sandboxCollections.ts), `Object.is`, `Number.isFinite` and its siblings;
 * - the primitive value: `Number(x)` (a cut, see the op table), `Number.prototype`'s methods called on a
 *   lifted number, and weak collections, which refuse a number as a key as they would refuse `2`.
 */

import { prepareCollections } from './sandboxCollections.ts';

interface Lifting {
  /** The node id of a lifted number, -1 for anything else. */
  readonly idOf: (value: unknown) => number;
  /** A lifted number's value, anything else as it is. */
  readonly plain: (value: unknown) => unknown;
  /** JavaScript's truthiness of the number a value stands for. */
  readonly truthy: (value: unknown) => boolean;
  /** `Number(x)` of a lifted number: a node that stops the gradient. */
  readonly toNumber: (value: unknown) => unknown;
  /** A lifted `-0` as a lifted `+0`, for a collection's key. */
  readonly positiveZero: (value: unknown) => unknown;
  /** The lifted numbers' prototype, which gets `Number`'s `constructor` and tag. */
  readonly prototype: object;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** Replaces `target[name]` with `wrap(original)`, keeping the property's attributes. */
function replace(target: object, name: PropertyKey, wrap: (original: Method) => Method): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, name);
  if (!descriptor || typeof descriptor.value !== 'function') return;
  Object.defineProperty(target, name, { ...descriptor, value: wrap(descriptor.value as Method) });
}

export function prepareRealm({ idOf, plain, truthy, toNumber, positiveZero, prototype }: Lifting): void {
  const global = globalThis as unknown as Record<string, unknown>;

  // Truthiness. `Boolean` is replaced, not only its calls, so that `xs.filter(Boolean)` works too.
  const NativeBoolean = Boolean;
  const SandboxBoolean = function Boolean(this: unknown, value?: unknown) {
    return new.target ? new NativeBoolean(truthy(value)) : truthy(value);
  } as unknown as BooleanConstructor;
  Object.defineProperty(SandboxBoolean, 'prototype', { value: NativeBoolean.prototype });
  Object.defineProperty(NativeBoolean.prototype, 'constructor', { value: SandboxBoolean, writable: true, configurable: true, enumerable: false });
  global.Boolean = SandboxBoolean;
  for (const name of ['filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']) {
    replace(Array.prototype, name, (original) => function (this: unknown, callback: unknown, thisArg?: unknown) {
      if (typeof callback !== 'function') return original.call(this, callback, thisArg);
      const test = callback as Method;
      return original.call(this, (value: unknown, index: number, array: unknown) => truthy(test.call(thisArg, value, index, array)), thisArg);
    });
  }

  // Identity: a lifted number equals the numbers its value equals.
  const map = Array.prototype.map as (this: unknown, callback: (value: unknown) => unknown) => unknown[];
  const isNumeric = (value: unknown) => typeof value === 'number' || idOf(value) >= 0;
  for (const name of ['indexOf', 'lastIndexOf', 'includes']) {
    replace(Array.prototype, name, (original) => function (this: unknown, target: unknown, ...rest: unknown[]) {
      return isNumeric(target) ? original.call(map.call(this, plain), plain(target), ...rest) : original.call(this, target, ...rest);
    });
  }
  prepareCollections({ idOf, plain, positiveZero });
  for (const [prototype_, names] of [[WeakMap.prototype, ['get', 'set', 'has', 'delete']], [WeakSet.prototype, ['add', 'has', 'delete']]] as const) {
    for (const name of names) {
      replace(prototype_, name, (original) => function (this: unknown, key: unknown, ...rest: unknown[]) {
        return original.call(this, plain(key), ...rest);
      });
    }
  }
  replace(Object, 'is', (original) => (left, right) => original(plain(left), plain(right)));

  // The primitive value.
  const NativeNumber = Number;
  const SandboxNumber = function Number(this: unknown, ...args: unknown[]) {
    if (new.target) return new NativeNumber(args.length === 0 ? 0 : plain(args[0]));
    if (args.length > 0 && idOf(args[0]) >= 0) return toNumber(args[0]);
    return args.length === 0 ? 0 : NativeNumber(args[0]);
  } as unknown as NumberConstructor;
  for (const key of Reflect.ownKeys(NativeNumber)) {
    if (key !== 'length' && key !== 'name') Object.defineProperty(SandboxNumber, key, Object.getOwnPropertyDescriptor(NativeNumber, key)!);
  }
  for (const name of ['isFinite', 'isNaN', 'isInteger', 'isSafeInteger']) {
    replace(SandboxNumber, name, (original) => (value) => original(plain(value)));
  }
  Object.defineProperty(NativeNumber.prototype, 'constructor', { value: SandboxNumber, writable: true, configurable: true, enumerable: false });
  global.Number = SandboxNumber;
  for (const name of ['toString', 'toFixed', 'toExponential', 'toPrecision', 'toLocaleString']) {
    replace(NativeNumber.prototype, name, (original) => function (this: unknown, ...args: unknown[]) {
      return original.apply(plain(this), args);
    });
  }
  // `valueOf` of a number is that number: a lifted one stays lifted, as its own `valueOf` keeps it.
  replace(NativeNumber.prototype, 'valueOf', (original) => function (this: unknown) {
    return idOf(this) >= 0 ? this : original.call(this);
  });
  Object.defineProperty(prototype, 'constructor', { value: SandboxNumber, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(prototype, Symbol.toStringTag, { value: 'Number', configurable: true });
}
