import { CONST, FIRST_OP_CODE, LEAF, OP_BY_CODE, OP_CODE, OPS, type BinaryOp, type NaryOp, type UnaryOp } from './ops.ts';

const { add: ADD, mul: MUL, sub: SUB, tanh: TANH, sin: SIN } = OP_CODE;

/** Where in a document a node was made: 0-based lines and characters, end exclusive, as VS Code counts. */
export interface SourceRange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

const INITIAL_CAPACITY = 1024;

/**
 * What one backward pass computed, for a caller that keeps it (a training step's own gradients): for each
 * node it reached, ∂output/∂node of this pass alone. `adjoint` may be the tape's `grad` itself (on a first
 * pass, when every grad was 0), so it holds this pass's values only until the tape changes.
 */
export interface BackwardPass {
  readonly adjoint: Float64Array;
  /** The nodes this pass reached (the output and everything it depends on, constants aside), descending. */
  readonly nodes: Int32Array;
}

/**
 * The recording of a computation: one row per node, in creation order, held in typed arrays.
 *
 * Why a tape: creation order is already a topological order (a node's inputs exist before it), so
 * backward is one reverse loop over op codes, with no recursive topological sort (which overflows the
 * stack past a few thousand levels), no closure per node and no set per node. A node costs 25 bytes:
 * `data` and `grad` (8 each), its op code (1) and two input slots (4 each). A binary node's slots hold
 * its inputs; an n-ary node's hold an offset and a count into `naryInputs`.
 */
export class Tape {
  /** Number of nodes recorded. Node ids are 0 … length - 1. */
  length = 0;
  data = new Float64Array(INITIAL_CAPACITY);
  grad = new Float64Array(INITIAL_CAPACITY);
  /** `LEAF`, `CONST`, or an op code (see `OP_CODE`). */
  code = new Uint8Array(INITIAL_CAPACITY);
  first = new Int32Array(INITIAL_CAPACITY);
  second = new Int32Array(INITIAL_CAPACITY);
  naryInputs = new Int32Array(INITIAL_CAPACITY);
  naryLength = 0;
  /** Names and source ranges are sparse, so they live in side tables. */
  readonly labels = new Map<number, string>();
  readonly ranges = new Map<number, SourceRange>();
  /** True once a backward pass has written gradients that `zeroGrad` has not cleared. */
  private hasGradients = false;
  /** Scratch for an operation's gradient contributions, reused so that backward allocates nothing per node. */
  private readonly pair = new Float64Array(2);
  private naryScratch = new Float64Array(16);

  leaf(data: number): number {
    return this.push(LEAF, data, -1, -1);
  }

  constant(data: number): number {
    return this.push(CONST, data, -1, -1);
  }

  unary(code: number, input: number): number {
    const op = OP_BY_CODE[code - FIRST_OP_CODE] as UnaryOp;
    return this.push(code, op.forward(this.data[input]), input, -1);
  }

  binary(code: number, left: number, right: number): number {
    const op = OP_BY_CODE[code - FIRST_OP_CODE] as BinaryOp;
    return this.push(code, op.forward(this.data[left], this.data[right]), left, right);
  }

  nary(code: number, inputs: readonly number[]): number {
    const op = OP_BY_CODE[code - FIRST_OP_CODE] as NaryOp;
    const count = inputs.length;
    if (this.naryLength + count > this.naryInputs.length) {
      this.naryInputs = grow(this.naryInputs, this.naryLength + count);
    }
    const offset = this.naryLength;
    for (let k = 0; k < count; k++) this.naryInputs[offset + k] = inputs[k];
    this.naryLength += count;
    return this.push(code, op.forward(this.inputData(offset, count)), offset, count);
  }

  /** The ids of a node's inputs, in order. */
  inputsOf(id: number): number[] {
    const code = this.code[id];
    if (code < FIRST_OP_CODE) return [];
    const op = OP_BY_CODE[code - FIRST_OP_CODE];
    if (op.arity === 1) return [this.first[id]];
    if (op.arity === 2) return [this.first[id], this.second[id]];
    return Array.from(this.naryInputs.subarray(this.first[id], this.first[id] + this.second[id]));
  }

