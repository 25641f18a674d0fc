/**
 * A mutation fuzzer over the escape attempts (escapeAttempts.ts): from a seed, a snippet that recombines
 * their parts — hooks installed on built-ins the runtime or Node might touch after the snippet ran, a
 * trigger that makes them run (a hostile throw, a rejection, a log, an output, many nodes), each part
 * wrapped in a function, a loop, a class, a try, a getter..., and probes of the constructor chains of the
 * values the runtime hands out. Every variant is syntactically valid TypeScript that declares what it
 * uses, so that it runs rather than stopping at the rewrite. Used by escapeFuzz.test.ts (a few seeds) and
 * scripts/fuzz-sandbox.ts (thousands).
 */
import { ESCAPE_ATTEMPTS, pwnPrelude } from './escapeAttempts.ts';
import { Random } from '../../src/engine/random.ts';

/** Helpers the variants use besides the prelude's: more kinds of hook, and a value to call backward on. */
const FUZZ_PRELUDE = `const b0 = a * 3;
/** A hook that tries this and its arguments, then returns a hostile value instead of throwing it. */
function fzGive(this: any, ...args: any[]): any {
  pwn(this);
  for (let k = 0; k < args.length; k++) pwn(args[k]);
  return hostile();
}
/** A hook that never returns. */
function fzSpin(): any {
  for (;;) {}
}
/** A hook that calls backward from inside whatever called it. */
function fzBack(this: any, ...args: any[]): any {
  pwn(this);
  for (let k = 0; k < args.length; k++) pwn(args[k]);
  try { (b0 as any).backward(); } catch (e) { pwn(e); }
  throw hostile();
}
/** Error.prepareStackTrace's shape: reads the call sites' this and function. */
function fzSites(error: any, sites: any): any {
  pwn(error);
  pwn(sites);
  try {
    for (let k = 0; k < sites.length; k++) {
      pwn(sites[k]);
      try { pwn(sites[k].getThis()); } catch {}
      try { pwn(sites[k].getFunction()); } catch {}
    }
  } catch {}
  return 'x';
}
`;

/** Snippet code for the hook functions, with a short name each. */
const HOOKS: ReadonlyArray<readonly [name: string, code: string]> = [
  ['hook', 'hook'],
  ['hook', 'hook'],
  ['give', 'fzGive'],
  ['spin', 'fzSpin'],
  ['back', 'fzBack'],
  ['sites', 'fzSites'],
  ['42', '(() => 42)'],
  ['NaN', '(() => NaN)'],
  ['str', "(() => 'x')"],
  ['{}', '(() => ({}))'],
  ['null', '(() => null)'],
  ['sym', "(() => Symbol('w'))"],
  ['[hostile]', '(() => [hostile()])'],
  ['proxy', '(() => hostileProxy(false))'],
  ['len-1', '(() => ({ length: -1 }))'],
  ['this', 'function (this: any): any { pwn(this); return this; }'],
];

/** Values to throw, reject with, log, or compute with. */
const HOSTILE_VALUES: ReadonlyArray<readonly [name: string, code: string]> = [
  ['hostile', 'hostile()'],
  ['hostile', 'hostile()'],
  ['proxy!', 'hostileProxy(true)'],
  ['proxy', 'hostileProxy(false)'],
  ['hook', 'hook'],
  ['fn', '(function (this: any) { pwn(this); return 1; })'],
  ['sym', "Symbol('s')"],
  ['proto-throws', 'new Proxy({}, { getPrototypeOf() { throw hostile(); } })'],
  ['on-proxy', 'Object.create(hostileProxy(false))'],
  ['10n', '10n'],
  ['null', 'null'],
  ['undefined', 'undefined'],
  ['str', "'text'"],
  ['a', 'a'],
  ['a*3', '(a * 3)'],
  ['[hostile]', '[hostile(), hostileProxy(true)]'],
  ['toJSON', '({ toJSON: hook })'],
  ['get-spin', '({ get x() { for (;;) {} } })'],
  ['get-throws', '({ get x(): any { throw hostile(); } })'],
  ['cycle', '(() => { const o: any = {}; o.o = o; return o; })()'],
  ['fake-lifted', 'Object.create(Object.getPrototypeOf(a))'],
];

/** Getters for an error's stack, message or name. */
const ERROR_GETTERS: ReadonlyArray<readonly [name: string, code: string]> = [
  ['hook', 'hook'],
  ['spin', 'fzSpin'],
  ['give', 'fzGive'],
  ['object', '() => hostile()'],
  ['proxy', '() => hostileProxy(false)'],
  ['toString-hook', '() => ({ toString: hook })'],
  ['42', '() => 42'],
  ['sym', "() => Symbol('m')"],
];

