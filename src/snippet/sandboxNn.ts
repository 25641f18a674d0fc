/**
 * micrograd's `nn` in snippets: `Neuron`, `Layer` and `MLP` as globals of the sandbox's realm, so that
 * micrograd's nn.py and its lessons port line for line. Part of the sandbox runtime (runs inside the vm
 * context): everything here is made by the runtime, and the values it makes are ordinary lifted numbers.
 *
 * A module is callable (`mlp(x)`, as Python's `__call__`): its constructor returns a function that carries
 * the class's prototype. Its weights are node ids that the runtime keeps (in a WeakMap whose methods are
 * captured before the snippet runs); its public fields (`w`, `b`, `neurons`, `layers`) are lifted copies
 * for the snippet to read, so that assigning them changes nothing the module computes.
 *
 * Weights are drawn as the engine's `nn` draws them (src/engine/nn.ts): one mulberry32 generator per
 * `new MLP` (seed 1337 unless `seed` is given) or per standalone `new Layer`/`new Neuron` (seed 1337),
 * uniform in [-1, 1), in the order layer, neuron, input; biases are 0.
 */
import { OP_CODE } from '../engine/ops.ts';
import { Random } from '../engine/random.ts';
import { apply, arrayIsArray, originalMethod } from './sandboxIntrinsics.ts';
import { createWeights, describe, ids, LAYER_KIND, MLP_KIND, NEURON_KIND, type NnRuntime, type Weights } from './sandboxNnWeights.ts';

export type { NnRuntime } from './sandboxNnWeights.ts';

interface ModuleState {
  readonly kind: number;
  readonly weights: Weights;
  /** The `new …` expression that made the module, -1 if the rewriter did not see it. */
  readonly site: number;
}

const NativeTypeError = TypeError;
const setPrototypeOf = Object.setPrototypeOf;
const reflectConstruct = Reflect.construct;
const isInteger = Number.isInteger;
const weakGet = originalMethod(WeakMap.prototype, 'get');
const weakSet = originalMethod(WeakMap.prototype, 'set');
const ACTIVATION_CODES = { __proto__: null, relu: OP_CODE.relu, tanh: OP_CODE.tanh, sigmoid: OP_CODE.sigmoid, linear: -1 } as unknown as Readonly<Record<string, number | undefined>>;

