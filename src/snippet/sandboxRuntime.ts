/**
 * The runtime that rewritten snippets call, bundled with the engine into one script (dist/sandboxRuntime.js)
 * and run *inside* the sandbox's vm context, so that no object of the host's ever enters the context: the
 * snippet can only reach this code and JavaScript's built-ins of its own realm.
 *
 * The rewriter turns `a * b` into `__gg.mul(a, b, site)`. Each operation here records an engine node when
 * an operand is a lifted number and otherwise behaves exactly as the JavaScript operator, so code that works
 * on plain numbers (loop counters, indices, strings) runs as written.
 *
 * What the sandbox process may call (`RuntimeHost`) takes and returns strings, numbers and the runtime's own
 * typed arrays only, and never throws: a value the snippet threw is described inside the context, with
 * guarded reads. The tape is never reachable from the snippet (a lifted number keeps its node id in a
 * private field), so the sizes the host reads are the runtime's; the host checks them anyway.
 */
import { CONST, OP_CODE, OPS, type BinaryOpName, type UnaryOpName } from '../engine/ops.ts';
import { Random } from '../engine/random.ts';
import { Tape } from '../engine/tape.ts';
import { createConsole } from './sandboxConsole.ts';
import { apply, arrayIsArray, jsonStringify } from './sandboxIntrinsics.ts';
import { createGroups } from './sandboxGroups.ts';
import { createLiftedClass } from './sandboxLifted.ts';
import { installNn } from './sandboxNnGlobals.ts';
import { createSteps } from './sandboxSteps.ts';
import { prepareRealm } from './sandboxRealm.ts';
import { installStacks } from './sandboxStack.ts';
import { RUNTIME_GLOBAL, type ColumnName, type RuntimeConfig, type Site } from './protocol.ts';

/** What the sandbox process calls. Every function is safe to call with the snippet's code having run. */
export interface RuntimeHost {
  /** The rewrite's tables, as JSON; before the snippet runs. */
  readonly configure: (configJson: string) => void;
  /** After the snippet ran: backward from its output, then the result's JSON header part, or a failure's JSON. */
  readonly finish: () => string;
  /** A column of the result, after `finish`. */
  readonly column: (name: ColumnName) => Float64Array | Int32Array | Uint8Array;
  /** Where the snippet is now (for the time limit's location): the innermost loop running, else the last operation. */
  readonly runningSite: () => number;
  /** Whether `runningSite` is a loop's. */
  readonly inLoop: () => boolean;
}

/** Why the snippet stopped: the runtime's own reasons, or what the snippet threw, with its place if known. */
interface StopReason {
  readonly kind: 'nodes' | 'error';
  readonly message: string;
  readonly site: number;
  /** Own even when undefined: read after the snippet ran (see `ThrownDescription`). */
  readonly position: { readonly line: number; readonly character: number } | undefined;
}

const nativeAdd = (a: number, b: number) => a + b;

/** V8's message when code tries to compile a string (eval, new Function), which the context forbids. */
const CODE_GENERATION_MESSAGE = 'Code generation from strings disallowed for this context';

