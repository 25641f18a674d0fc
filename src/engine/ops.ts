/**
 * The table of operations: each entry keeps its forward rule and its local derivatives side by side,
 * so one operation is checked in one glance. The tape's backward loop only dispatches on this table.
 *
 * Derivatives are written as PyTorch writes them (tools/autograd/derivatives.yaml), in the same order
 * of floating-point operations where that matters, so that gradients agree with PyTorch to the last
 * digit. Points where an operation is not differentiable follow PyTorch's conventions, stated on
 * each entry and tested in test/engine/ops.test.ts.
 */

/** What backward writes: the gradient contributions to the first and second input. */
export type GradientPair = Float64Array;

export interface UnaryOp {
  readonly arity: 1;
  /** The operation's name as drawn in a graph: `tanh`, `exp`. */
  readonly name: string;
  /** Deliberately not differentiated: its gradient is 0 by definition, and views draw it as a cut. */
  readonly cut?: true;
  forward(x: number): number;
  /** Writes `upstream × ∂out/∂x` into `into[0]`. */
  backward(upstream: number, x: number, out: number, into: GradientPair): void;
}

export interface BinaryOp {
  readonly arity: 2;
  readonly name: string;
  readonly cut?: true;
  forward(x: number, y: number): number;
  /** Writes `upstream × ∂out/∂x` into `into[0]` and `upstream × ∂out/∂y` into `into[1]`. */
  backward(upstream: number, x: number, y: number, out: number, into: GradientPair): void;
}

export interface NaryOp {
  readonly arity: 'n';
  readonly name: string;
  readonly cut?: true;
  forward(inputs: ArrayLike<number>): number;
  /** Writes `upstream × ∂out/∂inputs[k]` into `into[k]`. */
  backward(upstream: number, inputs: ArrayLike<number>, out: number, into: Float64Array): void;
}

export type Op = UnaryOp | BinaryOp | NaryOp;

/**
 * `x ** y` for a constant exponent, as PyTorch's CPU kernel computes `pow(tensor, scalar)`: the exponents
 * 2, 3, 0.5, -0.5, -1 and -2 take exact shortcuts, the rest `pow`. A negative base with a non-integer
 * exponent gives NaN, as in PyTorch and JavaScript. Used for `powConst`'s derivative (its value is
 * JavaScript's `**`).
 */
export function powScalar(x: number, y: number): number {
  switch (y) {
    case 2: return x * x;
    case 3: return x * x * x;
    case 0.5: return Math.sqrt(x);
    case -0.5: return 1 / Math.sqrt(x);
    case -1: return 1 / x;
    case -2: return 1 / (x * x);
    default: return Math.pow(x, y);
  }
}

/** sign(x) as `torch.sgn`: 0 at 0 (the subgradient PyTorch picks for abs), NaN stays NaN. */
function sgn(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN;
}

const unary = (name: string, forward: UnaryOp['forward'], backward: UnaryOp['backward']): UnaryOp =>
  ({ arity: 1, name, forward, backward });
const binary = (name: string, forward: BinaryOp['forward'], backward: BinaryOp['backward']): BinaryOp =>
  ({ arity: 2, name, forward, backward });

/**
 * n-ary max and min as a reduction `torch.stack(inputs).max()`: the gradient goes to the inputs equal to
 * the result, split evenly among ties (PyTorch's `evenly_distribute_backward`; for two inputs this is
 * exactly `torch.maximum`/`torch.minimum`, which give each tied input half). If the result is NaN, the
 * NaN inputs share it.
 */
function extremum(name: string, pick: (a: number, b: number) => number): NaryOp {
  return {
    arity: 'n',
    name,
    forward(inputs) {
      let out = inputs[0];
      for (let k = 1; k < inputs.length; k++) out = pick(out, inputs[k]);
      return out;
    },
    backward(upstream, inputs, out, into) {
      const isNaN = out !== out;
      let ties = 0;
      for (let k = 0; k < inputs.length; k++) if (isNaN ? inputs[k] !== inputs[k] : inputs[k] === out) ties++;
      const share = upstream / ties;
      for (let k = 0; k < inputs.length; k++) into[k] = (isNaN ? inputs[k] !== inputs[k] : inputs[k] === out) ? share : 0;
    },
  };
}

/** Gradient 0 everywhere, as PyTorch defines it for step functions (floor, ceil, round, trunc, sign). */
const zeroGradient: UnaryOp['backward'] = (_upstream, _x, _out, into) => { into[0] = 0; };

/**
 * An operation that is not differentiated (its gradient is 0 by definition), drawn as a cut: the step
 * functions, and the conversions JavaScript offers that a learner may not expect to stop the gradient.
 */
const cut = (name: string, forward: UnaryOp['forward']): UnaryOp => ({ arity: 1, name, forward, backward: zeroGradient, cut: true });

