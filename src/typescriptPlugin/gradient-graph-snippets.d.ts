// What a Gradient Graph snippet has at run time, for TypeScript in the editor: micrograd's members on every
// number, and the `nn` globals. The one copy of these declarations: the TypeScript server plugin
// (./index.ts) adds this file to the projects that use the snippet API, examples/tsconfig.json names it,
// and the build ships it beside the plugin. The globals are interfaces and `declare var`s, not classes, so
// that a second identical copy (one a user keeps for tsc) merges with this one instead of clashing.
// Needs TypeScript 5.0 or later (const type parameters): the plugin adds it to no older TypeScript.

interface Number {
  /**
   * The value itself. Assign to it to move a leaf in place (`w.data -= lr * w.grad`): what is computed
   * from the leaf afterwards uses the new value.
   *
   * micrograd: `Value.data` · PyTorch: `tensor.data`
   */
  data: number;
  /**
   * ∂output/∂this, filled by `backward()`. Gradients add up over passes, as in PyTorch: set it to 0
   * (or call `zeroGrad()`) between them.
   *
   * micrograd: `Value.grad` · PyTorch: `tensor.grad`
   */
  grad: number;
  /**
   * Backpropagation from this value: adds ∂this/∂v to `v.grad` for every value `v` it was computed from
   * (its own gradient counts as 1).
   *
   * micrograd: `Value.backward()` · PyTorch: `tensor.backward()`
   */
  backward(): void;
}

/**
 * One neuron: `relu(w·x + b)` (or `w·x + b` when linear), weights uniform in [-1, 1), bias 0. Call it on an
 * input vector: `n(x)`.
 *
 * micrograd: `nn.Neuron` · PyTorch: one row of `torch.nn.Linear`, with its activation
 */
interface Neuron {
  /** The neuron's output. micrograd: `Neuron.__call__(x)` */
  (x: number[]): number;
  /** The weights, one per input. micrograd: `Neuron.w` · PyTorch: a row of `Linear.weight` */
  w: number[];
  /** The bias. micrograd: `Neuron.b` · PyTorch: an entry of `Linear.bias` */
  b: number;
  /** Whether the neuron applies relu. micrograd: `Neuron.nonlin` */
  nonlin: boolean;
  /** `[...w, b]`. micrograd: `Neuron.parameters()` · PyTorch: `module.parameters()` */
  parameters(): number[];
  /** Sets every parameter's `grad` to 0. micrograd: `Module.zero_grad()` · PyTorch: `module.zero_grad()` */
  zeroGrad(): void;
}

/** micrograd's `Neuron`: `const n = new Neuron(3)`, then `n([1, 2, 3])`. */
declare var Neuron: GradientGraph.NeuronConstructor;

/**
 * A layer of neurons that all see the same inputs. Call it on an input vector: `layer(x)` gives a number
 * when the layer has one neuron, else an array (micrograd's `out[0] if len(out) == 1 else out`).
 *
 * micrograd: `nn.Layer` · PyTorch: `torch.nn.Linear` with its activation
 */
interface Layer<Out extends number | number[] = number | number[]> {
  /** The neurons' outputs (one number for a one-neuron layer). micrograd: `Layer.__call__(x)` */
  (x: number[]): Out;
  /** The layer's neurons. micrograd: `Layer.neurons` */
  neurons: Neuron[];
  /** Every neuron's parameters, in order. micrograd: `Layer.parameters()` · PyTorch: `module.parameters()` */
  parameters(): number[];
  /** Sets every parameter's `grad` to 0. micrograd: `Module.zero_grad()` · PyTorch: `module.zero_grad()` */
  zeroGrad(): void;
}

/** micrograd's `Layer`: `const layer = new Layer(3, 4)`, then `layer([1, 2, 3])`. */
declare var Layer: GradientGraph.LayerConstructor;

/**
 * A multi-layer perceptron. Call it on an input vector: `mlp(x)` gives a number when the last layer has one
 * neuron, else an array.
 *
 * micrograd: `nn.MLP` · PyTorch: `nn.Sequential` of `nn.Linear` and activations
 */
interface MLP<Out extends number | number[] = number | number[]> {
  /** The network's output. micrograd: `MLP.__call__(x)` · PyTorch: `model(x)` */
  (x: number[]): Out;
  /** The layers, input side first. micrograd: `MLP.layers` */
  layers: Layer[];
  /** Every layer's parameters, in order. micrograd: `MLP.parameters()` · PyTorch: `model.parameters()` */
  parameters(): number[];
  /** Sets every parameter's `grad` to 0. micrograd: `Module.zero_grad()` · PyTorch: `model.zero_grad()` */
  zeroGrad(): void;
}

