/**
 * The runtime that rewritten snippets call, bundled with the engine into one script (dist/sandboxRuntime.js)
 * and run *inside* the sandbox's vm context, so that no host object ever enters the context: the snippet
 * can only reach this code and JavaScript's built-ins of its own realm.
 *
 * The rewriter turns `a * b` into `__gg.mul(a, b, site)`. Each operation here records an engine node when
 * an operand is a `Value` and otherwise behaves exactly as the JavaScript operator, so code that works on
 * plain numbers (loop counters, indices, strings) runs as written. Comparisons need no rewriting: a
 * `Value`'s `valueOf` is its data, so `<` and `==` compare data and control flow follows the branch taken.
 */
import { CONST, OP_CODE, OPS, type BinaryOpName, type UnaryOpName } from '../engine/ops.ts';
import { Tape } from '../engine/tape.ts';
import { Value } from '../engine/value.ts';
import { Random } from '../engine/random.ts';
import { RUNTIME_GLOBAL, SCRIPT_FILE_NAME, type RuntimeConfig, type RuntimeFailure, type RuntimeMeta } from './protocol.ts';

/** Thrown when the snippet records more nodes than allowed; the worker reports the setting to raise. */
class NodeLimitError extends Error {}
/** Thrown when the output is not a number. */
class OutputError extends Error {}

interface GroupFrame {
  readonly kind: 'call' | 'iteration';
  readonly groupSite: number;
  /** Iteration number (for loops, -1 before the first iteration), or 0 for a call. */
  index: number;
  /** Group id once a node has been made in this frame, else -1: groups with no node are never listed. */
  group: number;
  /** The group of nodes made while this frame is the innermost: its own, or the nearest enclosing one. */
  effective: number;
}

const LOG_LIMIT = 1000;