/** Creates the runtime for one evaluation and installs it, with a number-aware `Math`, as globals. */
export function create(): RuntimeHost {
  const stacks = installStacks();
  const tape = new Tape();
  let config: RuntimeConfig = { maxNodes: 0, sites: [], groupSites: [], labels: [], chunks: [], fileName: 'snippet', randomSeed: 1 };
  let sites: readonly Site[] = [];
  let random = new Random(1);
  const groups = createGroups();
  let siteOf = new Int32Array(1024);
  let groupOf = new Int32Array(1024);
  let labelOf = new Int32Array(1024);
  /** Nodes below this id have their site, group and label set. */
  let marked = 0;
  let lastSite = -1;
  let output = -1;
  let outputLabel = -1;
  let outputSite = -1;
  let ran = false;
  /**
   * The first reason the runtime stopped the snippet, and the error it threw for it (recognised by identity):
   * the reason stands even if the snippet caught the error.
   */
  let stopped: StopReason | undefined;
  let stopError: Error | undefined;
  /** What the snippet threw, described while the vm's time limit still watches (its getters may not return). */
  let thrown: StopReason | undefined;
  /** The value the last `throw` statement threw, and its site. */
  let lastThrow: { readonly value: unknown; readonly site: number } | undefined;
  let finished = false;
  /** The gradients the graph reports, when they are not the tape's own (see `finish`). */
  let reported: Float64Array | undefined;

  /** Leaves made so far: the gradient check moves the one whose ordinal its run names (`leafShift`). */
  let leafCount = 0;
  function newLeaf(x: number): number {
    const shift = config.leafShift;
    const value = shift !== undefined && shift.ordinal === leafCount ? x + shift.by : x;
    leafCount++;
    return tape.leaf(value);
  }

  /** The backward passes the snippet ran itself (`loss.backward()`): its training steps. */
  const steps = createSteps(tape);
  const { idOf, lift, prototype } = createLiftedClass(tape, (id) => steps.record(id, tape.backward(id)));
  const nn = installNn({ tape, idOf, lift, mark, name, groups, newLeaf }, () => ({ labels: config.labels.length, groupSites: config.groupSites.length }));

  function stop(reason: StopReason): never {
    stopped ??= reason;
    stopError ??= new RangeError(reason.message);
    throw stopError;
  }

  /** Gives the nodes made since the last call their site, group and no label, and enforces the node limit. */
  function mark(site: number): void {
    const length = tape.length;
    if (length > config.maxNodes || tape.naryLength > 4 * config.maxNodes) {
      stop({ kind: 'nodes', message: `the snippet made more than ${config.maxNodes} nodes`, site, position: undefined });
    }
    if (length > siteOf.length) {
      const capacity = Math.max(length, siteOf.length * 2);
      siteOf = grown(siteOf, capacity);
      groupOf = grown(groupOf, capacity);
      labelOf = grown(labelOf, capacity);
    }
    const group = groups.current();
    for (let node = marked; node < length; node++) {
      siteOf[node] = site;
      groupOf[node] = group;
      labelOf[node] = -1;
    }
    marked = length;
    lastSite = site;
  }

  /** Names a node unless it has a name already (`const c = a` keeps `a`). */
  function name(id: number, label: number): void {
    if (id < marked && labelOf[id] < 0) labelOf[id] = label;
  }

  function constant(x: number, site: number): number {
    const id = tape.constant(x);
    mark(site);
    return id;
  }

  /** Operand to node id: a lifted number's node, or a new constant; `-1` when the operand is not numeric (a string, an object). */
  function operand(x: unknown, site: number | undefined): number {
    const id = idOf(x);
    if (id >= 0) return id;
    // JavaScript's ToNumber, as `Math.max` applies it to each argument (a BigInt or a Symbol throws, as there).
    return constant(typeof x === 'number' ? x : +(x as number), site ?? -1);
  }

  function binary(name: BinaryOpName, x: unknown, y: unknown, site: number, native: (a: number, b: number) => number): unknown {
    const xId = idOf(x);
    const yId = idOf(y);
    // Neither is lifted: exactly what the JavaScript operator does (`+` on strings concatenates).
    if (xId < 0 && yId < 0) return native(x as number, y as number);
    let left = xId;
    let right = yId;
    if (left < 0 || right < 0) {
      // One operand is not lifted: it is converted as JavaScript converts it, once. For `+` a string (or an
      // object whose primitive is one) concatenates; anything else becomes the number JavaScript makes of it.
      const other = left < 0 ? x : y;
      const primitive = name === 'add' ? toPrimitive(other) : other;
      if (name === 'add' && typeof primitive === 'string') return left < 0 ? native(primitive as unknown as number, tape.data[right]) : native(tape.data[left], primitive as unknown as number);
      // A BigInt or a Symbol: the operator's own TypeError.
      if (typeof primitive === 'bigint' || typeof primitive === 'symbol') return left < 0 ? native(primitive as unknown as number, tape.data[right]) : native(tape.data[left], primitive as unknown as number);
      const entry = sites[site];
      const number = typeof primitive === 'number' ? primitive : +(primitive as number);
      if (left < 0) left = constant(number, entry?.[2] ?? -1);
      else right = constant(number, entry?.[3] ?? -1);
    }
    const id = tape.binary(OP_CODE[name], left, right);
    mark(site);
    return lift(id);
  }

  /** JavaScript's ToPrimitive with no hint, as `+` applies it: `Symbol.toPrimitive`, else `valueOf`, then `toString`. */
  function toPrimitive(value: unknown): unknown {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return value;
    const object = value as Record<PropertyKey, unknown>;
    const exotic = object[Symbol.toPrimitive];
    if (exotic !== undefined && exotic !== null) {
      if (typeof exotic !== 'function') throw new TypeError('Symbol.toPrimitive is not a function');
      const result: unknown = apply(exotic as (...args: never[]) => unknown, value, ['default']);
      if ((typeof result === 'object' && result !== null) || typeof result === 'function') throw new TypeError('Cannot convert object to primitive value');
      return result;
    }
    for (const method of ['valueOf', 'toString']) {
      const fn = object[method];
      if (typeof fn !== 'function') continue;
      const result: unknown = apply(fn as (...args: never[]) => unknown, value, []);
      if ((typeof result !== 'object' || result === null) && typeof result !== 'function') return result;
    }
    throw new TypeError('Cannot convert object to primitive value');
  }

  function unary(name: UnaryOpName, x: unknown, site: number): unknown {
    const input = idOf(x);
    if (input < 0) return OPS[name].forward(x as number);
    const id = tape.unary(OP_CODE[name], input);
    mark(site);
    return lift(id);
  }

  function nary(name: 'max' | 'min' | 'hypotN', args: unknown[], site: number, native: (...values: number[]) => number): unknown {
    if (args.length === 0 || !args.some((arg) => idOf(arg) >= 0)) return native(...(args as number[]));
    const inputs = args.map((arg) => operand(arg, undefined));
    const id = tape.nary(OP_CODE[name], inputs);
    mark(site);
    return lift(id);
  }

  const isConstantOrNumber = (x: unknown) => typeof x === 'number' || (idOf(x) >= 0 && tape.code[idOf(x)] === CONST);

  /** `Math`'s functions on lifted numbers, by name. */
  const unaryMath: Record<string, UnaryOpName> = {
    abs: 'abs', acos: 'acos', acosh: 'acosh', asin: 'asin', asinh: 'asinh', atan: 'atan', atanh: 'atanh', cbrt: 'cbrt',
    ceil: 'ceil', cos: 'cos', cosh: 'cosh', exp: 'exp', expm1: 'expm1', floor: 'floor', log: 'log', log10: 'log10',
    log1p: 'log1p', log2: 'log2', round: 'round', sign: 'sign', sin: 'sin', sinh: 'sinh', sqrt: 'sqrt', tan: 'tan',
    tanh: 'tanh', trunc: 'trunc', fround: 'fround', clz32: 'clz32',
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
      case 'imul': return binary('imul', args[0], args[1], site, nativeMath.imul);
      case 'max': return nary('max', args, site, nativeMath.max);
      case 'min': return nary('min', args, site, nativeMath.min);
      case 'hypot':
        if (args.length === 1) return unary('abs', args[0], site);
        if (args.length === 2) return binary('hypot', args[0], args[1], site, nativeMath.hypot);
        return nary('hypotN', args, site, nativeMath.hypot);
      case 'random': return random.next();
      default: {
        const fn = (nativeMath as unknown as Record<string, unknown>)[name];
        if (typeof fn !== 'function') throw new TypeError(`Math.${name} is not a function`);
        return (fn as (...values: unknown[]) => unknown)(...args.map(plain));
      }
    }
  }

  /** A `Math` for the sandbox: the functions accept lifted numbers (for `xs.map(Math.exp)`), the constants are as usual. */
  const sandboxMath: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(nativeMath)) {
    const value = (nativeMath as unknown as Record<string, unknown>)[key];
    sandboxMath[key] = typeof value === 'function' ? (...args: unknown[]) => math(-1, key, ...args) : value;
  }

  /** A lifted number's data, anything else as it is. */
  const plain = (x: unknown) => (idOf(x) >= 0 ? tape.data[idOf(x)] : x);
  const console = createConsole(plain);
  const truthy = (x: unknown) => (idOf(x) >= 0 ? Boolean(tape.data[idOf(x)]) : Boolean(x));

  function describe(value: unknown): string {
    if (arrayIsArray(value)) return 'an array';
    if (value === null) return 'null';
    if (value === undefined) return 'undefined';
    switch (typeof value) {
      case 'string': return 'a string';
      case 'boolean': return 'a boolean';
      case 'function': return 'a function';
      case 'bigint': return 'a bigint';
      case 'symbol': return 'a symbol';
      default: return 'an object';
    }
  }

  const operations: Record<string, (x: unknown, y: unknown, site: number) => unknown> = {
    add: (x, y, site) => binary('add', x, y, site, nativeAdd),
    sub: (x, y, site) => binary('sub', x, y, site, (a, b) => a - b),
    mul: (x, y, site) => binary('mul', x, y, site, (a, b) => a * b),
    div: (x, y, site) => binary('div', x, y, site, (a, b) => a / b),
    mod: (x, y, site) => binary('mod', x, y, site, (a, b) => a % b),
    pow: (x, y, site) => binary(isConstantOrNumber(y) ? 'powConst' : 'pow', x, y, site, (a, b) => a ** b),
  };

  /** What the rewritten snippet calls, as `__gg`. */
  const api = {
    ...operations,
    neg: (x: unknown, site: number) => (idOf(x) >= 0 ? unary('neg', x, site) : -(x as number)),
    /** Unary `+` keeps a lifted number lifted (JavaScript's would turn it into a plain number and cut the graph). */
    plus: (x: unknown) => (idOf(x) >= 0 ? x : +(x as number)),
    /** `===`: lifted numbers compare by data, as numbers would. */
    same: (x: unknown, y: unknown) => plain(x) === plain(y),
    /** `==`: lifted numbers compare by data. */
    equal: (x: unknown, y: unknown) => plain(x) == plain(y), // eslint-disable-line eqeqeq -- this is the rewrite of `==` itself
    /** For `switch`, which compares with `===`. */
    plain,
    /** `typeof`: a lifted number is a number. */
    typeOf: (x: unknown) => (idOf(x) >= 0 ? 'number' : typeof x),
    /** Truthiness for conditions: a lifted number is truthy when its data is (0 and NaN are false). */
    truthy,
    /** `Number(x)`: a lifted number's value as a cut, which stops the gradient (and says so in the graph). */
    number: (x: unknown, site: number) => (idOf(x) >= 0 ? unary('number', x, site) : Number(x)),
    /** `Array(n)` and `new Array(n)` with one argument: a lifted length is its value. */
    plainLength: plain,
    math,
    math1,
    /** `throw value`: notes where, since a thrown value that is not an error has no stack. */
    threw(value: unknown, site: number): unknown {
      lastThrow = { value, site };
      return value;
    },
    /** A top-level `const a = 2` or an element of a top-level array of numbers: a leaf named by label `label`. */
    leaf(x: number, label: number, site: number): unknown {
      const id = newLeaf(x);
      mark(site);
      labelOf[id] = label;
      return lift(id);
    },
    /** Names the node a variable receives, unless it already has a name. */
    label(x: unknown, label: number): unknown {
      const id = idOf(x);
      if (id >= 0) name(id, label);
      return x;
    },
    enter: groups.enter,
    exit: groups.exit,
    nnNew: nn.nnNew,
    nnCall: nn.nnCall,
    loopEnter: groups.loopEnter,
    iteration: groups.iteration,
    output(value: unknown, site: number, label: number): void {
      outputSite = site;
      outputLabel = label;
      const id = idOf(value);
      if (id >= 0) {
        output = id;
      } else if (typeof value === 'number') {
        output = constant(value, site);
      } else {
        stop({ kind: 'error', message: `the output \`${config.labels[label] ?? 'output'}\` is ${describe(value)}; end the snippet with the number to differentiate`, site, position: undefined });
      }
      name(output, label);
    },
  };

  /** Runs the rewritten snippet (the script calls this once, before any of its own code). */
  function run(snippet: (runtime: typeof api, math: typeof sandboxMath, exports: object) => void): void {
    if (ran) throw new TypeError('the snippet runs once');
    ran = true;
    try {
      apply(snippet, globalThis, [api, sandboxMath, {}]);
    } catch (error) {
      thrown = describeFailure(error);
    }
  }

  /** The failure to report, as JSON, or undefined when the snippet ran to its output. */
  function failure(): string | undefined {
    const problem: StopReason | undefined = stopped
      ?? thrown
      ?? (output < 0 ? { kind: 'error', message: 'the snippet has no output', site: outputSite, position: undefined } : undefined);
    if (!problem) return undefined;
    const position = problem.position;
    return `{"failure":{"kind":${jsonStringify(problem.kind)},"message":${jsonStringify(problem.message)},"site":${problem.site}${position ? `,"line":${position.line},"character":${position.character}` : ''}},"logs":${console.json()}}`;
  }

  function describeFailure(value: unknown): StopReason {
    if (stopped && value === stopError) return stopped;
    const { name: errorName, message, position } = stacks.describeThrown(value);
    const text = errorName === 'EvalError' && message === CODE_GENERATION_MESSAGE
      ? 'eval and new Function are not available in a snippet: write the code itself'
      : `${errorName}: ${message}`;
    const site = lastThrow && lastThrow.value === value ? lastThrow.site : lastSite;
    return { kind: 'error', message: text, site, position };
  }

  const host: RuntimeHost = {
    configure: (configJson) => {
      config = JSON.parse(configJson) as RuntimeConfig;
      sites = config.sites;
      random = new Random(config.randomSeed);
      stacks.configure(config.chunks, config.fileName);
    },
    finish: () => {
      if (finished) return '{"failure":{"kind":"error","message":"finished twice","site":-1},"logs":[]}';
      finished = true;
      try {
        const early = failure();
        if (early !== undefined) return early;
        // The graph's gradients are the output's own: when the snippet ran backward passes of its own, its
        // `.grad`s hold their sum (as it asked), which is not ∂output/∂node.
        if (steps.count() === 0) tape.backward(output);
        else reported = tape.gradientsOf(output);
        const recorded = steps.columns();
        return `{"nodeCount":${tape.length},"naryLength":${tape.naryLength},"groupCount":${groups.count()},"stepCount":${recorded.count},"entryCount":${recorded.entryCount},"output":${output},"outputLabel":${outputLabel},"logs":${console.json()}${nn.addedJson()}}`;
      } catch (error) {
        // Our own code failed on what the snippet left behind (a replaced built-in): say so, without reading it.
        void error;
        return '{"failure":{"kind":"error","message":"the snippet left the runtime unable to finish (did it replace a built-in?)","site":-1},"logs":[]}';
      }
    },
    column: (column) => {
      switch (column) {
        case 'data': return tape.data;
        case 'grad': return reported ?? tape.grad;
        case 'code': return tape.code;
        case 'first': return tape.first;
        case 'second': return tape.second;
        case 'naryInputs': return tape.naryInputs;
        case 'site': return siteOf;
        case 'group': return groupOf;
        case 'label': return labelOf;
        case 'stepOutput': return steps.columns().output;
        case 'stepLoss': return steps.columns().loss;
        case 'stepEntryCount': return steps.columns().entryCountOf;
        case 'stepFull': return steps.columns().full;
        case 'entryNode': return steps.columns().node;
        case 'entryGrad': return steps.columns().grad;
        case 'entryAccumulated': return steps.columns().accumulated;
        case 'entryData': return steps.columns().data;
        default: return groups.column(column);
      }
    },
    runningSite: () => {
      const loop = groups.innermostLoop();
      return loop >= 0 ? config.groupSites[loop].site : lastSite;
    },
    inLoop: () => groups.innermostLoop() >= 0,
  };

  prepareRealm({ idOf, plain, truthy, toNumber: (x) => unary('number', x, -1), positiveZero: (x) => binary('add', x, 0, -1, nativeAdd), prototype });

  const global = globalThis as unknown as Record<string, unknown>;
  global[RUNTIME_GLOBAL] = api;
  // The script's first call; locked like `Error`, so that it is the runtime's when the script starts.
  Object.defineProperty(globalThis, `${RUNTIME_GLOBAL}Run`, { value: run, writable: false, configurable: false, enumerable: false });
  global.Math = sandboxMath;
  global.console = console.api;
  return host;
}

function grown(array: Int32Array<ArrayBuffer>, capacity: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(capacity);
  bigger.set(array);
  return bigger;
}
