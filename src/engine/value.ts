import { CONST, FIRST_OP_CODE, LEAF, OP_BY_CODE, OP_CODE, OPS, type BinaryOp, type BinaryOpName, type NaryOpName, type UnaryOp, type UnaryOpName } from './ops.ts';
import { Tape, type SourceRange } from './tape.ts';

/** Where new values are recorded unless a tape is given: `useTape` swaps it. */
let currentTape = new Tape();
/** Depth of nested `noGrad` calls: above 0, operations compute values and record nothing. */
let noGradDepth = 0;
/** The constructor's `id` when it should record a new leaf. */
const NEW_LEAF = -2;

/** The tape new values are recorded on. */
export function getTape(): Tape {
  return currentTape;
}

/** Records on `tape` from now on (a fresh one if none is given) and returns it. */
export function useTape(tape: Tape = new Tape()): Tape {
  currentTape = tape;
  return tape;
}

/**
 * Runs `fn` without recording: values made inside are plain numbers wrapped as `Value`s that are not on
 * any tape (like tensors made under `torch.no_grad()`); used in a recorded operation later, they count as
 * constants. For optimizer steps and evaluation.
 */
export function noGrad<T>(fn: () => T): T {
  noGradDepth++;
  try {
    return fn();
  } finally {
    noGradDepth--;
  }
}

export type ValueLike = Value | number;

/**
 * A scalar that remembers how it was computed, micrograd's `Value`: `a.mul(b).add(c).tanh()`, `.data`,
 * `.grad`, `.backward()`. It is a thin handle (tape and node id) over a row of a `Tape`; a value made
 * under `noGrad` has no row (`id` is -1) and keeps its number itself.
 */
export class Value {
  readonly tape: Tape;
  readonly id: number;
  /**
   * A detached value's number. Only detached values get this property (`declare` emits no field), so
   * that a recorded value is two fields, not three: handles kept alive in large numbers (a parameter
   * list, W3's 1e5 pairs) are then a sixth smaller for the garbage collector to copy, which made W3
   * about 30% faster.
   */
  declare private detached: number;

  /**
   * A leaf: a value the user made (a parameter or an input), which gets a gradient. `id` is internal:
   * `Value.of` wraps an existing node with it, and -1 makes a detached value holding `data` itself.
   */
  constructor(data: number, label?: string, tape: Tape = currentTape, id = NEW_LEAF) {
    this.tape = tape;
    if (id === NEW_LEAF && noGradDepth > 0) id = -1;
    if (id === NEW_LEAF) {
      this.id = tape.leaf(data);
      if (label !== undefined) tape.labels.set(this.id, label);
    } else {
      this.id = id;
      if (id < 0) this.detached = data;
    }
  }

  /** Wraps an existing node of `tape` (the snippet runtime and views use this). */
  static of(tape: Tape, id: number): Value {
    return new Value(0, undefined, tape, id);
  }

  /** A constant node: drawn in the graph, never given a gradient (`2` in `2 * x`). */
  static constant(data: number, tape: Tape = currentTape): Value {
    return noGradDepth > 0 ? detachedValue(tape, data) : Value.of(tape, tape.constant(data));
  }

  get data(): number {
    return this.id < 0 ? this.detached : this.tape.data[this.id];
  }

  /** Sets a leaf's value in place, as an optimizer step does (`p.data -= lr * p.grad`). */
  set data(data: number) {
    if (this.id < 0) this.detached = data;
    else this.tape.data[this.id] = data;
  }

  /** ∂output/∂this, summed over every backward pass since the last `zeroGrad`. */
  get grad(): number {
    return this.id < 0 ? 0 : this.tape.grad[this.id];
  }

  set grad(grad: number) {
    if (this.id >= 0) this.tape.setGrad(this.id, grad);
  }

  get label(): string | undefined {
    return this.tape.labels.get(this.id);
  }

  set label(label: string | undefined) {
    if (this.id < 0) return;
    if (label === undefined) this.tape.labels.delete(this.id);
    else this.tape.labels.set(this.id, label);
  }

  get range(): SourceRange | undefined {
    return this.tape.ranges.get(this.id);
  }

  set range(range: SourceRange | undefined) {
    if (this.id < 0) return;
    if (range === undefined) this.tape.ranges.delete(this.id);
    else this.tape.ranges.set(this.id, range);
  }