/** Creates the runtime for one evaluation and installs it, with a `Value`-aware `Math`, as globals. */
export function create(configJson: string): object {
  const config = JSON.parse(configJson) as RuntimeConfig;
  const sites = config.sites;
  const tape = new Tape();
  const random = new Random(config.randomSeed);
  let siteOf = new Int32Array(1024);
  let groupOf = new Int32Array(1024);
  /** Nodes below this id have their site and group set. */
  let marked = 0;
  let lastSite = -1;
  const frames: GroupFrame[] = [];
  const groups: RuntimeMeta['groups'][number][] = [];
  let currentGroup = -1;
  let currentGroupValid = true;
  /** Frames below this depth have their `group` and `effective` up to date, so deep recursion stays linear. */
  let validDepth = 0;
  const logs: string[] = [];
  let output = -1;
  let outputLabel = '';
  let outputSite = -1;

  // A Value converts to its data where JavaScript needs a primitive: comparisons, indices, template strings.
  Object.defineProperties(Value.prototype, {
    valueOf: { value(this: Value) { return this.data; } },
    toString: { value(this: Value) { return String(this.data); } },
    toJSON: { value(this: Value) { return this.data; } },
    toFixed: { value(this: Value, digits?: number) { return this.data.toFixed(digits); } },
    toPrecision: { value(this: Value, digits?: number) { return this.data.toPrecision(digits); } },
  });

  /** The group of nodes made now: the innermost frame, created (with its parents) on first use. */
  function groupNow(): number {
    if (currentGroupValid) return currentGroup;
    let parent = validDepth > 0 ? frames[validDepth - 1].effective : -1;
    for (let depth = validDepth; depth < frames.length; depth++) {
      const frame = frames[depth];
      if (frame.index >= 0) {
        if (frame.group < 0) {
          frame.group = groups.length;
          groups.push({ kind: frame.kind, groupSite: frame.groupSite, index: frame.index, parent });
        }
        parent = frame.group;
      }
      frame.effective = parent;
    }
    validDepth = frames.length;
    currentGroup = parent;
    currentGroupValid = true;
    return parent;
  }

  /** Gives the nodes made since the last call their site and group, and enforces the node limit. */
  function mark(site: number): void {
    const length = tape.length;
    if (length > config.maxNodes) throw new NodeLimitError(`the snippet made more than ${config.maxNodes} nodes`);
    if (length > siteOf.length) {
      const capacity = Math.max(length, siteOf.length * 2);
      const sitesGrown = new Int32Array(capacity);
      sitesGrown.set(siteOf);
      siteOf = sitesGrown;
      const groupsGrown = new Int32Array(capacity);
      groupsGrown.set(groupOf);
      groupOf = groupsGrown;
    }
    const group = groupNow();
    for (let node = marked; node < length; node++) {
      siteOf[node] = site;
      groupOf[node] = group;
    }
    marked = length;
    lastSite = site;
  }

  /** A constant node for a number operand, with the literal's own site when the rewriter knows it. */
  function constant(x: number, site: number): number {
    const id = tape.constant(x);
    mark(site);
    return id;
  }

  /** Operand to node id: a Value's node, or a new constant; `-1` when the operand is not numeric (a string, an object). */
  function operand(x: unknown, site: number | undefined): number {
    if (x instanceof Value) return x.id;
    if (typeof x === 'number') return constant(x, site ?? -1);
    if (typeof x === 'boolean' || x === null) return constant(Number(x), site ?? -1);
    return -1;
  }

  function binary(name: BinaryOpName, x: unknown, y: unknown, site: number, native: (a: number, b: number) => number): unknown {
    // Neither is a Value: exactly what the JavaScript operator does (`+` on strings concatenates).
    if (!(x instanceof Value) && !(y instanceof Value)) return native(x as number, y as number);
    const entry = sites[site];
    const left = operand(x, entry?.[2]);
    const right = left < 0 ? -1 : operand(y, entry?.[3]);
    if (left < 0 || right < 0) return native(x as number, y as number);
    const id = tape.binary(OP_CODE[name], left, right);
    mark(site);
    return Value.of(tape, id);
  }

  function unary(name: UnaryOpName, x: unknown, site: number): unknown {
    if (!(x instanceof Value)) return OPS[name].forward(x as number);
    const id = tape.unary(OP_CODE[name], x.id);
    mark(site);
    return Value.of(tape, id);
  }

  function nary(name: 'max' | 'min', args: unknown[], site: number, native: (...values: number[]) => number): unknown {
    if (!args.some((arg) => arg instanceof Value) || args.length === 0) return native(...(args as number[]));
    const inputs = args.map((arg) => operand(arg, undefined));
    if (inputs.includes(-1)) return native(...(args as number[]));
    const id = tape.nary(OP_CODE[name], inputs);
    mark(site);
    return Value.of(tape, id);
  }

  const isConstantOrNumber = (x: unknown) => typeof x === 'number' || (x instanceof Value && tape.code[x.id] === CONST);

  /** `Math`'s functions on Values, by name, each taking the call's site first. */
  const unaryMath: Record<string, UnaryOpName> = {
    abs: 'abs', acos: 'acos', acosh: 'acosh', asin: 'asin', asinh: 'asinh', atan: 'atan', atanh: 'atanh', cbrt: 'cbrt',
    ceil: 'ceil', cos: 'cos', cosh: 'cosh', exp: 'exp', expm1: 'expm1', floor: 'floor', log: 'log', log10: 'log10',
    log1p: 'log1p', log2: 'log2', round: 'round', sign: 'sign', sin: 'sin', sinh: 'sinh', sqrt: 'sqrt', tan: 'tan',
    tanh: 'tanh', trunc: 'trunc',
  };
  const nativeMath = Math;
  /** `Math.name(x)` with one argument, the common case, without allocating an argument list. */
  function math1(site: number, name: string, x: unknown): unknown {
    const unaryName = unaryMath[name];
    return unaryName !== undefined ? unary(unaryName, x, site) : math(site, name, x);
  }

  function math(site: number, name: string, ...args: unknown[]): unknown {
    const unaryName = unaryMath[name];
    if (unaryName !== undefined) return unary(unaryName, args[0], site);
    switch (name) {
      case 'pow': return binary(isConstantOrNumber(args[1]) ? 'powConst' : 'pow', args[0], args[1], site, nativeMath.pow);
      case 'atan2': return binary('atan2', args[0], args[1], site, nativeMath.atan2);
      case 'max': return nary('max', args, site, nativeMath.max);
      case 'min': return nary('min', args, site, nativeMath.min);
      case 'hypot': {
        if (args.length === 1) return unary('abs', args[0], site);
        let result: unknown = args.length === 0 ? 0 : args[0];
        for (let k = 1; k < args.length; k++) result = binary('hypot', result, args[k], site, nativeMath.hypot);
        return result;
      }
      case 'random': return random.next();
      default: {
        // clz32, imul, fround: integer and rounding helpers with no gradient; they see the data.
        const fn = (nativeMath as unknown as Record<string, unknown>)[name];
        if (typeof fn !== 'function') throw new TypeError(`Math.${name} is not a function`);
        return (fn as (...values: unknown[]) => unknown)(...args.map((arg) => (arg instanceof Value ? arg.data : arg)));
      }
    }
  }

  /** A `Math` for the sandbox: the functions accept Values (for `xs.map(Math.exp)`), the constants are as usual. */
  const sandboxMath: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(nativeMath)) {
    const value = (nativeMath as unknown as Record<string, unknown>)[key];
    sandboxMath[key] = typeof value === 'function' ? (...args: unknown[]) => math(-1, key, ...args) : value;
  }

  function format(value: unknown): string {
    if (typeof value === 'string') return value;
    if (value instanceof Value) return String(value.data);
    try {
      return typeof value === 'object' && value !== null ? JSON.stringify(value) ?? 'undefined' : String(value);
    } catch {
      return String(value);
    }
  }
  const log = (...args: unknown[]) => {
    if (logs.length < LOG_LIMIT) logs.push(args.map(format).join(' '));
  };

  function describe(value: unknown): string {
    if (Array.isArray(value)) return 'an array';
    if (value === null) return 'null';
    if (value === undefined) return 'undefined';
    switch (typeof value) {
      case 'string': return 'a string';
      case 'boolean': return 'a boolean';
      case 'function': return 'a function';
      case 'bigint': return 'a bigint';
      default: return 'an object';
    }
  }

  function update(target: Record<PropertyKey, unknown>, key: PropertyKey, value: unknown, label: string | undefined): unknown {
    if (label !== undefined && value instanceof Value && !tape.labels.has(value.id)) tape.labels.set(value.id, label);
    target[key] = value;
    return value;
  }

  const operations: Record<string, (x: unknown, y: unknown, site: number) => unknown> = {
    add: (x, y, site) => binary('add', x, y, site, (a, b) => a + b),
    sub: (x, y, site) => binary('sub', x, y, site, (a, b) => a - b),
    mul: (x, y, site) => binary('mul', x, y, site, (a, b) => a * b),
    div: (x, y, site) => binary('div', x, y, site, (a, b) => a / b),
    mod: (x, y, site) => binary('mod', x, y, site, (a, b) => a % b),
    pow: (x, y, site) => binary(isConstantOrNumber(y) ? 'powConst' : 'pow', x, y, site, (a, b) => a ** b),
  };

  const api = {
    ...operations,
    neg: (x: unknown, site: number) => (x instanceof Value ? unary('neg', x, site) : -(x as number)),
    /** Unary `+` keeps a Value a Value (JavaScript's would turn it into a plain number and cut the graph). */
    plus: (x: unknown) => (x instanceof Value ? x : +(x as number)),
    /** `===`: Values compare by data, as numbers would. */
    same: (x: unknown, y: unknown) => (x instanceof Value ? x.data : x) === (y instanceof Value ? y.data : y),
    /** `==`: Values compare by data. */
    equal: (x: unknown, y: unknown) => (x instanceof Value ? x.data : x) == (y instanceof Value ? y.data : y), // eslint-disable-line eqeqeq -- this is the rewrite of `==` itself
    /** A Value's data, anything else as it is: for `switch`, which compares with `===`. */
    plain: (x: unknown) => (x instanceof Value ? x.data : x),
    /** `typeof`: a Value is a number. */
    typeOf: (x: unknown) => (x instanceof Value ? 'number' : typeof x),
    /** Truthiness for conditions: a Value is truthy when its data is (0 and NaN are false). */
    truthy: (x: unknown) => (x instanceof Value ? x.data !== 0 && x.data === x.data : Boolean(x)),
    and: (x: unknown, y: () => unknown) => (api.truthy(x) ? y() : x),
    or: (x: unknown, y: () => unknown) => (api.truthy(x) ? x : y()),
    math,
    math1,
    /** `x++` used as a value: the old value, read before the assignment (the second argument) ran. */
    first: (old: unknown) => old,
    /** A top-level `const a = 2` or an element of a top-level array of numbers: a leaf named `label`. */
    leaf(x: number, label: string, site: number): Value {
      const id = tape.leaf(x);
      tape.labels.set(id, label);
      mark(site);
      return Value.of(tape, id);
    },
    /** Names the node a variable receives, unless it already has a name (`const c = a` keeps `a`). */
    label(x: unknown, label: string): unknown {
      if (x instanceof Value && !tape.labels.has(x.id)) tape.labels.set(x.id, label);
      return x;
    },
    /** `object.key op= value` and `object[key]++`: object and key are evaluated once. Returns the old value if asked. */
    updateMember(target: Record<PropertyKey, unknown>, key: PropertyKey, operation: string, value: unknown, site: number, returnOld: boolean, label?: string): unknown {
      const old = target[key];
      const result = update(target, key, operations[operation](old, value, site), label);
      return returnOld ? old : result;
    },
    /** Enters a call of the function the rewriter numbered `groupSite`; returns what `exit` needs. */
    enter(groupSite: number): number {
      frames.push({ kind: 'call', groupSite, index: 0, group: -1, effective: -1 });
      currentGroupValid = false;
      return frames.length - 1;
    },
    exit(depth: number): void {
      frames.length = depth;
      validDepth = Math.min(validDepth, depth);
      currentGroupValid = false;
    },
    loopEnter(groupSite: number): number {
      frames.push({ kind: 'iteration', groupSite, index: -1, group: -1, effective: -1 });
      currentGroupValid = false;
      return frames.length - 1;
    },
    /** Starts the next iteration of the innermost loop. */
    iteration(depth: number): void {
      const frame = frames[depth];
      frames.length = depth + 1;
      frame.index++;
      frame.group = -1;
      validDepth = Math.min(validDepth, depth);
      currentGroupValid = false;
    },
    output(value: unknown, site: number, label: string): void {
      outputSite = site;
      outputLabel = label;
      if (value instanceof Value) {
        output = value.id;
      } else if (typeof value === 'number') {
        output = constant(value, site);
      } else {
        throw new OutputError(`the output \`${label}\` is ${describe(value)}; end the snippet with the number to differentiate`);
      }
      if (!tape.labels.has(output)) tape.labels.set(output, label);
    },
  };

  /** What the worker calls, outside the snippet's reach (the snippet sees only `__gg`'s operations). */
  const host = {
    backward(): void {
      if (output < 0) throw new OutputError('the snippet has no output');
      tape.backward(output);
    },
    hasOutput: () => output >= 0,
    columns() {
      const length = tape.length;
      return {
        length,
        data: tape.data, grad: tape.grad, code: tape.code, first: tape.first, second: tape.second,
        naryInputs: tape.naryInputs, naryLength: tape.naryLength, site: siteOf, group: groupOf,
      };
    },
    meta(): string {
      const meta: Omit<RuntimeMeta, 'forwardMs' | 'backwardMs'> = { output, outputLabel, outputSite, labels: [...tape.labels], groups, logs };
      return JSON.stringify(meta);
    },
    logs: () => JSON.stringify(logs),
    /** Reads a thrown value inside the sandbox (its getters run here, never in the host) as a JSON string. */
    describeError(error: unknown): string {
      let failure: RuntimeFailure;
      if (error instanceof NodeLimitError || error instanceof OutputError) {
        failure = { kind: error instanceof NodeLimitError ? 'limit' : 'output', name: 'Error', message: error.message, site: error instanceof OutputError ? outputSite : lastSite };
      } else if (error instanceof Error) {
        const stack = String(error.stack ?? '');
        const frames = [...stack.matchAll(new RegExp(`${SCRIPT_FILE_NAME.replace(/[.-]/g, '\\$&')}:(\\d+):(\\d+)`, 'g'))]
          .slice(0, 20).map((match): [number, number] => [Number(match[1]), Number(match[2])]);
        failure = { kind: 'error', name: String(error.name), message: String(error.message), site: lastSite, frames };
      } else {
        failure = { kind: 'error', name: 'Error', message: `the snippet threw ${format(error)}`, site: lastSite };
      }
      return JSON.stringify(failure);
    },
  };

  // Number's checks see a Value's data, as they would see the number it stands for.
  const numberChecks = Number as unknown as Record<string, (x: unknown) => boolean>;
  for (const name of ['isFinite', 'isNaN', 'isInteger', 'isSafeInteger']) {
    const check = numberChecks[name];
    numberChecks[name] = (x: unknown) => check(x instanceof Value ? x.data : x);
  }

  // Array searches see a Value searched for as its data (`[1, 2].includes(a)`), like `===` on it would.
  const arrays = Array.prototype as unknown as Record<string, (this: unknown[], ...args: unknown[]) => unknown>;
  for (const name of ['includes', 'indexOf', 'lastIndexOf']) {
    const search = arrays[name];
    arrays[name] = function (this: unknown[], target: unknown, ...rest: unknown[]) {
      return target instanceof Value ? search.call(this.map(api.plain), target.data, ...rest) : search.call(this, target, ...rest);
    };
  }

  const global = globalThis as unknown as Record<string, unknown>;
  global[RUNTIME_GLOBAL] = api;
  global.Math = sandboxMath;
  global.console = { log, info: log, warn: log, error: log, debug: log };
  return host;
}