type Key = readonly [label: string, code: string];
const str = (name: string): Key => [name, `'${name}'`];
const sym = (name: string): Key => [`@@${name}`, `Symbol.${name}`];

/** Where methods can be replaced: the object's code, a label and its methods. */
const METHOD_TARGETS: ReadonlyArray<readonly [label: string, object: string, keys: readonly Key[]]> = [
  ['JSON', 'JSON', ['stringify', 'parse'].map(str)],
  ['Array.prototype', 'Array.prototype', [...['map', 'push', 'join', 'forEach', 'filter', 'slice', 'concat', 'includes', 'indexOf', 'some', 'every', 'flatMap', 'reduce',
    'fill', 'splice', 'sort', 'pop', 'shift', 'unshift', 'keys', 'values', 'entries', 'find', 'findIndex', 'at', 'toString', 'toJSON'].map(str), sym('iterator')]],
  ['Array', 'Array', ['isArray', 'from', 'of'].map(str)],
  ['Object', 'Object', ['keys', 'entries', 'values', 'assign', 'defineProperty', 'defineProperties', 'getPrototypeOf', 'getOwnPropertyNames', 'getOwnPropertyDescriptor',
    'getOwnPropertyDescriptors', 'freeze', 'create', 'is', 'hasOwn', 'setPrototypeOf', 'fromEntries'].map(str)],
  ['Object.prototype', 'Object.prototype', ['toString', 'valueOf', 'hasOwnProperty', 'toJSON', 'isPrototypeOf', 'toLocaleString'].map(str)],
  ['Map.prototype', 'Map.prototype', [...['get', 'set', 'has', 'forEach', 'delete', 'keys', 'entries', 'values', 'clear'].map(str), sym('iterator')]],
  ['WeakMap.prototype', 'WeakMap.prototype', ['get', 'set', 'has', 'delete'].map(str)],
  ['Set.prototype', 'Set.prototype', [...['add', 'has', 'forEach', 'values', 'delete'].map(str), sym('iterator')]],
  ['WeakSet.prototype', 'WeakSet.prototype', ['add', 'has'].map(str)],
  ['Function.prototype', 'Function.prototype', [...['call', 'apply', 'bind', 'toString'].map(str), sym('hasInstance')]],
  ['Reflect', 'Reflect', ['apply', 'construct', 'get', 'set', 'ownKeys', 'getPrototypeOf', 'defineProperty', 'has', 'getOwnPropertyDescriptor'].map(str)],
  ['String.prototype', 'String.prototype', [...['slice', 'replace', 'split', 'match', 'trim', 'toString', 'valueOf', 'charCodeAt', 'indexOf', 'padStart', 'padEnd', 'repeat',
    'startsWith', 'endsWith', 'toLowerCase', 'concat'].map(str), sym('iterator')]],
  ['String', 'String', ['fromCharCode', 'raw'].map(str)],
  ['RegExp.prototype', 'RegExp.prototype', [...['exec', 'test', 'toString'].map(str), sym('replace'), sym('match'), sym('split')]],
  ['Number.prototype', 'Number.prototype', ['toString', 'toFixed', 'valueOf', 'toPrecision', 'toLocaleString'].map(str)],
  ['Number', 'Number', ['isInteger', 'isFinite', 'isNaN', 'isSafeInteger'].map(str)],
  ['Symbol.prototype', 'Symbol.prototype', [...['toString', 'valueOf'].map(str), sym('toPrimitive')]],
  ['Symbol', 'Symbol', ['for', 'keyFor'].map(str)],
  ['Promise.prototype', 'Promise.prototype', ['then', 'catch', 'finally'].map(str)],
  ['Promise', 'Promise', ['resolve', 'reject', 'all'].map(str)],
  ['TypedArray.prototype', 'Object.getPrototypeOf(Float64Array.prototype)', [...['fill', 'set', 'subarray', 'slice', 'map', 'forEach', 'join'].map(str), sym('iterator')]],
  ['Float64Array.prototype', 'Float64Array.prototype', ['fill', 'set', 'subarray'].map(str)],
  ['Error', 'Error', ['captureStackTrace', 'prepareStackTrace'].map(str)],
  ['Error.prototype', 'Error.prototype', ['toString'].map(str)],
  ['Math', 'Math', ['sin', 'exp', 'tanh', 'max', 'random', 'log'].map(str)],
  ['globalThis.Math', 'globalThis.Math', ['sin', 'exp'].map(str)],
  ['console', 'console', ['log', 'error', 'warn'].map(str)],
  ['globalThis', 'globalThis', ['Map', 'Error', 'Array', 'Object', 'JSON', 'Symbol', 'Promise', 'Float64Array', 'String', 'TypeError', 'RangeError', 'Reflect', 'WeakMap'].map(str)],
  ['value prototype', 'Object.getPrototypeOf(a)', ['valueOf', 'toString', 'toJSON', 'backward', 'toFixed'].map(str)],
];