export function createNn(runtime: NnRuntime) {
  const { tape, idOf, lift } = runtime;
  const { draw, part, forward, liftAll } = createWeights(runtime);
  const states = new WeakMap<object, ModuleState>();
  const stateOf = (value: unknown): ModuleState | undefined =>
    (typeof value === 'function' ? apply(weakGet, states, [value]) as ModuleState | undefined : undefined);
  const register = (module: object, state: ModuleState) => apply(weakSet, states, [module, state]);
  /** The site of the `new` that `construct` runs, for the constructor to take. */
  let pendingSite = -1;
  /** The weights of a part of a module being made (`mlp.layers[0]`), for its constructor to take: the snippet cannot set it. */
  let pendingPart: ModuleState | undefined;
  const take = (): { site: number; part: ModuleState | undefined } => {
    const taken = { site: pendingPart?.site ?? pendingSite, part: pendingPart };
    pendingSite = -1;
    pendingPart = undefined;
    return taken;
  };
  const makePart = <T>(kind: number, weights: Weights, site: number, make: () => T): T => {
    pendingPart = { kind, weights, site };
    return make();
  };

  function size(value: unknown, what: string, usage: string): number {
    const number = idOf(value) >= 0 ? tape.data[idOf(value)] : value;
    if (typeof number !== 'number' || !isInteger(number) || number < 1) throw new NativeTypeError(`${what} must be a positive whole number, not ${describe(value)}: ${usage}`);
    return number;
  }

  /**
   * The base of the modules: its constructor returns a function with the module's prototype, so that the
   * module is called as `n(x)` and still has its class's fields and methods.
   */
  class Callable {
    constructor(prototype: object) {
      const module = function (x?: unknown): unknown {
        const state = stateOf(module);
        if (state === undefined) throw new NativeTypeError('this module was not made: its constructor failed');
        return forward(state.kind, state.weights, x, state.site);
      };
      setPrototypeOf(module, prototype);
      return module as unknown as Callable;
    }

    /** Every weight and bias, as lifted leaves (nn.py's `parameters()`). */
    parameters(): unknown[] {
      return liftAll(stateOf(this)?.weights.parameters ?? ids(0, () => 0));
    }

    /** Sets every parameter's gradient to 0 (nn.py's `zero_grad()`). */
    zeroGrad(): void {
      const parameters = stateOf(this)?.weights.parameters ?? ids(0, () => 0);
      for (let k = 0; k < parameters.length; k++) tape.grad[parameters[k]] = 0;
    }
  }

  /** nn.py's `Neuron(nin, nonlin=True)`: `relu(w·x + b)`, or `w·x + b` when `nonlin` is false. */
  class Neuron extends Callable {
    readonly w: unknown[];
    readonly b: unknown;
    readonly nonlin: boolean;

    constructor(nin: unknown, nonlin: unknown = true) {
      super(new.target.prototype);
      const { site, part: given } = take();
      const inputs = given ? given.weights.sizes[0] : size(nin, 'nin', 'new Neuron(3) makes a neuron of 3 inputs');
      const weights = given?.weights ?? draw(ids(2, (k) => (k === 0 ? inputs : 1)), ids(1, () => (nonlin ? OP_CODE.relu : -1)), new Random(1337), site, NEURON_KIND, () => '');
      register(this, { kind: NEURON_KIND, weights, site });
      this.w = liftAll(ids(inputs, (i) => weights.parameters[i]));
      this.b = lift(weights.parameters[inputs]);
      this.nonlin = weights.activations[0] >= 0;
    }
  }

  /** nn.py's `Layer(nin, nout)`: `nout` neurons that see the same inputs; a call returns a number when `nout` is 1. */
  class Layer extends Callable {
    readonly neurons: Neuron[] = [];

    constructor(nin: unknown, nout: unknown, nonlin: unknown = true) {
      super(new.target.prototype);
      const { site, part: given } = take();
      const usage = 'new Layer(3, 4) makes 4 neurons of 3 inputs';
      const inputs = given ? given.weights.sizes[0] : size(nin, 'nin', usage);
      const outputs = given ? given.weights.sizes[1] : size(nout, 'nout', usage);
      const weights = given?.weights ?? draw(ids(2, (k) => (k === 0 ? inputs : outputs)), ids(1, () => (nonlin ? OP_CODE.relu : -1)), new Random(1337), site, LAYER_KIND, (_, n) => `N${n}.`);
      register(this, { kind: LAYER_KIND, weights, site });
      for (let n = 0; n < outputs; n++) this.neurons[n] = makePart(NEURON_KIND, part(weights, 0, n), site, () => new Neuron(inputs));
    }
  }

  /** nn.py's `MLP(nin, nouts)`, with `activation` for the hidden layers (default relu, as nn.py); the last layer is linear. */
  class MLP extends Callable {
    readonly layers: Layer[] = [];

    constructor(nin: unknown, nouts: unknown, options?: { seed?: unknown; activation?: unknown }) {
      super(new.target.prototype);
      const { site } = take();
      const usage = 'new MLP(3, [4, 4, 1]) makes a network of 3 inputs, two hidden layers of 4 neurons and one output';
      const inputs = size(nin, 'nin', usage);
      if (!arrayIsArray(nouts) || (nouts as unknown[]).length === 0) throw new NativeTypeError(`MLP needs nouts, the sizes of its layers, not ${describe(nouts)}: ${usage}`);
      const layerSizes = nouts as unknown[];
      const sizes = ids(layerSizes.length + 1, (k) => (k === 0 ? inputs : size(layerSizes[k - 1], `nouts[${k - 1}]`, usage)));
      const seed: unknown = options?.seed ?? 1337;
      const seedNumber = idOf(seed) >= 0 ? tape.data[idOf(seed)] : seed;
      if (typeof seedNumber !== 'number') throw new NativeTypeError(`MLP's seed must be a number, not ${describe(seed)}`);
      const activation: unknown = options?.activation ?? 'relu';
      const code = typeof activation === 'string' ? ACTIVATION_CODES[activation] : undefined;
      if (code === undefined) throw new NativeTypeError("MLP's activation must be 'relu', 'tanh', 'sigmoid' or 'linear'");
      const activations = ids(layerSizes.length, (l) => (l === layerSizes.length - 1 ? -1 : code));
      const weights = draw(sizes, activations, new Random(seedNumber), site, MLP_KIND, (l, n) => `L${l}.N${n}.`);
      register(this, { kind: MLP_KIND, weights, site });
      for (let l = 0; l < layerSizes.length; l++) this.layers[l] = makePart(LAYER_KIND, part(weights, l, -1), site, () => new Layer(sizes[l], sizes[l + 1]));
    }
  }

  return {
    classes: { Neuron, Layer, MLP },
    /** `new C(…args)` as the rewriter emits it for the nn classes' names: their own get the site, anything else runs as written. */
    construct(constructor: unknown, site: number, args: unknown[]): unknown {
      if (constructor === Neuron || constructor === Layer || constructor === MLP) pendingSite = site;
      try {
        return reflectConstruct(constructor as new (...values: unknown[]) => unknown, args);
      } finally {
        pendingSite = -1;
        pendingPart = undefined;
      }
    },
    /** A module's forward pass at the call's site, or undefined when `value` is not a module. */
    callModule(value: unknown, x: unknown, site: number): { readonly result: unknown } | undefined {
      const state = stateOf(value);
      return state ? { result: forward(state.kind, state.weights, x, site >= 0 ? site : state.site) } : undefined;
    },
  };
}