  /** `leaf`, `const`, or the name of the operation that made this value. */
  get op(): string {
    if (this.id < 0) return 'const';
    const code = this.tape.code[this.id];
    return code === LEAF ? 'leaf' : code === CONST ? 'const' : OP_BY_CODE[code - FIRST_OP_CODE].name;
  }

  /** The values this one was computed from, in order (micrograd's `_prev`, but a list, so `x * x` keeps both edges). */
  get inputs(): Value[] {
    return this.id < 0 ? [] : this.tape.inputsOf(this.id).map((id) => Value.of(this.tape, id));
  }

  /** Sets `grad` of every value this one depends on to ∂this/∂value (accumulating, as in PyTorch). */
  backward(): void {
    if (this.id < 0) throw new Error('backward() on a value made under noGrad: nothing was recorded');
    this.tape.backward(this.id);
  }

  /** Sets every gradient on this value's tape to 0. */
  zeroGrad(): void {
    this.tape.zeroGrad();
  }

  add(other: ValueLike): Value { return applyBinary(OPS.add, OP_CODE.add, this, other); }
  sub(other: ValueLike): Value { return applyBinary(OPS.sub, OP_CODE.sub, this, other); }
  mul(other: ValueLike): Value { return applyBinary(OPS.mul, OP_CODE.mul, this, other); }
  div(other: ValueLike): Value { return applyBinary(OPS.div, OP_CODE.div, this, other); }
  mod(other: ValueLike): Value { return applyBinary(OPS.mod, OP_CODE.mod, this, other); }
  /** `this ** exponent`: a number exponent is a constant (no gradient), a `Value` exponent gets one. */
  pow(exponent: ValueLike): Value { return binary(typeof exponent === 'number' || isConstant(exponent) ? 'powConst' : 'pow', this, exponent); }
  neg(): Value { return applyUnary(OPS.neg, OP_CODE.neg, this); }
  exp(): Value { return applyUnary(OPS.exp, OP_CODE.exp, this); }
  log(): Value { return applyUnary(OPS.log, OP_CODE.log, this); }
  log1p(): Value { return applyUnary(OPS.log1p, OP_CODE.log1p, this); }
  expm1(): Value { return applyUnary(OPS.expm1, OP_CODE.expm1, this); }
  sqrt(): Value { return applyUnary(OPS.sqrt, OP_CODE.sqrt, this); }
  tanh(): Value { return applyUnary(OPS.tanh, OP_CODE.tanh, this); }
  sigmoid(): Value { return applyUnary(OPS.sigmoid, OP_CODE.sigmoid, this); }
  relu(): Value { return applyUnary(OPS.relu, OP_CODE.relu, this); }
  sin(): Value { return applyUnary(OPS.sin, OP_CODE.sin, this); }
  cos(): Value { return applyUnary(OPS.cos, OP_CODE.cos, this); }
  tan(): Value { return applyUnary(OPS.tan, OP_CODE.tan, this); }
  abs(): Value { return applyUnary(OPS.abs, OP_CODE.abs, this); }
  sinh(): Value { return applyUnary(OPS.sinh, OP_CODE.sinh, this); }
  cosh(): Value { return applyUnary(OPS.cosh, OP_CODE.cosh, this); }
  atan(): Value { return applyUnary(OPS.atan, OP_CODE.atan, this); }

  /** The largest of the values; the gradient goes to the maximum, split evenly among ties (`torch.max`). */
  static max(...values: ValueLike[]): Value { return nary('max', values); }
  /** The smallest of the values; the gradient goes to the minimum, split evenly among ties (`torch.min`). */
  static min(...values: ValueLike[]): Value { return nary('min', values); }
  /** The sum of any number of values as one node (a neuron's `w·x + b` draws as one `+`). */
  static sum(...values: ValueLike[]): Value { return nary('sum', values); }

  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }
}

function isConstant(value: Value): boolean {
  return value.id < 0 || value.tape.code[value.id] === CONST;
}

function detachedValue(tape: Tape, data: number): Value {
  return new Value(data, undefined, tape, -1);
}

/** The node id of an operand on `tape`: numbers and detached values become constants. */
function nodeOf(tape: Tape, operand: ValueLike): number {
  if (typeof operand === 'number') return tape.constant(operand);
  if (operand.id < 0) return tape.constant(operand.data);
  if (operand.tape !== tape) throw new Error('cannot combine values recorded on different tapes');
  return operand.id;
}