const HOST_READS = ['kind', 'message', 'stack', 'name', 'code', 'data', 'grad', 'length', 'then', '0', '1', '2', '3', 'constructor', 'failure', 'logs', 'site', 'output',
  'nodeCount', 'toJSON', 'valueOf', 'toString', 'cause', 'line', 'character', 'position'];

/** Where getters and setters can be defined. */
const ACCESSOR_TARGETS: ReadonlyArray<readonly [label: string, object: string, keys: readonly Key[]]> = [
  // Twice each: what the host or Node might read on any object or array.
  ['Object.prototype', 'Object.prototype', HOST_READS.map(str)],
  ['Object.prototype', 'Object.prototype', HOST_READS.map(str)],
  ['Array.prototype', 'Array.prototype', [...HOST_READS.map(str), sym('iterator'), sym('isConcatSpreadable')]],
  ['Array.prototype', 'Array.prototype', [...HOST_READS.map(str), sym('iterator'), sym('isConcatSpreadable')]],
  ['TypedArray.prototype', 'Object.getPrototypeOf(Float64Array.prototype)', [...['buffer', 'length', 'byteOffset', 'byteLength'].map(str), sym('toStringTag')]],
  ['Float64Array.prototype', 'Float64Array.prototype', ['buffer', 'length', '0'].map(str)],
  ['ArrayBuffer.prototype', 'ArrayBuffer.prototype', ['byteLength', 'slice'].map(str)],
  ['Error.prototype', 'Error.prototype', ['message', 'name', 'stack', 'cause'].map(str)],
  ['Error', 'Error', ['prepareStackTrace', 'stackTraceLimit'].map(str)],
  ['Function.prototype', 'Function.prototype', ['name', 'length', 'caller', 'arguments'].map(str)],
  ['Symbol.prototype', 'Symbol.prototype', ['description'].map(str)],
  ['RegExp.prototype', 'RegExp.prototype', ['flags', 'source', 'global', 'lastIndex'].map(str)],
  ['Map.prototype', 'Map.prototype', ['size'].map(str)],
  ['Promise.prototype', 'Promise.prototype', ['then', 'constructor'].map(str)],
  ['Promise', 'Promise', [sym('species')]],
  ['value prototype', 'Object.getPrototypeOf(a)', ['data', 'grad', 'constructor', 'then'].map(str)],
  ['globalThis', 'globalThis', ['JSON', 'Math', 'console', 'Error', 'Symbol'].map(str)],
];

/** Constructors whose Symbol.hasInstance can be defined: some reached from the runtime's values. */
const INSTANCE_TARGETS: ReadonlyArray<readonly [label: string, object: string]> = [
  ['a.constructor', '(a as any).constructor'],
  ['(a*3).constructor', '((a * 3) as any).constructor'],
  ['proto(a).constructor', 'Object.getPrototypeOf(a).constructor'],
  ['Object', 'Object'],
  ['Array', 'Array'],
  ['Error', 'Error'],
  ['TypeError', 'TypeError'],
  ['RangeError', 'RangeError'],
  ['Function', 'Function'],
  ['Map', 'Map'],
  ['Promise', 'Promise'],
  ['Float64Array', 'Float64Array'],
  ['console.log.constructor', '(console.log as any).constructor'],
];