/** Every operation, by the name the `Value` API and the snippet rewriter use. */
export const OPS = {
  add: binary('+', (x, y) => x + y, (g, _x, _y, _out, into) => { into[0] = g; into[1] = g; }),
  sub: binary('-', (x, y) => x - y, (g, _x, _y, _out, into) => { into[0] = g; into[1] = -g; }),
  mul: binary('*', (x, y) => x * y, (g, x, y, _out, into) => { into[0] = g * y; into[1] = g * x; }),
  div: binary('/', (x, y) => x / y, (g, x, y, _out, into) => { into[0] = g / y; into[1] = -g * (x / y / y); }),
  /** JavaScript's `%` truncates like C's fmod, so it is `torch.fmod`: ∂/∂y = -trunc(x / y). */
  mod: binary('%', (x, y) => x % y, (g, x, y, _out, into) => { into[0] = g; into[1] = -g * Math.trunc(x / y); }),
  /**
   * `x ** y` with a Value exponent (`torch.pow(tensor, tensor)`). At y = 0 the base gets gradient 0, and
   * at x = 0 with y >= 0 the exponent gets 0, as PyTorch masks them; a negative base gives the exponent NaN.
   */
  pow: binary('**', (x, y) => Math.pow(x, y), (g, x, y, out, into) => {
    into[0] = y === 0 ? 0 : g * (y * Math.pow(x, y - 1));
    into[1] = x === 0 && y >= 0 ? 0 : g * (out * Math.log(x));
  }),
  /**
   * `x ** c` with a constant exponent (`torch.pow(tensor, scalar)`): the exponent is drawn but gets no gradient.
   * The value is JavaScript's `x ** c` (`Math.pow`), not PyTorch's shortcuts (`x * x * x` for 3), which can
   * differ in the last bit: a snippet computes what the same code computes as JavaScript. The derivative is
   * PyTorch's, shortcuts included.
   */
  powConst: binary('**', Math.pow, (g, x, y, _out, into) => {
    into[0] = y === 0 ? 0 : g * (y * powScalar(x, y - 1));
    into[1] = 0;
  }),
  /** atan2(y, x) as `torch.atan2`: ∂/∂y = x / (x² + y²), ∂/∂x = -y / (x² + y²). */
  atan2: binary('atan2', Math.atan2, (g, y, x, _out, into) => {
    const reciprocal = 1 / (y * y + x * x);
    into[0] = g * x * reciprocal;
    into[1] = g * -y * reciprocal;
  }),
  /** hypot(x, y) = sqrt(x² + y²): ∂/∂x = x / out, NaN at (0, 0) as PyTorch's `torch.hypot`. */
  hypot: binary('hypot', Math.hypot, (g, x, y, out, into) => { into[0] = g * x / out; into[1] = g * y / out; }),

  neg: unary('neg', (x) => -x, (g, _x, _out, into) => { into[0] = -g; }),
  exp: unary('exp', Math.exp, (g, _x, out, into) => { into[0] = g * out; }),
  log: unary('log', Math.log, (g, x, _out, into) => { into[0] = g / x; }),
  log2: unary('log2', Math.log2, (g, x, _out, into) => { into[0] = g / (x * Math.LN2); }),
  log10: unary('log10', Math.log10, (g, x, _out, into) => { into[0] = g / (x * Math.LN10); }),
  log1p: unary('log1p', Math.log1p, (g, x, _out, into) => { into[0] = g / (x + 1); }),
  expm1: unary('expm1', Math.expm1, (g, _x, out, into) => { into[0] = g * (out + 1); }),
  sqrt: unary('sqrt', Math.sqrt, (g, _x, out, into) => { into[0] = g / (2 * out); }),
  /** cbrt: ∂/∂x = 1 / (3 out²), infinite at 0 (PyTorch's `x.pow(1/3)` gives the same). */
  cbrt: unary('cbrt', Math.cbrt, (g, _x, out, into) => { into[0] = g / (3 * out * out); }),
  tanh: unary('tanh', Math.tanh, (g, _x, out, into) => { into[0] = g * (1 - out * out); }),
  /** sigmoid(x) = 1 / (1 + e^-x), as PyTorch computes it (e^-x = ∞ gives 0, never NaN). */
  sigmoid: unary('sigmoid', (x) => 1 / (1 + Math.exp(-x)),
    (g, _x, out, into) => { into[0] = g * (1 - out) * out; }),
  /** relu'(0) = 0, as PyTorch's `threshold_backward(grad, result, 0)`. */
  relu: unary('relu', (x) => (x > 0 ? x : x === x ? 0 : x), (g, _x, out, into) => { into[0] = out <= 0 ? 0 : g; }),
  sin: unary('sin', Math.sin, (g, x, _out, into) => { into[0] = g * Math.cos(x); }),
  cos: unary('cos', Math.cos, (g, x, _out, into) => { into[0] = g * -Math.sin(x); }),
  tan: unary('tan', Math.tan, (g, _x, out, into) => { into[0] = g * (1 + out * out); }),
  asin: unary('asin', Math.asin, (g, x, _out, into) => { into[0] = g * (1 / Math.sqrt(1 - x * x)); }),
  acos: unary('acos', Math.acos, (g, x, _out, into) => { into[0] = g * (-1 / Math.sqrt(1 - x * x)); }),
  atan: unary('atan', Math.atan, (g, x, _out, into) => { into[0] = g / (x * x + 1); }),
  sinh: unary('sinh', Math.sinh, (g, x, _out, into) => { into[0] = g * Math.cosh(x); }),
  cosh: unary('cosh', Math.cosh, (g, x, _out, into) => { into[0] = g * Math.sinh(x); }),
  asinh: unary('asinh', Math.asinh, (g, x, _out, into) => { into[0] = g * (1 / Math.sqrt(x * x + 1)); }),
  acosh: unary('acosh', Math.acosh, (g, x, _out, into) => { into[0] = g * (1 / Math.sqrt(x * x - 1)); }),
  atanh: unary('atanh', Math.atanh, (g, x, _out, into) => { into[0] = g * (1 / (1 - x * x)); }),
  /** abs'(0) = 0: PyTorch multiplies by `sgn(x)`, which is 0 at 0. */
  abs: unary('abs', Math.abs, (g, x, _out, into) => { into[0] = g * sgn(x); }),
  floor: cut('floor', Math.floor),
  ceil: cut('ceil', Math.ceil),
  round: cut('round', Math.round),
  trunc: cut('trunc', Math.trunc),
  /** JavaScript's `Math.sign`: `-0` stays `-0` (PyTorch's `sgn`, used for abs, gives 0). */
  sign: cut('sign', Math.sign),
  /** `Number(x)`: the value as it is, as a plain number. */
  number: cut('Number', (x) => x),
  fround: cut('fround', Math.fround),
  clz32: cut('clz32', Math.clz32),
  /** `Math.imul(x, y)`: 32-bit integer multiplication, no gradient to either side. */
  imul: { arity: 2, name: 'imul', forward: Math.imul, backward: (_g, _x, _y, _out, into) => { into[0] = 0; into[1] = 0; }, cut: true } satisfies BinaryOp,

  /** The value is JavaScript's: NaN if any input is, and `+0` is larger than `-0`. */
  max: extremum('max', Math.max),
  min: extremum('min', Math.min),
  /** The sum of any number of inputs: one node for `a + b + c + …`, each input gets the upstream gradient. */
  sum: {
    arity: 'n',
    name: '+',
    forward(inputs) {
      let out = 0;
      for (let k = 0; k < inputs.length; k++) out += inputs[k];
      return out;
    },
    backward(upstream, inputs, _out, into) {
      for (let k = 0; k < inputs.length; k++) into[k] = upstream;
    },
  } satisfies NaryOp,
  /**
   * `Math.hypot(x, y, z, …)` of three or more inputs, in one node: chaining the binary `hypot` rounds after
   * each step, and JavaScript's does not. ∂/∂x_k = x_k / out, as the binary one and `torch.linalg.vector_norm`.
   */
  hypotN: {
    arity: 'n',
    name: 'hypot',
    forward: (inputs) => Math.hypot(...Array.from(inputs)),
    backward(upstream, inputs, out, into) {
      for (let k = 0; k < inputs.length; k++) into[k] = upstream * inputs[k] / out;
    },
  } satisfies NaryOp,
} as const;

export type OpName = keyof typeof OPS;
export type UnaryOpName = { [K in OpName]: (typeof OPS)[K] extends UnaryOp ? K : never }[OpName];
export type BinaryOpName = { [K in OpName]: (typeof OPS)[K] extends BinaryOp ? K : never }[OpName];
export type NaryOpName = { [K in OpName]: (typeof OPS)[K] extends NaryOp ? K : never }[OpName];

/** Op names in a fixed order: a node's op code on the tape is its index here. */
export const OP_NAMES = Object.keys(OPS) as OpName[];
/** Op codes 0 and 1 are not operations: a leaf (a value the user made) and a constant. */
export const LEAF = 0;
export const CONST = 1;
export const FIRST_OP_CODE = 2;
/** The table the backward loop dispatches on, indexed by op code. */
export const OP_BY_CODE: readonly Op[] = OP_NAMES.map((name): Op => OPS[name]);
export const OP_CODE: Readonly<Record<OpName, number>> = Object.fromEntries(
  OP_NAMES.map((name, index) => [name, index + FIRST_OP_CODE]),
) as Record<OpName, number>;

