/**
 * Attempts to get out of the sandbox, as snippets. Each tries to reach a function of the host's realm
 * through what the runtime or Node hands to the snippet's code (arguments of hooks, `this`, thrown values,
 * call sites) and, with it, to write a marker file with Node's `fs` and with a child process. Shared by
 * escape.test.ts (every attempt) and the mutation fuzzer (escapeFuzz.ts), which recombines their parts.
 */

/** Snippet code that defines `pwn(x)`: from x, the host's `Function`, `process`, and then the marker. */
export function pwnPrelude(marker: string): string {
  return `const MARK = ${JSON.stringify(marker)};
function pwn(x: any): void {
  const candidates: any[] = [];
  try { candidates.push(x); } catch {}
  try { candidates.push(x.constructor); } catch {}
  try { candidates.push(Object.getPrototypeOf(x).constructor); } catch {}
  for (let k = 0; k < candidates.length; k++) {
    try {
      const F = typeof candidates[k] === 'function' ? candidates[k].constructor : candidates[k].constructor.constructor;
      const p = F('return process')();
      const fs = p.getBuiltinModule ? p.getBuiltinModule('fs') : p.mainModule.require('fs');
      fs.writeFileSync(MARK, 'fs');
      p.getBuiltinModule('child_process').execFileSync('/bin/sh', ['-c', 'echo process > "' + MARK + '.process"']);
    } catch {}
  }
}
/** A hook: tries every argument and this, then throws a hostile value. */
function hook(this: any, ...args: any[]): any {
  pwn(this);
  for (let k = 0; k < args.length; k++) pwn(args[k]);
  throw hostile();
}
/** Replaces each method with one that tries this and the arguments, then does what the method did. */
function spy(target: any, names: any[]): void {
  for (let k = 0; k < names.length; k++) {
    const original = target[names[k]];
    if (typeof original !== 'function') continue;
    target[names[k]] = function (this: any, ...args: any[]) {
      pwn(this);
      for (let j = 0; j < args.length; j++) pwn(args[j]);
      return Reflect.apply(original, this, args);
    };
  }
}
/** A thrown value that Node's util.inspect would call with its own inspect function. */
function hostile(): any {
  return {
    [Symbol.for('nodejs.util.inspect.custom')]: (depth: any, options: any, inspect: any) => { pwn(inspect); pwn(options); return 'x'; },
    toString() { pwn(this); return 'hostile'; },
    valueOf() { pwn(this); return 1; },
    [Symbol.toPrimitive](hint: any) { pwn(hint); return 1; },
  };
}
/** A Proxy whose every trap tries its arguments, then throws or answers. */
function hostileProxy(throws: boolean): any {
  const trap = (...args: any[]) => { for (let k = 0; k < args.length; k++) pwn(args[k]); if (throws) throw hostile(); return undefined; };
  return new Proxy(function () {}, {
    get: trap, set: trap, has: trap, deleteProperty: trap, ownKeys: (...args: any[]) => { trap(...args); return []; },
    getOwnPropertyDescriptor: trap, defineProperty: trap, getPrototypeOf: (...args: any[]) => { trap(...args); return null; },
    setPrototypeOf: trap, isExtensible: trap, preventExtensions: trap, apply: trap, construct: (...args: any[]) => { trap(...args); return {}; },
  });
}
const a = 2;
`;
}