/** Values the runtime hands out, for the constructor-chain probes. */
const PROBE_VALUES: ReadonlyArray<readonly [name: string, code: string]> = [
  ['a', 'a'], ['a*3', 'a * 3'], ['b0', 'b0'], ['[a]', '[a]'], ['[a,b0]', '[a, b0]'], ['Math', 'Math'], ['Math.sin', 'Math.sin'], ['Math.random', 'Math.random'],
  ['Math.sin(a)', 'Math.sin(a)'], ['Math.max', 'Math.max(a, b0)'], ['console', 'console'], ['console.log', 'console.log'], ['globalThis', 'globalThis'], ['this', 'this'],
  ['array iterator', '[a][Symbol.iterator]()'], ['map iterator', 'new Map([[1, a]]).entries()'], ['set iterator', 'new Set([a]).values()'],
  ['string iterator', "'s'[Symbol.iterator]()"], ['proto(a)', 'Object.getPrototypeOf(a)'], ['proto(proto(a))', 'Object.getPrototypeOf(Object.getPrototypeOf(a))'],
  ['a.backward', '(a as any).backward'], ['a.data', '(a as any).data'], ['a.constructor', '(a as any).constructor'], ['idOf', '(a as any).constructor.idOf'],
  ['data getter', "Object.getOwnPropertyDescriptor(Object.getPrototypeOf(a), 'data')!.get"],
  ['strict this', '(function (this: any) { return this; })()'],
  ['TypeError caught', '(() => { try { (undefined as any).x; } catch (e) { return e; } })()'],
  ['new-lifted error', '(() => { try { new (a as any).constructor(1, 2); } catch (e) { return e; } })()'],
  ['Math.nope error', '(() => { try { (Math as any).nope(); } catch (e) { return e; } })()'],
  ['eval error', "(() => { try { eval('1'); } catch (e) { return e; } })()"],
  ['Function error', "(() => { try { new Function('return 1'); } catch (e) { return e; } })()"],
  ['stack overflow', '(() => { const r = (): any => r(); try { r(); } catch (e) { return e; } })()'],
  ['globals', 'Object.getOwnPropertyNames(globalThis)'], ['Reflect.ownKeys(Math)', 'Reflect.ownKeys(Math)'], ['Error', 'Error'], ['new Error', "new Error('p')"],
  ['Promise.resolve(a)', 'Promise.resolve(a)'], ['async', '(async () => a)()'], ['generator', '(function* () { yield a; })()'], ['JSON', 'JSON'], ['Proxy', 'Proxy'],
  ['Error.captureStackTrace', '(Error as any).captureStackTrace'], ['Error.prepareStackTrace', '(Error as any).prepareStackTrace'],
  ['arguments', 'arguments'],
];

/** All of an object's properties, values and accessors, probed. */
const SWEEP_TARGETS: ReadonlyArray<readonly [name: string, code: string]> = [
  ['globalThis', 'globalThis'], ['Math', 'Math'], ['console', 'console'], ['proto(a)', 'Object.getPrototypeOf(a)'], ['a', 'a'], ['Error', 'Error'],
];

/** One wrapping: a name and how it puts statements somewhere else. */
type Wrap = readonly [name: string, wrap: (body: string, id: (prefix: string) => string) => string];
const indent = (body: string) => body.replace(/^/gm, '  ');
const WRAPS: readonly Wrap[] = [
  ['function', (body, id) => { const f = id('fzF'); return `function ${f}() {\n${indent(body)}\n}\n${f}();`; }],
  ['arrow', (body, id) => { const f = id('fzF'); return `const ${f} = () => {\n${indent(body)}\n};\n${f}();`; }],
  ['iife', (body) => `(function () {\n${indent(body)}\n})();`],
  ['loop', (body, id) => { const i = id('fzI'); return `for (let ${i} = 0; ${i} < 2; ${i}++) {\n${indent(body)}\n}`; }],
  ['while', (body, id) => { const i = id('fzI'); return `let ${i} = 0;\nwhile (${i}++ < 1) {\n${indent(body)}\n}`; }],
  ['method', (body, id) => { const c = id('FzC'); return `class ${c} {\n  m(): any {\n${indent(indent(body))}\n  }\n}\nnew ${c}().m();`; }],
  ['static', (body, id) => { const c = id('FzC'); return `class ${c} {\n  static m(): any {\n${indent(indent(body))}\n  }\n}\n${c}.m();`; }],
  ['constructor', (body, id) => { const c = id('FzC'); return `class ${c} {\n  constructor() {\n${indent(indent(body))}\n  }\n}\nnew ${c}();`; }],
  ['try-rethrow', (body, id) => { const e = id('fzE'); return `try {\n${indent(body)}\n} catch (${e}) {\n  pwn(${e});\n  throw ${e};\n}`; }],
  ['try-swallow', (body, id) => { const e = id('fzE'); return `try {\n${indent(body)}\n} catch (${e}) {\n  pwn(${e});\n}`; }],
  ['try-finally', (body) => `try {\n${indent(body)}\n} finally {\n  pwn(globalThis);\n}`],
  ['finally-throws', (body) => `try {\n${indent(body)}\n} finally {\n  throw hostile();\n}`],
  ['getter', (body, id) => { const o = id('fzO'); return `const ${o} = {\n  get v(): any {\n${indent(indent(body))}\n    return a;\n  },\n};\n(${o} as any).v;`; }],
  ['setter', (body, id) => { const o = id('fzO'); return `const ${o} = {\n  set v(w: any) {\n    pwn(w);\n${indent(indent(body))}\n  },\n};\n(${o} as any).v = a;`; }],
  ['block', (body) => `{\n${indent(body)}\n}`],
  ['if', (body) => `if (a > 1) {\n${indent(body)}\n}`],
  ['async', (body) => `(async () => {\n${indent(body)}\n})();`],
  ['generator', (body, id) => { const g = id('fzG'); const v = id('fzV'); return `function* ${g}() {\n${indent(body)}\n  yield 1;\n}\nfor (const ${v} of ${g}()) pwn(${v});`; }],
  ['callback', (body) => `[1].forEach(() => {\n${indent(body)}\n});`],
  ['switch', (body) => `switch (1) {\n  case 1: {\n${indent(indent(body))}\n    break;\n  }\n}`],
  ['promise job', (body) => `Promise.resolve().then(() => {\n${indent(body)}\n});`],
];

