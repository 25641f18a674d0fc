/**
 * Training in snippets: `mseLoss` and the optimizers `SGD` and `Adam`, globals of the sandbox's realm with
 * the update rules of the engine's (src/engine/nn.ts, which follow torch.optim). Part of the sandbox
 * runtime (runs inside the vm context). An optimizer keeps its parameters' node ids and its moments in
 * typed arrays and sets the leaves' data in place, as micrograd's `p.data += -lr * p.grad`: a step makes
 * no node. Only plain loops and functions captured before the snippet runs are used.
 */
import { LEAF, OP_CODE } from '../engine/ops.ts';
import type { Tape } from '../engine/tape.ts';
import { arrayIsArray } from './sandboxIntrinsics.ts';
import { describe } from './sandboxNnWeights.ts';

const NativeTypeError = TypeError;
const sqrt = Math.sqrt;
const Ids = Int32Array;
const Floats = Float64Array;

export interface OptimRuntime {
  readonly tape: Tape;
  readonly idOf: (value: unknown) => number;
  readonly lift: (id: number) => unknown;
  readonly mark: (site: number) => void;
}

export function createOptim({ tape, idOf, lift, mark }: OptimRuntime) {
  /** A number argument or option: a lifted one counts by its value; `fallback` when it is undefined. */
  function numberOf(value: unknown, what: string, fallback?: number): number {
    if (value === undefined && fallback !== undefined) return fallback;
    const number = idOf(value) >= 0 ? tape.data[idOf(value)] : value;
    if (typeof number !== 'number') throw new NativeTypeError(`${what} must be a number, not ${describe(value)}`);
    return number;
  }

  /** The node ids of an optimizer's parameters: leaves only, since a step sets their data. */
  function leavesOf(parameters: unknown, optimizer: string): Int32Array {
    const usage = `new ${optimizer}(mlp.parameters(), { lr: 0.05 })`;
    if (!arrayIsArray(parameters)) throw new NativeTypeError(`${optimizer} takes an array of parameters, not ${describe(parameters)}: ${usage}`);
    const list = parameters as unknown[];
    const ids = new Ids(list.length);
    for (let k = 0; k < list.length; k++) {
      const id = idOf(list[k]);
      if (id < 0 || tape.code[id] !== LEAF) throw new NativeTypeError(`${optimizer}'s parameter ${k} is not a leaf (a weight or a top-level number): a step sets leaves' data in place, as in ${usage}`);
      ids[k] = id;
    }
    return ids;
  }

  function zero(ids: Int32Array): void {
    for (let k = 0; k < ids.length; k++) tape.grad[ids[k]] = 0;
  }

  /** The mean of the squared errors, `Σ (p - t)² / n`, as the engine's `mseLoss`. */
  function mseLossAt(predictions: unknown, targets: unknown, site: number): unknown {
    if (!arrayIsArray(predictions) || !arrayIsArray(targets)) throw new NativeTypeError(`mseLoss(predictions, targets) takes two arrays of numbers, not ${describe(predictions)} and ${describe(targets)}`);
    const p = predictions as unknown[];
    const t = targets as unknown[];
    if (p.length !== t.length || p.length === 0) throw new NativeTypeError(`mseLoss takes as many targets as predictions, at least one: here ${p.length} predictions and ${t.length} targets`);
    const node = (value: unknown, what: string): number => {
      const id = idOf(value);
      if (id >= 0) return id;
      if (typeof value !== 'number') throw new NativeTypeError(`mseLoss: ${what} is ${describe(value)}, not a number`);
      const constant = tape.constant(value);
      mark(site);
      return constant;
    };
    const squares = new Ids(p.length);
    for (let k = 0; k < p.length; k++) {
      const error = tape.binary(OP_CODE.sub, node(p[k], `predictions[${k}]`), node(t[k], `targets[${k}]`));
      squares[k] = tape.binary(OP_CODE.mul, error, error);
      mark(site);
    }
    // The tape reads only the length and indices of its inputs, which a typed array has.
    const sum = tape.nary(OP_CODE.sum, squares as unknown as number[]);
    const count = tape.constant(p.length);
    const mean = tape.binary(OP_CODE.div, sum, count);
    mark(site);
    return lift(mean);
  }

  /** Stochastic gradient descent with optional momentum, as torch.optim.SGD (`v = μv + g; p -= lr·v`). */
  class SGD {
    readonly #ids: Int32Array;
    readonly #velocity: Float64Array;
    readonly #lr: number;
    readonly #momentum: number;

    constructor(parameters: unknown, options?: { lr?: unknown; momentum?: unknown }) {
      this.#ids = leavesOf(parameters, 'SGD');
      this.#velocity = new Floats(this.#ids.length);
      if (options?.lr === undefined) throw new NativeTypeError('SGD needs a learning rate: new SGD(mlp.parameters(), { lr: 0.05 })');
      this.#lr = numberOf(options.lr, 'lr');
      this.#momentum = numberOf(options.momentum, 'momentum', 0);
    }

    step(): void {
      const ids = this.#ids;
      for (let k = 0; k < ids.length; k++) {
        this.#velocity[k] = this.#momentum * this.#velocity[k] + tape.grad[ids[k]];
        tape.data[ids[k]] -= this.#lr * this.#velocity[k];
      }
    }

    zeroGrad(): void {
      zero(this.#ids);
    }
  }

  /** Adam, as torch.optim.Adam (bias-corrected first and second moments). */
  class Adam {
    readonly #ids: Int32Array;
    readonly #first: Float64Array;
    readonly #second: Float64Array;
    readonly #options: { readonly lr: number; readonly beta1: number; readonly beta2: number; readonly eps: number };
    #steps = 0;

    constructor(parameters: unknown, options?: { lr?: unknown; beta1?: unknown; beta2?: unknown; eps?: unknown }) {
      this.#ids = leavesOf(parameters, 'Adam');
      this.#first = new Floats(this.#ids.length);
      this.#second = new Floats(this.#ids.length);
      this.#options = {
        lr: numberOf(options?.lr, 'lr', 0.001), beta1: numberOf(options?.beta1, 'beta1', 0.9),
        beta2: numberOf(options?.beta2, 'beta2', 0.999), eps: numberOf(options?.eps, 'eps', 1e-8),
      };
    }

    step(): void {
      const { lr, beta1, beta2, eps } = this.#options;
      this.#steps++;
      const correction1 = 1 - beta1 ** this.#steps;
      const correction2 = 1 - beta2 ** this.#steps;
      const ids = this.#ids;
      for (let k = 0; k < ids.length; k++) {
        const grad = tape.grad[ids[k]];
        this.#first[k] = beta1 * this.#first[k] + (1 - beta1) * grad;
        this.#second[k] = beta2 * this.#second[k] + (1 - beta2) * grad * grad;
        const denominator = sqrt(this.#second[k]) / sqrt(correction2) + eps;
        tape.data[ids[k]] -= (lr / correction1) * (this.#first[k] / denominator);
      }
    }

    zeroGrad(): void {
      zero(this.#ids);
    }
  }

  /** `mseLoss(predictions, targets)` as the snippet calls it unrewritten (`const f = mseLoss`): no site. */
  const mseLoss = (predictions: unknown, targets: unknown): unknown => mseLossAt(predictions, targets, -1);
  return { classes: { SGD, Adam }, mseLoss, mseLossAt };
}