/** micrograd's `MLP`: `const mlp = new MLP(3, [4, 4, 1])`, then `mlp([1, 2, 3])` is a number. */
declare var MLP: GradientGraph.MLPConstructor;

/**
 * Mean squared error: the mean of `(prediction - target) ** 2` over the pairs.
 *
 * PyTorch: `torch.nn.functional.mse_loss(predictions, targets)` · micrograd's demo sums the squares instead
 */
declare function mseLoss(predictions: number[], targets: number[]): number;

/** Stochastic gradient descent, with optional momentum. PyTorch: `torch.optim.SGD` */
interface SGD extends GradientGraph.Optimizer {}

/** `torch.optim.SGD`: `const optimizer = new SGD(mlp.parameters(), { lr: 0.05 })`. */
declare var SGD: GradientGraph.SGDConstructor;

/** Adam, with bias-corrected moments. PyTorch: `torch.optim.Adam` */
interface Adam extends GradientGraph.Optimizer {}

/** `torch.optim.Adam`: `const optimizer = new Adam(mlp.parameters(), { lr: 0.01 })`. */
declare var Adam: GradientGraph.AdamConstructor;

/**
 * The globals' helper types, in one namespace so that they add no other global names. (No type aliases:
 * two copies of an alias clash, two copies of an interface merge.)
 */
declare namespace GradientGraph {
  /** How an `MLP` is made: the seed of its weights and its hidden layers' activation. */
  interface MLPOptions {
    /** Seed of the weights' random generator (default 1337): the same seed gives the same network. */
    seed?: number;
    /** The hidden layers' activation (default `relu`, as micrograd); the last layer is always linear. */
    activation?: 'relu' | 'tanh' | 'sigmoid' | 'linear';
  }

  /** What every optimizer does. PyTorch: `torch.optim.Optimizer` */
  interface Optimizer {
    /**
     * Updates every parameter's `data` from its `grad` (call it after `backward()`).
     *
     * PyTorch: `optimizer.step()` · micrograd: the loop `p.data += -lr * p.grad`
     */
    step(): void;
    /** Sets every parameter's `grad` to 0 (call it before the next `backward()`). PyTorch: `optimizer.zero_grad()` */
    zeroGrad(): void;
  }

  interface NeuronConstructor {
    /**
     * A neuron with `nin` inputs; `nonlin` (default true) applies relu to `w·x + b`.
     *
     * micrograd: `Neuron(nin, nonlin=True)`
     */
    new (nin: number, nonlin?: boolean): Neuron;
  }

  interface LayerConstructor {
    /**
     * A layer of `nout` neurons with `nin` inputs each; `nonlin` (default true) as for a `Neuron`.
     *
     * micrograd: `Layer(nin, nout, nonlin=True)` · PyTorch: `nn.Linear(nin, nout)` and an activation
     */
    new <const Nout extends number>(nin: number, nout: Nout, nonlin?: boolean): Layer<
      // A number for one neuron; either when `nout` is not a literal.
      number extends Nout ? number | number[] : Nout extends 1 ? number : number[]
    >;
  }

  interface MLPConstructor {
    /**
     * A network with `nin` inputs and one layer per entry of `nouts` (its size): `new MLP(3, [4, 4, 1])`.
     * Written as an array literal, `nouts` tells TypeScript whether `mlp(x)` is a number (last entry 1) or
     * an array.
     *
     * micrograd: `MLP(nin, nouts)` · PyTorch: `nn.Sequential(nn.Linear(3, 4), nn.ReLU(), …)`
     */
    new <const N extends readonly number[]>(nin: number, nouts: N, options?: MLPOptions): MLP<
      // A number when the last layer has one neuron; either when `nouts` is not an array literal.
      N extends readonly [...number[], 1] ? number : number extends N['length'] ? number | number[] : number[]
    >;
  }

  interface SGDConstructor {
    /**
     * Stochastic gradient descent: `v = momentum·v + grad; data -= lr·v` (momentum default 0).
     *
     * PyTorch: `torch.optim.SGD(parameters, lr, momentum)`
     */
    new (parameters: number[], options: { lr: number; momentum?: number }): SGD;
  }

  interface AdamConstructor {
    /**
     * Adam (defaults: lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8).
     *
     * PyTorch: `torch.optim.Adam(parameters, lr, betas=(beta1, beta2), eps)`
     */
    new (parameters: number[], options?: { lr?: number; beta1?: number; beta2?: number; eps?: number }): Adam;
  }
}