interface Part {
  readonly name: string;
  readonly code: string;
}

/** The choices of one variant, drawn from its seed. */
class Draw {
  private readonly random: () => number;
  private counter = 0;

  constructor(seed: number) {
    const random = new Random(seed);
    this.random = () => random.next();
  }

  int(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low + 1));
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = Math.floor(this.random() * (index + 1));
      [items[index], items[other]] = [items[other], items[index]];
    }
    return items;
  }

  /** A fresh identifier of the variant (never `__gg…`). */
  id = (prefix: string): string => `${prefix}${++this.counter}`;
}

function hookInstall(draw: Draw): Part {
  const [hookName, hook] = draw.pick(HOOKS);
  const form = draw.int(0, 9);
  let part: Part;
  if (form <= 4) {
    const [label, object, keys] = draw.pick(METHOD_TARGETS);
    const chosen = [...new Set(Array.from({ length: draw.chance(0.3) ? draw.int(2, 4) : 1 }, () => draw.pick(keys)))];
    const byDefine = draw.chance(0.25);
    const code = chosen.map(([, key]) => (byDefine
      ? `Object.defineProperty(${object}, ${key}, { value: ${hook}, configurable: true, writable: true });`
      : `(${object} as any)[${key}] = ${hook};`)).join('\n');
    part = { name: `${label}.${chosen.map(([keyLabel]) => keyLabel).join('/')}=${hookName}`, code };
  } else if (form <= 7) {
    const [label, object, keys] = draw.pick(ACCESSOR_TARGETS);
    const chosen = [...new Set(Array.from({ length: draw.chance(0.4) ? draw.int(2, 5) : 1 }, () => draw.pick(keys)))];
    const setter = draw.chance(0.6) ? `, set: ${hook}` : '';
    const code = chosen.map(([, key]) => `Object.defineProperty(${object}, ${key}, { get: ${hook}${setter}, configurable: true });`).join('\n');
    part = { name: `get ${label}.${chosen.map(([keyLabel]) => keyLabel).join('/')}=${hookName}`, code };
  } else {
    const [label, object] = draw.pick(INSTANCE_TARGETS);
    part = { name: `${label}[@@hasInstance]=${hookName}`, code: `Object.defineProperty(${object}, Symbol.hasInstance, { value: ${hook}, configurable: true });` };
  }
  // A failed installation (a read-only property) would end the snippet before its trigger.
  if (draw.chance(0.4)) return { name: `${part.name}?`, code: `try {\n${indent(part.code)}\n} catch {}` };
  return part;
}

function hostileError(draw: Draw): Part {
  const [getterName, getter] = draw.pick(ERROR_GETTERS);
  const constructor = draw.pick(['Error', 'Error', 'TypeError', 'RangeError', 'EvalError', 'SyntaxError', 'AggregateError']);
  const error = draw.id('fzErr');
  const creation = constructor === 'AggregateError' ? `new AggregateError([hostile()], 'x')` : `new ${constructor}('x')`;
  if (draw.chance(0.25)) {
    const key = draw.pick(['message', 'name', 'stack']);
    const cls = draw.id('FzError');
    return { name: `throw class ${key}=${getterName}`, code: `class ${cls} extends ${constructor === 'AggregateError' ? 'Error' : constructor} {\n  get ${key}(): any {\n    return (${getter})();\n  }\n}\nthrow new ${cls}();` };
  }
  const keys = [...new Set(Array.from({ length: draw.int(1, 3) }, () => draw.pick(['stack', 'message', 'name', 'cause', 'constructor'])))];
  const lines = [`const ${error}: any = ${creation};`, ...keys.map((key) => `Object.defineProperty(${error}, '${key}', { get: ${getter}, configurable: true });`)];
  if (draw.chance(0.2)) lines.push(`Object.setPrototypeOf(${error}, hostileProxy(${draw.chance(0.5)}));`);
  lines.push(`throw ${error};`);
  return { name: `throw ${constructor}{${keys.join(',')}}=${getterName}`, code: lines.join('\n') };
}

