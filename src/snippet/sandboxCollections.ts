/**
 * `Map` and `Set` keyed by a number's value, holding the lifted number itself. Part of the sandbox runtime
 * (runs inside the vm context, before the snippet; see sandboxRealm.ts).
 *
 * A lifted number is an object, so a native collection would key it by identity: `new Set([a, +a]).size`
 * would be 2 and `m.get(2)` would miss `m.set(a, …)`. Handing the collection the plain number instead keys it
 * right but cuts the gradient of every element read back (`[...set]`, `set.forEach`, `map.keys()`). So a
 * collection holds, for a numeric key, the first lifted number stored with that value (JavaScript keeps the
 * first of equal keys), and a side table per collection maps the value to that object: every lookup of a
 * number, lifted or not, goes through the table first. Iteration, `size` and `forEach` stay native and yield
 * what was stored. `-0` becomes `+0` as JavaScript makes it (a lifted `-0` becomes `x + 0`, with gradient 1).
 * The Set methods of ES2025 (`union`, …) and `Map.groupBy` compare their elements internally, by identity, so
 * they are written here after the specification, in terms of the methods above.
 */
import { apply, originalMethod } from './sandboxIntrinsics.ts';

interface Keys {
  readonly idOf: (value: unknown) => number;
  readonly plain: (value: unknown) => unknown;
  /** A lifted `-0` as a lifted `+0` (`x + 0`). */
  readonly positiveZero: (value: unknown) => unknown;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Native = (...args: never[]) => unknown;

export function prepareCollections({ idOf, plain, positiveZero }: Keys): void {
  const map = (name: string) => originalMethod(Map.prototype, name);
  const set = (name: string) => originalMethod(Set.prototype, name);
  const [mapGet, mapSet, mapHas, mapDelete, mapClear] = ['get', 'set', 'has', 'delete', 'clear'].map(map);
  const [setAdd, setHas, setDelete, setClear, setValues] = ['add', 'has', 'delete', 'clear', 'values'].map(set);
  const weakGet = originalMethod(WeakMap.prototype, 'get');
  const weakSet = originalMethod(WeakMap.prototype, 'set');
  const NativeMap = Map;
  const NativeSet = Set;
  /** Collection → (number → the lifted number it holds for it). Only collections that hold a lifted key have one. */
  const tables = new WeakMap<object, Map<unknown, unknown>>();
  const call = (method: Native, self: unknown, ...args: unknown[]) => apply(method, self, args);

  const numeric = (key: unknown) => typeof key === 'number' || idOf(key) >= 0;
  /** The key the collection holds for a number: the lifted number stored with its value, else the plain value. */
  function held(collection: unknown, key: unknown): unknown {
    const value = plain(key);
    const table = call(weakGet, tables, collection) as Map<unknown, unknown> | undefined;
    const found = table === undefined ? undefined : call(mapGet, table, value);
    return found === undefined ? value : found;
  }
  /** The key to store for a number not yet in the collection, noted in its table when lifted. */
  function keep(collection: object, key: unknown): unknown {
    if (idOf(key) < 0) return key;
    const value = plain(key) as number;
    let table = call(weakGet, tables, collection) as Map<unknown, unknown> | undefined;
    if (table === undefined) call(weakSet, tables, collection, table = new NativeMap());
    const stored = value === 0 && 1 / value < 0 ? positiveZero(key) : key;
    call(mapSet, table, value, stored);
    return stored;
  }
  function forget(collection: unknown, key: unknown): void {
    const table = call(weakGet, tables, collection) as Map<unknown, unknown> | undefined;
    if (table !== undefined) call(mapDelete, table, plain(key));
  }

  const define = (target: object, name: string, method: Method) => {
    const descriptor = Object.getOwnPropertyDescriptor(target, name);
    if (descriptor && typeof descriptor.value === 'function') Object.defineProperty(target, name, { ...descriptor, value: method });
  };
  const keyed = (native: Native, name: string, body: (self: object, key: unknown, rest: unknown[]) => unknown): Method => ({
    // A method, so that it has no prototype and the name JavaScript gives it.
    [name](this: unknown, key: unknown, ...rest: unknown[]) {
      return numeric(key) ? body(this as object, key, rest) : apply(native, this, [key, ...rest]);
    },
  })[name];

  define(Set.prototype, 'add', keyed(setAdd, 'add', (self, key) => (call(setHas, self, held(self, key)) ? self : call(setAdd, self, keep(self, key)))));
  define(Set.prototype, 'has', keyed(setHas, 'has', (self, key) => call(setHas, self, held(self, key))));
  define(Set.prototype, 'delete', keyed(setDelete, 'delete', (self, key) => {
    const stored = held(self, key);
    forget(self, key);
    return call(setDelete, self, stored);
  }));
  define(Map.prototype, 'get', keyed(mapGet, 'get', (self, key) => call(mapGet, self, held(self, key))));
  define(Map.prototype, 'has', keyed(mapHas, 'has', (self, key) => call(mapHas, self, held(self, key))));
  define(Map.prototype, 'set', keyed(mapSet, 'set', (self, key, [value]) => {
    const stored = held(self, key);
    // An existing key keeps the object it was stored with, as JavaScript keeps the first key.
    return call(mapSet, self, call(mapHas, self, stored) ? stored : keep(self, key), value);
  }));
  define(Map.prototype, 'delete', keyed(mapDelete, 'delete', (self, key) => {
    const stored = held(self, key);
    forget(self, key);
    return call(mapDelete, self, stored);
  }));
  for (const [prototype, clear] of [[Set.prototype, setClear], [Map.prototype, mapClear]] as const) {
    define(prototype, 'clear', function clear_(this: unknown) {
      const result = call(clear, this);
      const table = call(weakGet, tables, this) as Map<unknown, unknown> | undefined;
      if (table !== undefined) call(mapClear, table);
      return result;
    });
  }
  prepareSetMethods(NativeSet, setHas, setValues);
  if (typeof (NativeMap as unknown as Record<string, unknown>).groupBy === 'function') {
    define(NativeMap, 'groupBy', function groupBy(items: unknown, callback: unknown) {
      if (typeof callback !== 'function') throw new TypeError('Map.groupBy: the callback is not a function');
      const groups = new NativeMap<unknown, unknown[]>();
      let index = 0;
      for (const item of items as Iterable<unknown>) {
        const key = apply(callback as Native, undefined, [item, index++]);
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
      }
      return groups;
    });
  }
}

/** ES2025's Set methods, where the realm has them, after the specification's steps (GetSetRecord, …). */
function prepareSetMethods(NativeSet: SetConstructor, setHas: Native, setValues: Native): void {
  const trunc = Math.trunc;
  const prototype = Set.prototype as unknown as Record<string, unknown>;
  if (typeof prototype.union !== 'function') return;
  interface Record_ { readonly set: object; readonly size: number; readonly has: Native; readonly keys: Native }
  function record(other: unknown): Record_ {
    if ((typeof other !== 'object' && typeof other !== 'function') || other === null) throw new TypeError('the argument is not set-like');
    const object = other as { size: unknown; has: unknown; keys: unknown };
    const size = +(object.size as number);
    if (size !== size) throw new TypeError("the argument's size is not a number");
    if (trunc(size) < 0) throw new RangeError("the argument's size is negative");
    const { has, keys } = object;
    if (typeof has !== 'function') throw new TypeError("the argument's has is not a function");
    if (typeof keys !== 'function') throw new TypeError("the argument's keys is not a function");
    return { set: other, size: trunc(size), has: has as Native, keys: keys as Native };
  }
  const otherHas = (other: Record_, key: unknown) => Boolean(apply(other.has, other.set, [key]));
  function* otherKeys(other: Record_): Generator<unknown> {
    const iterator = apply(other.keys, other.set, []) as { next: unknown };
    if ((typeof iterator !== 'object' && typeof iterator !== 'function') || iterator === null) throw new TypeError('keys() did not return an object');
    const { next } = iterator;
    for (;;) {
      const step = apply(next as Native, iterator, []) as IteratorResult<unknown>;
      if ((typeof step !== 'object' && typeof step !== 'function') || step === null) throw new TypeError('an iterator result is not an object');
      if (step.done) return;
      yield step.value;
    }
  }
  /** `this`, checked to be a Set (the native `has` throws otherwise), and its size. */
  const own = (self: unknown) => {
    apply(setHas, self, [undefined]);
    return self as Set<unknown>;
  };
  const elements = (self: Set<unknown>) => apply(setValues, self, []) as Iterable<unknown>;
  const methods: Record<string, (this: unknown, other: unknown) => unknown> = {
    union(other) {
      const self = own(this);
      const rec = record(other);
      const result = new NativeSet(elements(self));
      for (const key of otherKeys(rec)) result.add(key);
      return result;
    },
    intersection(other) {
      const self = own(this);
      const rec = record(other);
      const result = new NativeSet();
      if (self.size <= rec.size) {
        for (const element of elements(self)) if (otherHas(rec, element)) result.add(element);
      } else {
        for (const key of otherKeys(rec)) if (self.has(key)) result.add(key);
      }
      return result;
    },
    difference(other) {
      const self = own(this);
      const rec = record(other);
      const result = new NativeSet(elements(self));
      if (self.size <= rec.size) {
        for (const element of elements(self)) if (otherHas(rec, element)) result.delete(element);
      } else {
        for (const key of otherKeys(rec)) result.delete(key);
      }
      return result;
    },
    symmetricDifference(other) {
      const self = own(this);
      const rec = record(other);
      const result = new NativeSet(elements(self));
      for (const key of otherKeys(rec)) {
        if (self.has(key)) result.delete(key);
        else result.add(key);
      }
      return result;
    },
    isSubsetOf(other) {
      const self = own(this);
      const rec = record(other);
      if (self.size > rec.size) return false;
      for (const element of elements(self)) if (!otherHas(rec, element)) return false;
      return true;
    },
    isSupersetOf(other) {
      const self = own(this);
      const rec = record(other);
      if (self.size < rec.size) return false;
      for (const key of otherKeys(rec)) if (!self.has(key)) return false;
      return true;
    },
    isDisjointFrom(other) {
      const self = own(this);
      const rec = record(other);
      if (self.size <= rec.size) {
        for (const element of elements(self)) if (otherHas(rec, element)) return false;
      } else {
        for (const key of otherKeys(rec)) if (self.has(key)) return false;
      }
      return true;
    },
  };
  for (const name of Object.keys(methods)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (descriptor) Object.defineProperty(prototype, name, { ...descriptor, value: methods[name] });
  }
}
