/**
 * The three workloads, with the same math in every implementation: the engine, hand-written closed-form
 * gradients in plain JavaScript, the micrograd-style closure port and tfjs (PyTorch's versions are in
 * torch_bench.py, fed the same numbers). Every function runs forward and backward and hands back the
 * output and the gradients, so test/bench/closureEngine.test.ts can check that they all do the same work.
 *
 * - W1: the chain `x = x*0.9999 + 0.0001*sin(x)` from 0.5; gradient dx/dx0. Six engine nodes a step.
 * - W2: MLP 2-16-16-1 (tanh, linear output) with the engine's seeded initial weights, MSE over fixed
 *   examples; gradient of the loss wrt every parameter, in `MLP.parameters()` order.
 * - W3: Σ a_i·b_i over seeded inputs, as one n-ary sum node (`sum`) or as chained adds (`chain`, what a
 *   micrograd user writes); gradient wrt every a_i then every b_i.
 */
import type { Scalar, Tensor, Tf } from './tfjs.ts';
import { Value as ClosureValue } from './closureEngine.ts';
import { MLP, mseLoss, nary, Random, Tape, useTape, Value, type Activation } from '../src/engine/index.ts';
import { OP_CODE } from '../src/engine/ops.ts';

export { Tape };

/** What every implementation returns. `nodes` is the engine's tape length, the common denominator. */
export interface Outcome {
  readonly output: number;
  readonly grads: ArrayLike<number>;
  readonly nodes?: number;
  /** The engine's recording, so that a memory measurement can hold it while it measures. */
  readonly tape?: Tape;
}

/** Drops the engine's current recording (a new, empty tape becomes current), so memory can be measured from zero. */
export function releaseTape(): void {
  useTape(new Tape());
}

/** Called now and then during a run, to sample memory while the tape is growing (see engine.ts). */
export type Probe = () => void;
const PROBE_EVERY = 4096;

// ---------------------------------------------------------------------------------------------- W1

export const W1_START = 0.5;

/**
 * The tape an engine run records on: a new one (a one-off evaluation, paying for fresh memory), or
 * `reuse` rewound to empty (a re-evaluation, which keeps the typed arrays it already grew).
 */
function startTape(reuse?: Tape): Tape {
  if (reuse === undefined) return useTape(new Tape());
  reuse.rewind(0);
  reuse.zeroGrad();
  return useTape(reuse);
}

export function engineW1(steps: number, probe?: Probe, reuse?: Tape): Outcome {
  const tape = startTape(reuse);
  const x0 = new Value(W1_START);
  let x = x0;
  for (let step = 0; step < steps; step++) {
    x = x.mul(0.9999).add(x.sin().mul(0.0001));
    if (probe !== undefined && step % PROBE_EVERY === 0) probe();
  }
  x.backward();
  probe?.();
  return { output: x.data, grads: [x0.grad], nodes: tape.length, tape };
}

/**
 * A snippet's number as the sandbox makes it: an object that holds only its node id, in a private field
 * (sandboxLifted.ts). One per value, as there.
 */
class Handle {
  readonly #id: number;
  constructor(id: number) {
    this.#id = id;
  }
  static idOf(value: Handle): number {
    return value.#id;
  }
}

/**
 * W1 by the path a snippet's code takes: the tape's `binary`/`unary` by op code through the op table, a
 * constant node for each literal operand and a handle object for each value (what the sandbox runtime
 * does per operation, without its source sites and limits).
 */
export function runtimeW1(steps: number, probe?: Probe, reuse?: Tape): Outcome {
  const tape = startTape(reuse);
  const { mul, add, sin } = OP_CODE;
  const x0 = new Handle(tape.leaf(W1_START));
  let x = x0;
  for (let step = 0; step < steps; step++) {
    const scaled = new Handle(tape.binary(mul, Handle.idOf(x), tape.constant(0.9999)));
    const sine = new Handle(tape.unary(sin, Handle.idOf(x)));
    const small = new Handle(tape.binary(mul, Handle.idOf(sine), tape.constant(0.0001)));
    x = new Handle(tape.binary(add, Handle.idOf(scaled), Handle.idOf(small)));
    if (probe !== undefined && step % PROBE_EVERY === 0) probe();
  }
  const output = Handle.idOf(x);
  tape.backward(output);
  probe?.();
  return { output: tape.data[output], grads: [tape.grad[Handle.idOf(x0)]], nodes: tape.length, tape };
}