function trigger(draw: Draw): Part {
  const value = () => draw.pick(HOSTILE_VALUES);
  switch (draw.int(0, 22)) {
    case 0: case 1: { const [name, code] = value(); return { name: `throw ${name}`, code: `throw ${code};` }; }
    case 2: case 3: return hostileError(draw);
    case 4: { const [name, code] = value(); return { name: `reject ${name}`, code: `Promise.reject(${code});` }; }
    case 5: { const [name, code] = value(); return { name: `async throw ${name}`, code: `(async () => {\n  throw ${code};\n})();` }; }
    case 6: {
      const install = hookInstall(draw);
      return draw.chance(0.5)
        ? { name: `later ${install.name}`, code: `(async () => {\n  await null;\n${indent(install.code)}\n})();` }
        : { name: `job ${install.name}`, code: `Promise.resolve().then(() => {\n${indent(install.code)}\n});` };
    }
    case 7: return draw.pick([
      { name: 'job spins', code: 'Promise.resolve().then(() => { for (;;) {} });' },
      { name: 'job backward', code: 'Promise.resolve().then(() => { (b0 as any).backward(); throw hostile(); });' },
      { name: 'job rejects', code: 'Promise.resolve().then(() => { throw hostileProxy(true); });' },
      { name: 'thenable', code: 'Promise.resolve({ then: hook });' },
    ]);
    case 8: case 9: {
      const values = Array.from({ length: draw.int(1, 4) }, value);
      const method = draw.pick(['log', 'log', 'error', 'warn', 'info', 'debug', 'trace']);
      return { name: `console.${method}(${values.map(([name]) => name).join(',')})`, code: `console.${method}(${values.map(([, code]) => code).join(', ')});` };
    }
    case 10: {
      const object = draw.id('fzO');
      const read = draw.pick([`console.log(${object});`, `(${object} as any).v;`, `a * (${object} as any).v;`, `JSON.stringify(${object});`]);
      return { name: 'backward in getter', code: `const ${object} = {\n  get v(): any {\n    (b0 as any).backward();\n    return hostile();\n  },\n};\n${read}` };
    }
    case 11: case 12: {
      const x = draw.id('fzX');
      const i = draw.id('fzI');
      const count = draw.pick([1200, 2400, 2490, 2497, 2498, 2499, 2500, 2501, 2510, 5000]);
      const after = draw.pick(['', `\n(${x} as any).backward();`, `\nconsole.log(${x});`, `\nthrow ${x};`, `\nPromise.reject(${x});`]);
      return { name: `${count} nodes`, code: `let ${x} = a;\nfor (let ${i} = 0; ${i} < ${count}; ${i}++) ${x} = ${x} * 1.01;${after}` };
    }
    case 13: return { name: 'backward', code: '(b0 as any).backward();' };
    case 14: return draw.pick([
      { name: 'new Error().stack', code: "new Error('x').stack;" },
      { name: 'undefined.x', code: '(undefined as any).x;' },
      { name: 'null*a', code: '(null as any) * a;' },
      { name: 'a.nope()', code: '(a as any).nope();' },
      { name: 'new lifted', code: 'new (a as any).constructor(1, 2);' },
      { name: 'eval', code: "eval('1');" },
    ]);
    case 15: {
      const recurse = draw.id('fzR');
      return { name: 'stack overflow', code: `function ${recurse}(): any {\n  return ${recurse}() * a;\n}\n${recurse}();` };
    }
    case 16: case 17: {
      const [name, code] = value();
      return draw.pick([
        { name: `a*${name}`, code: `a * (${code} as any);` },
        { name: `a+${name}`, code: `a + (${code} as any);` },
        { name: `sin(${name})`, code: `Math.sin(${code} as any);` },
        { name: `max(a,${name})`, code: `Math.max(a, ${code} as any);` },
        { name: `template ${name}`, code: `\`\${${code}}\`;` },
        { name: `String(${name})`, code: `String(${code});` },
        { name: `${name}===a`, code: `(${code} as any) === a;` },
        { name: `-${name}`, code: `-(${code} as any);` },
        { name: `typeof ${name}`, code: `typeof (${code});` },
        { name: `if ${name}`, code: `if (${code}) pwn(this);` },
        { name: `a*=${name}`, code: ((y: string) => `let ${y}: any = a;\n${y} *= (${code} as any);`)(draw.id('fzY')) },
      ]);
    }
    case 18: return draw.pick([
      { name: 'stringify', code: 'JSON.stringify({ a, b0 });' },
      { name: 'map', code: '[a, b0].map((v) => v * 2);' },
      { name: 'new Map', code: 'new Map([[1, a]]);' },
      { name: 'spread', code: '[...[a, b0]];' },
      { name: 'keys', code: 'Object.keys({ a });' },
      { name: 'for-of', code: 'for (const v of [a, b0]) pwn(v);' },
      { name: 'instanceof', code: 'pwn((a as any) instanceof Object);' },
      { name: 'regexp', code: "'abc'.replace(/b/, 'x');" },
      { name: 'spread proxy', code: '[...hostileProxy(false)];' },
    ]);
    case 19: {
      const object = draw.id('fzO');
      return { name: 'getter pwns this', code: `const ${object} = {\n  get v(): any {\n    pwn(this);\n    throw hostile();\n  },\n};\n(${object} as any).v;` };
    }
    case 20: {
      const [, body] = draw.pick(ESCAPE_ATTEMPTS);
      const index = ESCAPE_ATTEMPTS.findIndex(([, other]) => other === body);
      // The attempt without its last line (its output), in a block of its own (its names are not unique).
      return { name: `attempt ${index}`, code: `{\n${indent(body.split('\n').slice(0, -1).join('\n'))}\n}` };
    }
    case 21: return draw.pick([
      // The time limit, with the hooks in place when Node makes its error.
      { name: 'spin', code: 'for (;;) {}' },
      { name: 'spin pwn', code: 'for (;;) pwn(a);' },
      { name: 'spin count', code: ((s: string) => `let ${s} = 0;\nfor (;;) ${s}++;`)(draw.id('fzN')) },
    ]);
    default: {
      const [name, code] = value();
      return { name: `throw in hook ${name}`, code: `(JSON as any).fzHook = () => { throw ${code}; };\n(JSON as any).fzHook();` };
    }
  }
}