  /**
   * Backpropagates from `output`: adds ∂output/∂node to every node's `grad`, for nodes the output depends on.
   *
   * Gradients accumulate as in PyTorch: a node used twice sums both contributions, and a second backward
   * without `zeroGrad` adds to the first. Constants never get a gradient. A node the output does not
   * depend on keeps its gradient (no NaN from `0 × ∞` can reach it), which is why `reached` is tracked.
   */
  backward(output: number): BackwardPass {
    const count = output + 1;
    // On the first pass every grad is 0, so this pass's adjoints can be written straight into `grad`.
    // After that, a pass must not re-propagate gradients of earlier passes: it works in a scratch array.
    const adjoint = this.hasGradients ? new Float64Array(count) : this.grad;
    const nodes = this.propagate(output, adjoint);
    if (adjoint !== this.grad) {
      for (let index = 0; index < nodes.length; index++) this.grad[nodes[index]] += adjoint[nodes[index]];
    }
    this.hasGradients = true;
    return { adjoint, nodes };
  }

  /**
   * ∂output/∂node for every node, in an array of its own, leaving `grad` as it is: this pass's gradients
   * only, whatever earlier passes accumulated (what a graph of `output` shows).
   */
  gradientsOf(output: number): Float64Array {
    const adjoint = new Float64Array(this.length);
    this.propagate(output, adjoint);
    return adjoint;
  }

  /**
   * The backward loop: adds this pass's contributions into `adjoint`; returns the nodes it reached, in the
   * order it visited them (descending), so that callers need not scan the whole tape again.
   */
  private propagate(output: number, adjoint: Float64Array): Int32Array {
    // Which nodes the pass has reached, a bit each: the loop below finds the next reached node 32 at a
    // time, so that a training step, whose pass reaches its own few hundred nodes and the parameters at
    // the start of a long tape, does not walk every node of the earlier steps one by one.
    const reached = new Int32Array((output >>> 5) + 1);
    let visited = this.visited.length >= 64 ? this.visited : (this.visited = new Int32Array(64));
    let visitedCount = 0;
    const { data, code, first, second, pair } = this;
    adjoint[output] += 1;
    reached[output >>> 5] |= 1 << (output & 31);
    for (let word = output >>> 5; word >= 0; word--) {
      // The bits of this word at or below the node visited last (its inputs, set meanwhile, are below it).
      let below = -1;
      for (;;) {
        const bits = reached[word] & below;
        if (bits === 0) break;
        const bit = 31 - Math.clz32(bits);
        below = (1 << bit) - 1;
        const node = (word << 5) | bit;
        if (visitedCount === visited.length) visited = this.visited = grow(visited, visitedCount + 1);
        visited[visitedCount++] = node;
        if (code[node] < FIRST_OP_CODE) continue;
        const upstream = adjoint[node];
        const op = OP_BY_CODE[code[node] - FIRST_OP_CODE];
        if (op.arity === 2) {
          const left = first[node];
          const right = second[node];
          // The commonest operations call their own table entry: a call the JIT can inline, where the call
          // through `op` (a different function from node to node) cannot be, and boxes every number it passes.
          // The rule itself still lives only in the table.
          switch (code[node]) {
            case ADD: OPS.add.backward(upstream, data[left], data[right], data[node], pair); break;
            case MUL: OPS.mul.backward(upstream, data[left], data[right], data[node], pair); break;
            case SUB: OPS.sub.backward(upstream, data[left], data[right], data[node], pair); break;
            default: op.backward(upstream, data[left], data[right], data[node], pair);
          }
          if (code[left] !== CONST) { adjoint[left] += pair[0]; reached[left >>> 5] |= 1 << (left & 31); }
          if (code[right] !== CONST) { adjoint[right] += pair[1]; reached[right >>> 5] |= 1 << (right & 31); }
        } else if (op.arity === 1) {
          const input = first[node];
          switch (code[node]) {
            case TANH: OPS.tanh.backward(upstream, data[input], data[node], pair); break;
            case SIN: OPS.sin.backward(upstream, data[input], data[node], pair); break;
            default: op.backward(upstream, data[input], data[node], pair);
          }
          if (code[input] !== CONST) { adjoint[input] += pair[0]; reached[input >>> 5] |= 1 << (input & 31); }
        } else {
          const offset = first[node];
          const inputCount = second[node];
          const into = this.scratchFor(inputCount);
          op.backward(upstream, this.inputData(offset, inputCount), data[node], into);
          for (let k = 0; k < inputCount; k++) {
            const input = this.naryInputs[offset + k];
            if (code[input] !== CONST) { adjoint[input] += into[k]; reached[input >>> 5] |= 1 << (input & 31); }
          }
        }
      }
    }
    return visited.slice(0, visitedCount);
  }