/** The practical limit: one forward loop that carries the derivative along (dx/dx0 = Π f'(x_k)). */
export function closedW1(steps: number): Outcome {
  let x = W1_START;
  let derivative = 1;
  for (let step = 0; step < steps; step++) {
    derivative *= 0.9999 + 0.0001 * Math.cos(x);
    x = x * 0.9999 + 0.0001 * Math.sin(x);
  }
  return { output: x, grads: [derivative] };
}

/** Throws RangeError (stack overflow) past a few thousand steps: micrograd's recursive topological sort. */
export function closureW1(steps: number): Outcome {
  const x0 = new ClosureValue(W1_START);
  let x = x0;
  for (let step = 0; step < steps; step++) x = x.mul(0.9999).add(x.sin().mul(0.0001));
  x.backward();
  return { output: x.data, grads: [x0.grad] };
}

// ---------------------------------------------------------------------------------------------- W2

export interface MlpLayer {
  /** weights[j][i]: input i of neuron j. */
  readonly weights: number[][];
  readonly biases: number[];
  readonly activation: Activation;
}

export interface W2Data {
  readonly layers: MlpLayer[];
  readonly xs: number[][];
  readonly ys: number[];
}

const W2_SIZES = [16, 16, 1];

/**
 * The engine's `MLP(2, [16, 16, 1], tanh)` initial weights (seed 1337) and `count` examples from
 * `Random(42)`: x uniform in [-1, 1)², y = sin(2·x0) + x1².
 */
