/**
 * What `nn`'s modules compute, over typed arrays of node ids: drawing the weights and the forward pass.
 * Part of the sandbox runtime (runs inside the vm context); sandboxNn.ts has the classes the snippet sees.
 * Only plain loops, typed arrays and functions captured before the snippet runs are used, so that a
 * snippet that replaces `Array.prototype.map`, `Math` or `Symbol.iterator` cannot change what a module
 * computes.
 */
import { OP_CODE } from '../engine/ops.ts';
import type { Random } from '../engine/random.ts';
import type { Tape } from '../engine/tape.ts';
import type { AddedTables } from './sandboxAdded.ts';
import type { createGroups } from './sandboxGroups.ts';
import { arrayIsArray } from './sandboxIntrinsics.ts';

/** What the modules need of the runtime. */
export interface NnRuntime {
  readonly tape: Tape;
  readonly idOf: (value: unknown) => number;
  readonly lift: (id: number) => unknown;
  /** Gives the nodes made since the last call their site and the current group, and enforces the node limit. */
  readonly mark: (site: number) => void;
  /** Names a node that was just marked. */
  readonly name: (id: number, label: number) => void;
  readonly groups: Pick<ReturnType<typeof createGroups>, 'enter' | 'exit'>;
  readonly added: AddedTables;
  /** Makes a leaf (the runtime's, which the gradient check may move). */
  readonly newLeaf: (value: number) => number;
}

/**
 * A module's weights: its sizes (inputs, then each layer's outputs), each layer's activation op code (-1:
 * linear), and the parameters' node ids, layer by layer, neuron by neuron, `w0 … w(n-1), b` (nn.py's order).
 */
export interface Weights {
  readonly sizes: Int32Array;
  readonly activations: Int32Array;
  readonly parameters: Int32Array;
}

/** Which module a call is of, for its call groups: an MLP's call nests layers, a layer's nests neurons. */
export const MLP_KIND = 0, LAYER_KIND = 1, NEURON_KIND = 2;
export const KIND_NAMES = ['MLP', 'Layer', 'Neuron'] as const;

const Ids = Int32Array;
const NativeTypeError = TypeError;