/** Applies a unary operation: records it, or under `noGrad` only computes it. */
export function unary(name: UnaryOpName, input: Value): Value {
  return applyUnary(OPS[name], OP_CODE[name], input);
}

/** Applies a binary operation; either operand may be a plain number (a constant). */
export function binary(name: BinaryOpName, left: ValueLike, right: ValueLike): Value {
  return BINARY[name](left, right);
}

/*
 * Value's methods pass their own entry of the OPS table (`OPS.mul`, a constant the JIT can see through),
 * and the forward rule is applied here rather than by the tape looking it up by op code: the JIT then
 * inlines it, where a call through the table could not be inlined and would box every number passed to
 * it and returned. This made recording about 2x faster (bench/: W1 forward 24 → 10-13 ns/node; W2, whose
 * nn.ts calls `binary('mul', …)` through BINARY below, 57-65 → 34-38).
 */

function applyUnary(op: UnaryOp, code: number, input: Value): Value {
  const tape = input.tape;
  if (noGradDepth > 0) return detachedValue(tape, op.forward(input.data));
  if (input.id < 0) return Value.of(tape, tape.unary(code, nodeOf(tape, input)));
  return Value.of(tape, tape.push(code, op.forward(tape.data[input.id]), input.id, -1));
}

/** One recording function per binary operation, each with its own entry as a constant, for `binary(name, …)`. */
const BINARY: Readonly<Record<BinaryOpName, (left: ValueLike, right: ValueLike) => Value>> = {
  add: (left, right) => applyBinary(OPS.add, OP_CODE.add, left, right),
  sub: (left, right) => applyBinary(OPS.sub, OP_CODE.sub, left, right),
  mul: (left, right) => applyBinary(OPS.mul, OP_CODE.mul, left, right),
  div: (left, right) => applyBinary(OPS.div, OP_CODE.div, left, right),
  mod: (left, right) => applyBinary(OPS.mod, OP_CODE.mod, left, right),
  pow: (left, right) => applyBinary(OPS.pow, OP_CODE.pow, left, right),
  powConst: (left, right) => applyBinary(OPS.powConst, OP_CODE.powConst, left, right),
  atan2: (left, right) => applyBinary(OPS.atan2, OP_CODE.atan2, left, right),
  hypot: (left, right) => applyBinary(OPS.hypot, OP_CODE.hypot, left, right),
  imul: (left, right) => applyBinary(OPS.imul, OP_CODE.imul, left, right),
};

function applyBinary(op: BinaryOp, code: number, left: ValueLike, right: ValueLike): Value {
  if (noGradDepth === 0 && typeof left !== 'number' && left.id >= 0) {
    // The common case, a recorded value with a number or another recorded value of the same tape.
    const tape = left.tape;
    if (typeof right === 'number') {
      const rightId = tape.constant(right);
      return Value.of(tape, tape.push(code, op.forward(tape.data[left.id], right), left.id, rightId));
    }
    if (right.id >= 0 && right.tape === tape) {
      return Value.of(tape, tape.push(code, op.forward(tape.data[left.id], tape.data[right.id]), left.id, right.id));
    }
  }
  const tape = typeof left === 'number' ? (typeof right === 'number' ? currentTape : right.tape) : left.tape;
  if (noGradDepth > 0) {
    const x = typeof left === 'number' ? left : left.data;
    const y = typeof right === 'number' ? right : right.data;
    return detachedValue(tape, op.forward(x, y));
  }
  const leftId = nodeOf(tape, left);
  return Value.of(tape, tape.binary(code, leftId, nodeOf(tape, right)));
}

/** Applies an n-ary operation (max, min, sum) to at least one operand. */
export function nary(name: NaryOpName, operands: readonly ValueLike[]): Value {
  const count = operands.length;
  if (count === 0) throw new RangeError(`${name}() needs at least one value`);
  let tape = currentTape;
  for (let k = 0; k < count; k++) {
    const operand = operands[k];
    if (typeof operand !== 'number') {
      tape = operand.tape;
      break;
    }
  }
  if (noGradDepth > 0) {
    return detachedValue(tape, OPS[name].forward(operands.map((operand) => (typeof operand === 'number' ? operand : operand.data))));
  }
  const ids = new Array<number>(count);
  for (let k = 0; k < count; k++) ids[k] = nodeOf(tape, operands[k]);
  return Value.of(tape, tape.nary(OP_CODE[name], ids));
}