export function w2Data(count: number): W2Data {
  useTape(new Tape());
  const model = new MLP(2, W2_SIZES, { activation: 'tanh' });
  const layers = model.layers.map((layer): MlpLayer => ({
    weights: layer.neurons.map((neuron) => neuron.w.map((w) => w.data)),
    biases: layer.neurons.map((neuron) => neuron.b.data),
    activation: layer.neurons[0].activation,
  }));
  const random = new Random(42);
  const xs = Array.from({ length: count }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
  return { layers, xs, ys: xs.map(([a, b]) => Math.sin(2 * a) + b * b) };
}

/**
 * The engine as a training loop uses it: the model's parameters are recorded once, and each step
 * records forward, runs backward, reads the gradients and rewinds the tape to the parameters.
 */
export class EngineW2 {
  readonly tape = new Tape();
  private readonly model: MLP;
  private readonly mark: number;

  constructor(private readonly data: W2Data) {
    useTape(this.tape);
    this.model = new MLP(2, W2_SIZES, { activation: 'tanh' });
    this.mark = this.tape.length;
  }

  run(probe?: Probe): Outcome {
    const { tape, model, data } = this;
    tape.zeroGrad();
    const predictions = data.xs.map((x, index) => {
      if (probe !== undefined && index % 16 === 0) probe();
      return model.call(x)[0];
    });
    const loss = mseLoss(predictions, data.ys);
    loss.backward();
    probe?.();
    const outcome = { output: loss.data, grads: model.parameters().map((p) => p.grad), nodes: tape.length, tape };
    tape.rewind(this.mark);
    return outcome;
  }
}

/** Hand-written backprop over Float64Arrays: the fastest a JavaScript programmer would write it. */
export class ClosedW2 {
  /** Per layer: weights row by row, each row followed by its bias, which is `MLP.parameters()` order. */
  private readonly params: Float64Array;
  private readonly offsets: number[] = [];
  private readonly activations: Float64Array[];
  private readonly deltas: Float64Array[];
  private readonly sizes: number[];

  constructor(private readonly data: W2Data) {
    this.sizes = [data.layers[0].weights[0].length, ...data.layers.map((layer) => layer.biases.length)];
    const flat: number[] = [];
    for (const layer of data.layers) {
      this.offsets.push(flat.length);
      layer.weights.forEach((row, j) => flat.push(...row, layer.biases[j]));
    }
    this.params = Float64Array.from(flat);
    this.activations = this.sizes.map((size) => new Float64Array(size));
    this.deltas = this.sizes.map((size) => new Float64Array(size));
  }

  run(): Outcome {
    const { params, offsets, activations, deltas, sizes, data } = this;
    const layers = data.layers;
    const grads = new Float64Array(params.length);
    const count = data.xs.length;
    let loss = 0;
    for (let example = 0; example < count; example++) {
      activations[0].set(data.xs[example]);
      // Forward, keeping every layer's output.
      for (let l = 0; l < layers.length; l++) {
        const inputs = activations[l];
        const outputs = activations[l + 1];
        const fanIn = sizes[l];
        const tanh = layers[l].activation === 'tanh';
        for (let j = 0, row = offsets[l]; j < sizes[l + 1]; j++, row += fanIn + 1) {
          let sum = 0;
          for (let i = 0; i < fanIn; i++) sum += params[row + i] * inputs[i];
          sum += params[row + fanIn];
          outputs[j] = tanh ? Math.tanh(sum) : sum;
        }
      }
      const error = activations[layers.length][0] - data.ys[example];
      loss += error * error;
      // Backward: delta = ∂loss/∂(pre-activation sum) of each neuron, layer by layer.
      deltas[layers.length][0] = (2 * error) / count;
      for (let l = layers.length - 1; l >= 0; l--) {
        const inputs = activations[l];
        const outputs = activations[l + 1];
        const fanIn = sizes[l];
        const tanh = layers[l].activation === 'tanh';
        const below = deltas[l].fill(0);
        for (let j = 0, row = offsets[l]; j < sizes[l + 1]; j++, row += fanIn + 1) {
          const delta = tanh ? deltas[l + 1][j] * (1 - outputs[j] * outputs[j]) : deltas[l + 1][j];
          for (let i = 0; i < fanIn; i++) grads[row + i] += delta * inputs[i];
          // The inputs' own gradient is not needed below the first layer.
          if (l > 0) for (let i = 0; i < fanIn; i++) below[i] += delta * params[row + i];
          grads[row + fanIn] += delta;
        }
      }
    }
    return { output: loss / count, grads };
  }
}

/** The closure port, used as a micrograd user would: parameters made once, grads zeroed each step. */
export class ClosureW2 {
  private readonly layers: { neurons: { w: ClosureValue[]; b: ClosureValue }[]; activation: Activation }[];
  private readonly params: ClosureValue[];

  constructor(private readonly data: W2Data) {
    this.layers = data.layers.map((layer) => ({
      neurons: layer.weights.map((row, j) => ({ w: row.map((w) => new ClosureValue(w)), b: new ClosureValue(layer.biases[j]) })),
      activation: layer.activation,
    }));
    this.params = this.layers.flatMap((layer) => layer.neurons.flatMap((neuron) => [...neuron.w, neuron.b]));
  }

  run(): Outcome {
    for (const p of this.params) p.grad = 0;
    const squares = this.data.xs.map((x, example) => {
      let activations: (ClosureValue | number)[] = x;
      for (const layer of this.layers) {
        const inputs = activations;
        activations = layer.neurons.map((neuron) => {
          const sum = ClosureValue.sum([...neuron.w.map((w, i) => w.mul(inputs[i])), neuron.b]);
          return layer.activation === 'tanh' ? sum.tanh() : sum;
        });
      }
      const error = (activations[0] as ClosureValue).sub(this.data.ys[example]);
      return error.mul(error);
    });
    const loss = ClosureValue.sum(squares).div(squares.length);
    loss.backward();
    return { output: loss.data, grads: this.params.map((p) => p.grad) };
  }
}

// ---------------------------------------------------------------------------------------------- W3

export type W3Mode = 'sum' | 'chain';

/** `count` pairs (a_i, b_i) uniform in [-1, 1) from `Random(3)`. */
export function w3Data(count: number): { a: Float64Array; b: Float64Array } {
  const random = new Random(3);
  const a = new Float64Array(count);
  const b = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    a[i] = random.uniform(-1, 1);
    b[i] = random.uniform(-1, 1);
  }
  return { a, b };
}

export function engineW3(a: Float64Array, b: Float64Array, mode: W3Mode, probe?: Probe, reuse?: Tape): Outcome {
  const tape = startTape(reuse);
  const count = a.length;
  const as: Value[] = new Array<Value>(count);
  const bs: Value[] = new Array<Value>(count);
  const products: Value[] = new Array<Value>(count);
  for (let i = 0; i < count; i++) {
    as[i] = new Value(a[i]);
    bs[i] = new Value(b[i]);
    products[i] = as[i].mul(bs[i]);
    if (probe !== undefined && i % PROBE_EVERY === 0) probe();
  }
  // `nary` takes an array: `Value.sum(...products)` would spread 1e5 arguments onto the stack.
  const out = mode === 'sum' ? nary('sum', products) : products.reduce((total, product) => total.add(product));
  out.backward();
  probe?.();
  const grads = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    grads[i] = as[i].grad;
    grads[count + i] = bs[i].grad;
  }
  return { output: out.data, grads, nodes: tape.length, tape };
}