  /** Scratch for the nodes a pass visits, reused from pass to pass. */
  private visited = new Int32Array(0);

  /**
   * Sets a node's accumulated gradient (`p.grad = 0`). A gradient set by hand counts as one written, so
   * that the next pass works in a scratch array and never takes it for its own upstream gradient.
   */
  setGrad(id: number, grad: number): void {
    this.grad[id] = grad;
    if (grad !== 0) this.hasGradients = true;
  }

  /** Sets every gradient to 0, as before any backward pass. */
  zeroGrad(): void {
    this.grad.fill(0, 0, this.length);
    this.hasGradients = false;
  }

  /**
   * Forgets every node from `length` on, so that a training loop can reuse the tape: record the
   * parameters, take `const mark = tape.length`, and `rewind(mark)` after each step. Handles to the
   * forgotten nodes must not be used afterwards.
   */
  rewind(length: number): void {
    if (length > this.length || length < 0) throw new RangeError(`cannot rewind a tape of ${this.length} nodes to ${length}`);
    let naryLength = 0;
    for (let node = length - 1; node >= 0; node--) {
      const code = this.code[node];
      if (code >= FIRST_OP_CODE && OP_BY_CODE[code - FIRST_OP_CODE].arity === 'n') {
        naryLength = this.first[node] + this.second[node];
        break;
      }
    }
    for (const map of [this.labels, this.ranges]) {
      for (const id of map.keys()) if (id >= length) map.delete(id);
    }
    this.grad.fill(0, length, this.length);
    this.length = length;
    this.naryLength = naryLength;
  }

  /**
   * Records a node whose value the caller has computed with its op's forward rule (`first`, `second`:
   * its inputs, or -1). `Value`'s methods record through this, so that the JIT can inline the rule.
   */
  push(code: number, data: number, first: number, second: number): number {
    const id = this.length;
    if (id === this.data.length) this.reserve(id + 1);
    this.data[id] = data;
    this.code[id] = code;
    this.first[id] = first;
    this.second[id] = second;
    this.length = id + 1;
    return id;
  }

  private reserve(needed: number): void {
    this.data = grow(this.data, needed);
    this.grad = grow(this.grad, needed);
    this.code = grow(this.code, needed);
    this.first = grow(this.first, needed);
    this.second = grow(this.second, needed);
  }

  /** The input values of an n-ary node, in a reused view (`subarray` per node allocated one object each time). */
  private inputData(offset: number, count: number): Float64Array {
    if (this.inputScratch.length < count) {
      this.inputScratch = new Float64Array(count * 2);
      this.inputViews = [];
    }
    const values = (this.inputViews[count] ??= this.inputScratch.subarray(0, count));
    for (let k = 0; k < count; k++) values[k] = this.data[this.naryInputs[offset + k]];
    return values;
  }

  /** Scratch for n-ary nodes: input values (`inputScratch`, seen through `inputViews` by count) and gradient contributions. */
  private inputScratch = new Float64Array(16);
  private inputViews: Float64Array[] = [];
  private scratchFor(count: number): Float64Array {
    if (this.naryScratch.length < count) this.naryScratch = new Float64Array(count * 2);
    return this.naryScratch;
  }
}

type TypedArray = Float64Array | Int32Array | Uint8Array;

/** A copy with room for at least `needed` elements: doubling, so that recording stays linear. */
function grow<T extends TypedArray>(array: T, needed: number): T {
  let capacity = array.length * 2;
  while (capacity < needed) capacity *= 2;
  const bigger = new (array.constructor as new (length: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}
