import { Random } from './random.ts';
import { binary, noGrad, nary, Value, type ValueLike } from './value.ts';

/** What a neuron applies to `w·x + b`. micrograd's neurons use `relu`; `linear` applies nothing. */
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';

/** Anything with parameters: micrograd's `Module`, with `zeroGrad()` and `parameters()`. */
export abstract class Module {
  abstract parameters(): Value[];

  /** Sets the gradient of every parameter to 0 (only these: other values on the tape keep theirs). */
  zeroGrad(): void {
    for (const parameter of this.parameters()) parameter.grad = 0;
  }
}

export interface NeuronOptions {
  /** Default `relu`, as micrograd's `nonlin=True`. */
  readonly activation?: Activation;
  /** Default: a generator seeded with 1337. */
  readonly random?: Random;
}

/** One neuron: weights uniform in [-1, 1), bias 0, `activation(w·x + b)`, as micrograd's `Neuron`. */
export class Neuron extends Module {
  readonly w: Value[];
  readonly b: Value;
  readonly activation: Activation;

  constructor(inputs: number, options: NeuronOptions = {}) {
    super();
    const random = options.random ?? new Random();
    this.w = Array.from({ length: inputs }, (_, index) => new Value(random.uniform(-1, 1), `w${index}`));
    this.b = new Value(0, 'b');
    this.activation = options.activation ?? 'relu';
  }

  /** `activation(w·x + b)`: the products and the bias are summed as one node. */
  call(x: readonly ValueLike[]): Value {
    const terms: ValueLike[] = this.w.map((w, index) => binary('mul', w, x[index]));
    terms.push(this.b);
    const sum = nary('sum', terms);
    return this.activation === 'linear' ? sum : sum[this.activation]();
  }

  parameters(): Value[] {
    return [...this.w, this.b];
  }
}

/** A layer of neurons that all see the same inputs, as micrograd's `Layer`. */
export class Layer extends Module {
  readonly neurons: Neuron[];

  constructor(inputs: number, outputs: number, options: NeuronOptions = {}) {
    super();
    const random = options.random ?? new Random();
    this.neurons = Array.from({ length: outputs }, () => new Neuron(inputs, { ...options, random }));
  }

  call(x: readonly ValueLike[]): Value[] {
    return this.neurons.map((neuron) => neuron.call(x));
  }

  parameters(): Value[] {
    return this.neurons.flatMap((neuron) => neuron.parameters());
  }
}

export interface MLPOptions {
  /** The hidden layers' activation; the last layer is linear, as in micrograd. Default `relu`. */
  readonly activation?: Activation;
  /** Seed of the weights' generator, default 1337. */
  readonly seed?: number;
}

/** A multi-layer perceptron, micrograd's `MLP(nin, nouts)`: `new MLP(2, [16, 16, 1])`. */
export class MLP extends Module {
  readonly layers: Layer[];

  constructor(inputs: number, outputs: readonly number[], options: MLPOptions = {}) {
    super();
    const random = new Random(options.seed ?? 1337);
    const sizes = [inputs, ...outputs];
    this.layers = outputs.map((_, index) => new Layer(sizes[index], sizes[index + 1], {
      activation: index === outputs.length - 1 ? 'linear' : options.activation ?? 'relu',
      random,
    }));
  }

  /** The network's outputs for one input vector. */
  call(x: readonly ValueLike[]): Value[] {
    let activations: readonly ValueLike[] = x;
    for (const layer of this.layers) activations = layer.call(activations);
    return activations as Value[];
  }

  parameters(): Value[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }
}

/** Mean squared error over predictions and targets of the same length. */
export function mseLoss(predictions: readonly Value[], targets: readonly ValueLike[]): Value {
  const squares = predictions.map((prediction, index) => {
    const error = binary('sub', prediction, targets[index]);
    return binary('mul', error, error);
  });
  return binary('div', nary('sum', squares), predictions.length);
}

/** The SVM hinge loss of micrograd's demo: mean of `relu(1 - y·score)`, labels ±1. */
export function hingeLoss(scores: readonly Value[], labels: readonly number[]): Value {
  const margins = scores.map((score, index) => binary('sub', 1, binary('mul', score, labels[index])).relu());
  return binary('div', nary('sum', margins), scores.length);
}

/** An optimizer updates parameters in place from their gradients. */
export interface Optimizer {
  step(): void;
  zeroGrad(): void;
}

/** Stochastic gradient descent with optional momentum, as `torch.optim.SGD` (`v = μv + g; p -= lr·v`). */
export class SGD implements Optimizer {
  private readonly velocity: Float64Array;

  constructor(private readonly parameters: readonly Value[], private readonly options: { lr: number; momentum?: number }) {
    this.velocity = new Float64Array(parameters.length);
  }

  step(): void {
    const { lr, momentum = 0 } = this.options;
    noGrad(() => this.parameters.forEach((parameter, index) => {
      this.velocity[index] = momentum * this.velocity[index] + parameter.grad;
      parameter.data -= lr * this.velocity[index];
    }));
  }

  zeroGrad(): void {
    for (const parameter of this.parameters) parameter.grad = 0;
  }
}

/** Adam, as `torch.optim.Adam` (bias-corrected first and second moments). */
export class Adam implements Optimizer {
  private readonly first: Float64Array;
  private readonly second: Float64Array;
  private steps = 0;

  constructor(
    private readonly parameters: readonly Value[],
    private readonly options: { lr?: number; beta1?: number; beta2?: number; eps?: number } = {},
  ) {
    this.first = new Float64Array(parameters.length);
    this.second = new Float64Array(parameters.length);
  }

  step(): void {
    const { lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = this.options;
    this.steps++;
    const correction1 = 1 - beta1 ** this.steps;
    const correction2 = 1 - beta2 ** this.steps;
    this.parameters.forEach((parameter, index) => {
      const grad = parameter.grad;
      this.first[index] = beta1 * this.first[index] + (1 - beta1) * grad;
      this.second[index] = beta2 * this.second[index] + (1 - beta2) * grad * grad;
      const denominator = Math.sqrt(this.second[index]) / Math.sqrt(correction2) + eps;
      parameter.data -= (lr / correction1) * (this.first[index] / denominator);
    });
  }

  zeroGrad(): void {
    for (const parameter of this.parameters) parameter.grad = 0;
  }
}