/** Trivial by hand: ∂/∂a_i = b_i and ∂/∂b_i = a_i. */
export function closedW3(a: Float64Array, b: Float64Array): Outcome {
  const count = a.length;
  const grads = new Float64Array(2 * count);
  let output = 0;
  for (let i = 0; i < count; i++) {
    output += a[i] * b[i];
    grads[i] = b[i];
    grads[count + i] = a[i];
  }
  return { output, grads };
}

/** The `chain` mode overflows the stack past a few thousand terms (recursive topological sort). */
export function closureW3(a: Float64Array, b: Float64Array, mode: W3Mode): Outcome {
  const count = a.length;
  const as = Array.from(a, (x) => new ClosureValue(x));
  const bs = Array.from(b, (x) => new ClosureValue(x));
  const products = as.map((x, i) => x.mul(bs[i]));
  const out = mode === 'sum' ? ClosureValue.sum(products) : products.reduce((total, product) => total.add(product));
  out.backward();
  const grads = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    grads[i] = as[i].grad;
    grads[count + i] = bs[i].grad;
  }
  return { output: out.data, grads };
}

// ---------------------------------------------------------------------------------------------- tfjs

/**
 * tfjs with one scalar tensor per value, differentiated by `tf.valueAndGrads`. Its CPU backend computes
 * in float32 only (it has no float64), so its results agree with the others to about 1e-6.
 */
export type { Tf } from './tfjs.ts';

export function tfjsW1(tf: Tf, steps: number): Outcome {
  const chain = (x0: Tensor): Scalar => {
    let x = x0;
    for (let step = 0; step < steps; step++) x = tf.add(tf.mul(x, 0.9999), tf.mul(tf.sin(x), 0.0001));
    return x;
  };
  return tfjsGrads(tf, chain, [tf.scalar(W1_START)]);
}

export function tfjsW2(tf: Tf, data: W2Data): Outcome {
  const shapes = data.layers.map((layer) => ({ fanIn: layer.weights[0].length, size: layer.biases.length, activation: layer.activation }));
  const flat = data.layers.flatMap((layer) => layer.weights.flatMap((row, j) => [...row, layer.biases[j]]));
  const loss = (...params: Tensor[]): Scalar => {
    const squares = data.xs.map((x, example) => {
      let activations: (Tensor | number)[] = x;
      let offset = 0;
      for (const { fanIn, size, activation } of shapes) {
        const inputs = activations;
        activations = Array.from({ length: size }, () => {
          const terms = inputs.map((input, i) => tf.mul(params[offset + i], input));
          terms.push(params[offset + fanIn]);
          offset += fanIn + 1;
          const sum = tf.addN(terms);
          return activation === 'tanh' ? tf.tanh(sum) : sum;
        });
      }
      const error = tf.sub(activations[0], data.ys[example]);
      return tf.mul(error, error);
    });
    return tf.div(tf.addN(squares), squares.length);
  };
  return tfjsGrads(tf, loss, flat.map((p) => tf.scalar(p)));
}

export function tfjsW3(tf: Tf, a: Float64Array, b: Float64Array, mode: W3Mode): Outcome {
  const count = a.length;
  const dot = (...inputs: Tensor[]): Scalar => {
    const products = Array.from({ length: count }, (_, i) => tf.mul(inputs[i], inputs[count + i]));
    return (mode === 'sum' ? tf.addN(products) : products.reduce((total, product) => tf.add(total, product)));
  };
  return tfjsGrads(tf, dot, [...Array.from(a, (x) => tf.scalar(x)), ...Array.from(b, (x) => tf.scalar(x))]);
}

/** Runs `f` and its gradient inside `tf.tidy`, reads them out, and frees every tensor. */
function tfjsGrads(tf: Tf, f: (...inputs: Tensor[]) => Scalar, inputs: Tensor[]): Outcome {
  const { value, grads } = tf.tidy(() => tf.valueAndGrads(f)(inputs));
  const outcome: Outcome = { output: value.dataSync()[0], grads: grads.map((grad) => grad.dataSync()[0]) };
  tf.dispose([value, ...grads, ...inputs]);
  return outcome;
}

/**
 * How far `grads` is from `reference`: the largest absolute difference over the largest reference
 * gradient. Scaled by the whole vector, so a gradient that is nearly 0 does not make a ratio blow up.
 */
export function relativeError(grads: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (grads.length !== reference.length) return Infinity;
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < grads.length; i++) {
    difference = Math.max(difference, Math.abs(grads[i] - reference[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  return difference === 0 ? 0 : difference / scale;
}