function probe(draw: Draw): Part {
  if (draw.chance(0.15)) {
    const [name, code] = draw.pick(SWEEP_TARGETS);
    const object = draw.id('fzS');
    const key = draw.id('fzK');
    return {
      name: `sweep ${name}`,
      code: `const ${object}: any = ${code};\nfor (const ${key} of Reflect.ownKeys(${object})) {\n  try {\n    const d: any = Object.getOwnPropertyDescriptor(${object}, ${key});\n    pwn(d.value);\n    pwn(d.get);\n    pwn(${object}[${key}]);\n  } catch {}\n}`,
    };
  }
  const [name, code] = draw.pick(PROBE_VALUES);
  const error = draw.id('fzE');
  if (draw.chance(0.5)) {
    const value = draw.id('fzP');
    return { name: `chain ${name}`, code: `try {\n  const ${value}: any = ${code};\n  pwn(${value});\n  pwn(${value}.constructor);\n  pwn(Object.getPrototypeOf(${value}));\n} catch (${error}) {\n  pwn(${error});\n}` };
  }
  return draw.chance(0.7) ? { name: `pwn ${name}`, code: `try {\n  pwn(${code});\n} catch (${error}) {\n  pwn(${error});\n}` } : { name: `pwn ${name}!`, code: `pwn(${code});` };
}

/** The snippet's last statement, its output: a lifted number, many nodes, or something hostile. */
function output(draw: Draw): Part {
  const x = draw.id('fzX');
  const i = draw.id('fzI');
  const count = draw.pick([1000, 2490, 2499, 2500, 2510]);
  // Mostly a lifted number, so that the backward pass and the result's columns run with the hooks in place.
  if (draw.chance(0.65)) {
    return draw.pick<Part>([
      { name: 'a*3', code: 'a * 3' }, { name: 'a*3', code: 'a * 3' }, { name: 'a', code: 'a' }, { name: 'b0', code: 'b0' },
      { name: 'sin', code: 'Math.sin(a) * b0' },
      { name: `${count} nodes`, code: `(() => {\n  let ${x} = a;\n  for (let ${i} = 0; ${i} < ${count}; ${i}++) ${x} = ${x} * 1.01;\n  return ${x};\n})()` },
    ]);
  }
  return draw.pick<Part>([
    { name: 'proxy!', code: 'hostileProxy(true) as any as number' },
    { name: 'proxy', code: 'hostileProxy(false) as any as number' },
    { name: 'hostile', code: 'hostile() as any as number' },
    { name: 'valueOf hook', code: '({ valueOf: hook }) as any as number' },
    { name: 'hook', code: 'hook as any as number' },
    { name: 'sym', code: "Symbol('o') as any as number" },
    { name: '10n', code: '10n as any as number' },
    { name: 'getters', code: '({ get data(): any { return hostile(); }, get constructor(): any { throw hostile(); }, valueOf: hook }) as any as number' },
    { name: 'proxy of a', code: 'new Proxy(a as any, { get: hook, getPrototypeOf: hook }) as any as number' },
    { name: 'fake lifted', code: 'Object.create(Object.getPrototypeOf(a)) as number' },
    { name: 'promise', code: 'Promise.resolve(a) as any as number' },
  ]);
}