/** What a value is, for error messages (no code of the value's runs). */
export function describe(value: unknown): string {
  if (arrayIsArray(value)) return 'an array';
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A typed array of `length` ids, `fill(k)` each. */
export function ids(length: number, fill: (index: number) => number): Int32Array {
  const array = new Ids(length);
  for (let k = 0; k < length; k++) array[k] = fill(k);
  return array;
}

export function createWeights({ tape, idOf, lift, mark, name, groups, added, newLeaf }: NnRuntime) {
  /** Enters call group `groupName` at `site`; -1 (no group) when the site is unknown, since a group needs a range. */
  const enter = (groupName: string, site: number): number => (site >= 0 ? groups.enter(added.callGroup(groupName, site)) : -1);
  const exit = (token: number): void => {
    if (token >= 0) groups.exit(token);
  };

  function leaf(value: number, label: string, site: number): number {
    const id = newLeaf(value);
    mark(site);
    name(id, added.label(label));
    return id;
  }

  /** Draws the weights of layers `sizes`, labelled `prefix(layer, neuron)` + `w0`…/`b`, inside the construction's groups. */
  function draw(sizes: Int32Array, activations: Int32Array, random: Random, site: number, kind: number, prefix: (layer: number, neuron: number) => string): Weights {
    let count = 0;
    for (let l = 0; l + 1 < sizes.length; l++) count += sizes[l + 1] * (sizes[l] + 1);
    const parameters = new Ids(count);
    let at = 0;
    const outer = enter(`new ${KIND_NAMES[kind]}`, site);
    try {
      for (let l = 0; l + 1 < sizes.length; l++) {
        const layerToken = kind === MLP_KIND ? enter('new Layer', site) : -1;
        for (let n = 0; n < sizes[l + 1]; n++) {
          const neuronToken = kind !== NEURON_KIND ? enter('new Neuron', site) : -1;
          const label = prefix(l, n);
          for (let i = 0; i < sizes[l]; i++) parameters[at++] = leaf(random.uniform(-1, 1), `${label}w${i}`, site);
          parameters[at++] = leaf(0, `${label}b`, site);
          exit(neuronToken);
        }
        exit(layerToken);
      }
    } finally {
      exit(outer);
    }
    return { sizes, activations, parameters };
  }

  /** Layer `layer`'s neuron `neuron` (all of the layer when `neuron` is -1) as weights of its own: the same leaves. */
  function part(weights: Weights, layer: number, neuron: number): Weights {
    let offset = 0;
    for (let l = 0; l < layer; l++) offset += weights.sizes[l + 1] * (weights.sizes[l] + 1);
    const inputs = weights.sizes[layer];
    const outputs = neuron < 0 ? weights.sizes[layer + 1] : 1;
    if (neuron > 0) offset += neuron * (inputs + 1);
    return {
      sizes: ids(2, (k) => (k === 0 ? inputs : outputs)),
      activations: ids(1, () => weights.activations[layer]),
      parameters: ids(outputs * (inputs + 1), (k) => weights.parameters[offset + k]),
    };
  }

  /** The node ids of an input array, numbers becoming constants. */
  function inputIds(x: unknown, count: number, module: string, site: number): Int32Array {
    const call = module === 'Neuron' ? 'n' : module.toLowerCase();
    if (!arrayIsArray(x)) throw new NativeTypeError(`${module}(x) takes an array of ${count} numbers, not ${describe(x)}: call it as ${call}([…])`);
    const values = x as unknown[];
    if (values.length !== count) throw new NativeTypeError(`${module}(x) takes ${count} inputs, not ${values.length}: call it with an array of ${count} numbers`);
    return ids(count, (k) => {
      const value = values[k];
      const id = idOf(value);
      if (id >= 0) return id;
      if (typeof value !== 'number') throw new NativeTypeError(`${module}(x): x[${k}] is ${describe(value)}, not a number`);
      const constant = tape.constant(value);
      mark(site);
      return constant;
    });
  }

  /** `activation(w·x + b)` for every neuron of every layer, as nn.py's `__call__`s, in nested call groups; one output is a number. */
  function forward(kind: number, weights: Weights, x: unknown, site: number): unknown {
    const { sizes, activations, parameters } = weights;
    let inputs = inputIds(x, sizes[0], KIND_NAMES[kind], site);
    const outer = kind === MLP_KIND ? enter('MLP', site) : -1;
    try {
      let at = 0;
      for (let l = 0; l + 1 < sizes.length; l++) {
        const outputs = new Ids(sizes[l + 1]);
        const layerToken = kind !== NEURON_KIND ? enter('Layer', site) : -1;
        try {
          for (let n = 0; n < outputs.length; n++) {
            const neuronToken = enter('Neuron', site);
            const terms = new Ids(inputs.length + 1);
            for (let i = 0; i < inputs.length; i++) terms[i] = tape.binary(OP_CODE.mul, parameters[at++], inputs[i]);
            terms[inputs.length] = parameters[at++];
            // One sum node for w·x + b, as the engine's Neuron; the tape reads only the length and indices of its inputs.
            const sum = tape.nary(OP_CODE.sum, terms as unknown as number[]);
            outputs[n] = activations[l] < 0 ? sum : tape.unary(activations[l], sum);
            mark(site);
            exit(neuronToken);
          }
        } finally {
          exit(layerToken);
        }
        inputs = outputs;
      }
    } finally {
      exit(outer);
    }
    return inputs.length === 1 ? lift(inputs[0]) : liftAll(inputs);
  }

  function liftAll(list: Int32Array): unknown[] {
    const result: unknown[] = [];
    for (let k = 0; k < list.length; k++) result[k] = lift(list[k]);
    return result;
  }

  return { draw, part, forward, liftAll };
}