/** Name and snippet body (after the prelude). Each ends with an output, unless it throws first. */
export const ESCAPE_ATTEMPTS: ReadonlyArray<readonly [name: string, body: string]> = [
  // The issue's own example, and its variants.
  ['JSON.stringify replaced, throwing an object with inspect.custom (the reported escape)',
    "JSON.stringify = () => { throw { [Symbol.for('nodejs.util.inspect.custom')]: (d: any, o: any, inspect: any) => inspect.constructor('return process')().getBuiltinModule('child_process').execSync('touch \"' + MARK + '\"') }; };\na * 3"],
  ['JSON.stringify replaced with a hook', 'JSON.stringify = hook as any;\na * 3'],
  ['JSON.parse replaced with a hook', 'JSON.parse = hook as any;\na * 3'],
  // Built-ins the runtime might use after the snippet ran.
  // Every method of the built-ins spied on: each call, during the snippet or after it, hands the spy its
  // this and arguments, and the method still works, so that every later use is reached.
  ['every method of Array.prototype, Object, JSON, Map, Set, WeakMap, Reflect, String, Number, Function spied on',
    "for (const target of [Array.prototype, Object, JSON, Map.prototype, Set.prototype, WeakMap.prototype, Reflect, String.prototype, Number.prototype, Function.prototype, Math, Promise.prototype, Promise, Symbol.prototype, RegExp.prototype, Error, Error.prototype]) spy(target, Reflect.ownKeys(target));\nconst xs = [a, a * 2].map((v) => v * 3);\nconsole.log(xs, new Map([[1, a]]));\nxs[0] + xs[1]"],
  ['every method of the typed arrays\' prototype spied on, with a graph that grows the tape',
    "spy(Object.getPrototypeOf(Float64Array.prototype), Reflect.ownKeys(Object.getPrototypeOf(Float64Array.prototype)));\nlet x = a;\nfor (let i = 0; i < 3000; i++) x = x * 1.001;\nx"],
  // Methods replaced by hooks that throw, one at a time where the runtime is likeliest to use them.
  ...['map', 'push', 'join', 'forEach', 'filter', 'slice', 'includes', 'indexOf'].map((method): [string, string] =>
    [`Array.prototype.${method} replaced`, `(Array.prototype as any).${method} = hook;\na * 3`]),
  ...['keys', 'entries', 'defineProperty', 'getPrototypeOf', 'getOwnPropertyDescriptor', 'freeze'].map((method): [string, string] =>
    [`Object.${method} replaced`, `(Object as any).${method} = hook;\na * 3`]),
  ['Array.prototype[Symbol.iterator] replaced', '(Array.prototype as any)[Symbol.iterator] = function* (this: any) { pwn(this); throw hostile(); };\na * 3'],
  ['Map.prototype methods replaced', "for (const m of ['get', 'set', 'has', 'forEach', 'delete', 'keys', 'entries']) (Map.prototype as any)[m] = hook;\n(Map.prototype as any)[Symbol.iterator] = hook;\na * 3"],
  ['WeakMap.prototype methods replaced', "for (const m of ['get', 'set', 'has']) (WeakMap.prototype as any)[m] = hook;\nthrow new Error('after');\na"],
  ['global Map replaced', '(globalThis as any).Map = class { constructor(...args: any[]) { pwn(args); throw hostile(); } };\na * 3'],
  ['global Error replaced', '(globalThis as any).Error = hook;\na * 3'],
  ['Error.prepareStackTrace replaced to read call sites', "(Error as any).prepareStackTrace = (e: any, sites: any[]) => { for (const s of sites) { pwn(s.getThis()); pwn(s.getFunction()); pwn(s); } return 'x'; };\nnew Error('x').stack;\na * 3"],
  ['Error.prototype.toString and name/message getters', "Error.prototype.toString = hook;\nObject.defineProperty(Error.prototype, 'message', { get: hook });\nObject.defineProperty(Error.prototype, 'name', { get: hook });\nnull as any as number * a; (undefined as any).x;\na"],
  ['Error.captureStackTrace replaced', '(Error as any).captureStackTrace = hook;\n(undefined as any).x;\na'],
  ['call-site prototype replaced', "let proto: any;\ntry { (Error as any).prepareStackTrace = 1; } catch {}\nconst e = new Error('x');\n(e as any).stack;\nthrow e;\na"],
  ['Function.prototype.call, apply, bind, toString replaced', "for (const m of ['call', 'apply', 'bind', 'toString']) (Function.prototype as any)[m] = hook;\na * 3"],
  ['Reflect replaced', "for (const m of ['apply', 'construct', 'get', 'ownKeys', 'getPrototypeOf']) (Reflect as any)[m] = hook;\na * 3"],
  ['String.prototype methods replaced', "for (const m of ['slice', 'replace', 'split', 'match', 'trim', 'toString', 'valueOf', 'charCodeAt', 'indexOf']) (String.prototype as any)[m] = hook;\nthrow new Error('after');\na"],
  ['RegExp.prototype replaced', "(RegExp.prototype as any).exec = hook;\n(RegExp.prototype as any).test = hook;\n(RegExp.prototype as any)[Symbol.replace] = hook;\n(RegExp.prototype as any)[Symbol.match] = hook;\nthrow new EvalError('mine');\na"],
  ['Number.prototype and Symbol.prototype replaced', '(Number.prototype as any).toString = hook;\n(Symbol.prototype as any).toString = hook;\nconsole.log(1.5, Symbol("s"));\nthrow Symbol("thrown");\na'],
  ['Promise.prototype.then replaced', '(Promise.prototype as any).then = hook;\nPromise.resolve(1);\na * 3'],
  ['Object.prototype.toJSON', '(Object.prototype as any).toJSON = hook;\nconsole.log({ x: 1 });\na * 3'],
  ['Array.prototype.toJSON', '(Array.prototype as any).toJSON = hook;\nconsole.log([1, 2]);\na * 3'],
  ['index setters and getters on Array.prototype', "for (let k = 0; k < 8; k++) Object.defineProperty(Array.prototype, String(k), { get: hook, set: hook, configurable: true });\nconsole.log('x');\na * 3"],
  ['getters on Object.prototype for what the host might read', "for (const key of ['kind', 'message', 'failure', 'logs', 'stack', 'name', 'code', 'data', 'grad', 'length', 'site', 'output', 'then', 'constructor', 'nodeCount']) Object.defineProperty(Object.prototype, key, { get: hook, set: hook, configurable: true });\na * 3"],
  ['typed-array prototype replaced', "const ta = Object.getPrototypeOf(Float64Array.prototype);\nfor (const m of ['fill', 'set', 'subarray', 'slice']) (ta as any)[m] = hook;\nfor (const g of ['buffer', 'length', 'byteOffset', 'byteLength']) Object.defineProperty(ta, g, { get: hook, configurable: true });\nObject.defineProperty(ta, Symbol.toStringTag, { get: hook, configurable: true });\nObject.defineProperty(ArrayBuffer.prototype, 'byteLength', { get: hook, configurable: true });\nlet x = a;\nfor (let i = 0; i < 3000; i++) x = x * 1.001;\nx"],
  // Found by the fuzzer: Node assigns the time-limit error's `code` in the snippet's realm, after the clock stopped.
  ['a code setter on Object.prototype that throws, then the time limit', "Object.defineProperty(Object.prototype, 'code', { set(v: any) { pwn(v); throw 1; }, configurable: true });\nfor (;;) {}\na"],
  ['a code setter on Error.prototype that never returns, then the time limit', "Object.defineProperty(Error.prototype, 'code', { set(v: any) { for (;;) {} }, configurable: true });\nfor (;;) {}\na"],
  // Found by the fuzzer: a getter on Object.prototype for a field the runtime reads after the snippet ran.
  ['a position getter on Object.prototype that never returns the second time', "let n = 0;\nObject.defineProperty(Object.prototype, 'position', { get() { if (n++ > 0) for (;;) {} return undefined; }, configurable: true });\nthrow 1;\na"],
  ['a position getter on Object.prototype that gives garbage', "Object.defineProperty(Object.prototype, 'position', { get() { return { line: 1e9, character: 'x' }; }, configurable: true });\nthrow 1;\na"],
  ['Symbol.hasInstance on a value\'s class', "Object.defineProperty((a as any).constructor, Symbol.hasInstance, { value: (v: any) => { pwn(v); return true; } });\nObject.defineProperty(Object, Symbol.hasInstance, { value: hook });\na * 3"],
  // Thrown values.
  ['a thrown object with inspect.custom, toString, valueOf and toPrimitive', 'throw hostile();\na'],
  ['a thrown Proxy whose traps throw', 'throw hostileProxy(true);\na'],
  ['a thrown Proxy whose traps answer', 'throw hostileProxy(false);\na'],
  ['a thrown Proxy whose getPrototypeOf throws an inspect.custom object', "throw new Proxy({}, { getPrototypeOf() { throw hostile(); } });\na"],
  ['an error with stack, message and name getters that throw', "const e = new Error('x');\nfor (const key of ['stack', 'message', 'name']) Object.defineProperty(e, key, { get: hook });\nthrow e;\na"],
  ['an error whose stack getter never returns', "const e = new Error('x');\nObject.defineProperty(e, 'stack', { get() { for (;;) {} } });\nthrow e;\na"],
  ['an error whose message getter never returns', "const e = new Error('x');\nObject.defineProperty(e, 'message', { get() { for (;;) {} } });\nthrow e;\na"],
  ['a thrown function', 'throw hook;\na'],
  ['a thrown symbol', "throw Symbol('s');\na"],
  ['a thrown error from inside a getter the runtime reads', "const o = { get x() { throw hostile(); } };\nconst y = a * (o.x as number);\ny"],
  ['an output that is a hostile object', 'hostileProxy(true)'],
  ['an output whose valueOf is a hook', '({ valueOf: hook }) as any as number'],
  // Code that runs after the snippet: promises and async functions.
  ['an unhandled rejection with a hostile value', 'Promise.reject(hostile());\na * 3'],
  ['an unhandled rejection with a hostile Proxy', 'Promise.reject(hostileProxy(true));\na * 3'],
  ['an async function that throws a hostile value', '(async () => { throw hostile(); })();\na * 3'],
  ['an async function that replaces JSON.stringify later', '(async () => { await null; JSON.stringify = hook as any; })();\na * 3'],
  ['a promise job that never ends', 'Promise.resolve().then(() => { for (;;) {} });\na * 3'],
  ['a promise job that calls backward', 'const b = a * 3;\nPromise.resolve().then(() => { (b as any).backward(); throw hostile(); });\nb'],
  // console.log of hostile objects.
  ['console.log of hostile objects', "console.log(hostile(), hostileProxy(true), hostileProxy(false), { toJSON: hook }, Symbol('s'), 10n);\na * 3"],
  ['console.log of a getter that never returns', 'console.log({ get x() { for (;;) {} } });\na * 3'],
  ['console.log of a cycle', 'const o: any = {};\no.o = o;\nconsole.log(o);\na * 3'],
  // Constructor chains from every value the runtime hands to the snippet.
  ['constructor chains of values, arrays, functions, iterators and the runtime\'s objects',
    "const b = a * 3;\nconst items: any[] = [a, b, [a, b], Math, Math.sin, console, console.log, globalThis, this, [a][Symbol.iterator](), new Map([[1, a]]).entries(), Object.getPrototypeOf(a), (a as any).data, (a as any).backward];\nfor (let k = 0; k < items.length; k++) { pwn(items[k]); try { pwn(items[k].constructor); pwn(items[k].constructor.constructor); } catch {} }\nb"],
  ['constructor chains of errors the runtime throws', "const errors: any[] = [];\ntry { new (a as any).constructor(1, 2); } catch (e) { errors.push(e); }\ntry { (Math as any).nope(); } catch (e) { errors.push(e); }\ntry { let x = a; for (;;) x = x * 1.01; } catch (e) { errors.push(e); }\nfor (let k = 0; k < errors.length; k++) { pwn(errors[k]); pwn(errors[k].constructor); }\na * 3"],
  ['a value\'s hidden tape', "const v: any = a * 3;\nconst found = [v.tape, v.id, v._tape, Object.getOwnPropertyNames(v).length, Object.getOwnPropertySymbols(v).length];\nif (found[0] !== undefined || found[1] !== undefined || found[3] !== 0) throw new Error('the tape is reachable');\nv"],
  // micrograd's nn (sandboxNn.ts): its classes, modules, optimizers and errors, and the built-ins it could call.
  ['constructor chains of nn\'s classes, modules, optimizers and errors',
    "const mlp: any = new (MLP as any)(2, [2, 1]);\nconst opt: any = new (Adam as any)(mlp.parameters());\nconst errors: any[] = [];\ntry { mlp([1]); } catch (e) { errors.push(e); }\ntry { new (MLP as any)(0); } catch (e) { errors.push(e); }\nconst items: any[] = [MLP, Layer, Neuron, SGD, Adam, mseLoss, mlp, mlp.layers, mlp.layers[0].neurons[0], mlp.parameters, mlp.zeroGrad, opt, opt.step, Object.getPrototypeOf(mlp), ...errors];\nfor (let k = 0; k < items.length; k++) { pwn(items[k]); try { pwn(items[k].constructor); pwn(items[k].constructor.constructor); } catch {} }\nmlp([a, 1])"],
  ['nn with the built-ins it could call spied on', "spy(Reflect, ['apply', 'construct']);\nspy(Object, ['setPrototypeOf', 'create', 'defineProperty']);\nspy(WeakMap.prototype, ['get', 'set', 'has']);\nspy(Array.prototype, ['map', 'push', 'slice', 'forEach', 'flatMap']);\nspy(Int32Array.prototype, ['subarray', 'slice', 'set']);\nconst mlp: any = new (MLP as any)(2, [2, 1]);\nconst loss: any = (mseLoss as any)([mlp([a, 1])], [1]);\nloss.backward();\nnew (SGD as any)(mlp.parameters(), { lr: 0.1 }).step();\nloss"],
  ['arguments and this at the top level', "let args: any;\ntry { args = (0, eval)('arguments'); } catch {}\npwn(this);\npwn(globalThis);\na * 3"],
];

/** A snippet for one attempt. */
export function attemptSnippet(marker: string, body: string): string {
  return `${pwnPrelude(marker)}${body}\n`;
}