/** A variant of the escape attempts, from its seed: `name` says what it is made of. */
export function fuzzVariant(seed: number, marker: string): { name: string; text: string } {
  const draw = new Draw(seed);
  const installs = Array.from({ length: draw.chance(0.1) ? 0 : draw.int(1, 3) }, () => hookInstall(draw));
  const probes = Array.from({ length: draw.int(0, 2) }, () => probe(draw));
  const triggers = Array.from({ length: draw.chance(0.75) ? 1 : 2 }, () => trigger(draw));
  // Installations first, mostly; sometimes anything in any order.
  const parts = draw.chance(0.7) ? [...installs, ...draw.shuffle([...probes]), ...triggers] : draw.shuffle([...installs, ...probes, ...triggers]);

  // Wrappings: each part on its own, a run of parts together, or everything.
  const wrapped: Part[] = [];
  const wrapNames: string[] = [];
  for (let index = 0; index < parts.length;) {
    let take = 1;
    if (index + 1 < parts.length && draw.chance(0.2)) take = draw.int(2, parts.length - index);
    const group = parts.slice(index, index + take);
    index += take;
    const code = group.map((part) => part.code).join('\n');
    const name = group.map((part) => part.name).join(' + ');
    if (draw.chance(0.35)) {
      const [wrapName, wrap] = draw.pick(WRAPS);
      wrapNames.push(wrapName);
      wrapped.push({ name: `${wrapName}(${name})`, code: wrap(code, draw.id) });
    } else {
      wrapped.push({ name, code });
    }
  }
  // Sometimes what the triggers throw is caught, so that the snippet goes on to its output.
  if (draw.chance(0.3)) {
    const error = draw.id('fzE');
    const last = wrapped.splice(wrapped.length - triggers.length);
    wrapped.push({ name: `caught(${last.map((part) => part.name).join('; ')})`, code: `try {\n${indent(last.map((part) => part.code).join('\n'))}\n} catch (${error}) {\n  pwn(${error});\n}` });
  }
  let body = wrapped.map((part) => part.code).join('\n');
  let name = wrapped.map((part) => part.name).join('; ');
  if (draw.chance(0.1)) {
    const [wrapName, wrap] = draw.pick(WRAPS);
    body = wrap(body, draw.id);
    name = `${wrapName}{ ${name} }`;
  }
  const out = output(draw);
  return { name: `${name} -> ${out.name}`, text: `${fuzzPrelude(marker)}${body}\n${out.code}\n` };
}

/** What every variant starts with: the attempts' prelude (`pwn`, `hook`, `hostile`…) and the fuzzer's helpers. */
export function fuzzPrelude(marker: string): string {
  return `${pwnPrelude(marker)}${FUZZ_PRELUDE}`;
}

/** A failure, as the sandbox process reports it. */
export interface ReportedFailure {
  readonly kind: string;
  readonly message: string;
}

/** Messages of the runtime and the process about a run (not a rewrite): they have no `Name: ` prefix. */
const RUN_MESSAGES = [
  /^the output `[^]*` is /, /^the snippet has no output$/, /^the snippet left the runtime unable to finish/, /^eval and new Function are not available/,
  /^the snippet stopped the evaluation/, /^the runtime gave /, /^the runtime's \w+ column/, /^the evaluation process failed/, /^finished twice/,
  /^the snippet made more than/, /^the snippet threw /,
];
/** V8's early errors, found when the rewritten script is compiled: the variant was not valid JavaScript. */
const COMPILE_ERROR = /^SyntaxError: (?:Strict mode|Duplicate|Unexpected (?:eval|strict|reserved|identifier|number|string|end|token '[^']*'$)|Invalid (?:left|destructuring|regular)|Illegal|Delete of|Octal|Identifier '.*' has already been declared|Missing|Rest parameter|Classes may not|Lexical declaration|Getter must|Setter must|Undefined label|'\w+' is not a valid|Class constructor may not|await is only valid|Private field)/;

/**
 * Whether a failure is the rewriter's (a syntax error TypeScript found, a name not declared, a reserved
 * name, no output) or V8's compile error: the variant never ran. A run's failures are `Name: message`
 * (what the snippet threw, as the runtime describes it) or one of the runtime's own sentences.
 */
export function isInvalidVariant(failure: ReportedFailure | undefined): boolean {
  if (failure === undefined || failure.kind !== 'error') return false;
  const message = failure.message;
  if (COMPILE_ERROR.test(message)) return true;
  if (RUN_MESSAGES.some((pattern) => pattern.test(message))) return false;
  return !/^[\w$]*: /.test(message);
}
