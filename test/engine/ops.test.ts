// Every operation's value and derivatives against PyTorch (test/reference/engine.json, made by
// engine_reference.py) and against central finite differences, plus the conventions at
// non-differentiable points, each stated in src/engine/ops.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gradcheck, OPS, Tape, useTape, Value, type OpName } from '../../src/engine/index.ts';
import { binary, nary, unary } from '../../src/engine/value.ts';

interface Case { op: OpName; inputs: number[]; data: number; grads: number[]; constant?: number; binary?: boolean }
const reference = JSON.parse(readFileSync(new URL('../reference/engine.json', import.meta.url), 'utf8'),
  (_key, value: unknown) => (value === 'nan' ? NaN : value === 'inf' ? Infinity : value === '-inf' ? -Infinity : value)) as { cases: Case[] };

/**
 * Equal within `ulps` units in the last place (NaN and infinities exactly). V8 and PyTorch's libm may round a
 * transcendental function differently by one ulp, and a derivative such as tanh's `1 - out²` magnifies that
 * near saturation, so gradients get a wider margin than values.
 */
function assertClose(actual: number, expected: number, message: string, ulps = 4): void {
  if (Number.isNaN(expected)) return assert.ok(Number.isNaN(actual), `${message}: expected NaN, got ${actual}`);
  if (!Number.isFinite(expected)) return assert.equal(actual, expected, message);
  const tolerance = ulps * Number.EPSILON * Math.max(Math.abs(expected), Number.MIN_VALUE);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${message}: expected ${expected}, got ${actual} (off by ${actual - expected})`);
}

function run(testCase: Case): { data: number; grads: number[] } {
  useTape(new Tape());
  const leaves = testCase.inputs.map((x) => new Value(x));
  const spec = OPS[testCase.op];
  const out = testCase.op === 'powConst'
    ? leaves[0].pow(testCase.constant!)
    : spec.arity === 1 ? unary(testCase.op as never, leaves[0])
      : spec.arity === 2 ? binary(testCase.op as never, leaves[0], leaves[1])
        : nary(testCase.op as never, leaves);
  out.backward();
  return { data: out.data, grads: leaves.map((leaf) => leaf.grad) };
}

describe('operations against PyTorch (float64)', () => {
  for (const testCase of reference.cases) {
    const name = `${testCase.op}${testCase.constant === undefined ? '' : `(c=${testCase.constant})`}(${testCase.inputs.join(', ')})`;
    it(name, () => {
      const { data, grads } = run(testCase);
      assertClose(data, testCase.data, 'value');
      grads.forEach((grad, index) => assertClose(grad, testCase.grads[index], `gradient ${index}`, 64));
    });
  }

  it('covers every operation in the table', () => {
    const covered = new Set(reference.cases.map((testCase) => testCase.op));
    // round and cbrt have no PyTorch counterpart with JavaScript's semantics, and the cuts JavaScript's
    // conversions make (Number, fround, clz32, imul) none at all: they are checked below. hypotN (Math.hypot
    // of three or more) came after engine.json was last made; engine_reference.py has its cases for the next
    // run, and it is checked below against Math.hypot and finite differences.
    const missing = Object.keys(OPS).filter((name) => !covered.has(name as OpName) && !['round', 'cbrt', 'number', 'fround', 'clz32', 'imul', 'hypotN'].includes(name));
    assert.deepEqual(missing, []);
  });
});

describe('operations against finite differences', () => {
  const points = [-1.3, -0.4, 0.35, 0.8, 2.2];
  const domain: Partial<Record<OpName, (x: number) => boolean>> = {
    log: (x) => x > 0, log2: (x) => x > 0, log10: (x) => x > 0, sqrt: (x) => x > 0, cbrt: (x) => x !== 0,
    log1p: (x) => x > -1, asin: (x) => Math.abs(x) < 1, acos: (x) => Math.abs(x) < 1, atanh: (x) => Math.abs(x) < 1,
    acosh: (x) => x > 1,
  };
  // Cuts are not differentiated by definition (their gradient is 0): see the conventions below.
  for (const [name, spec] of (Object.entries(OPS) as [OpName, (typeof OPS)[OpName]][]).filter(([, spec]) => !('cut' in spec))) {
    it(name, () => {
      if (spec.arity === 1) {
        const xs = name === 'acosh' ? [1.5, 2.2, 4] : points.filter(domain[name] ?? (() => true));
        for (const x of xs) {
          const result = gradcheck((v) => unary(name as never, v), [x]);
          assert.ok(result.worstRelativeError < 1e-7, `${name}(${x}): autograd ${result.analytic.join()} vs numeric ${result.numeric.join()}`);
        }
      } else if (spec.arity === 2) {
        for (const [x, y] of [[1.3, 0.7], [2.2, -1.6], [0.45, 2.5]]) {
          const check = gradcheck((a, b) => (name === 'powConst' ? a.pow(y) : binary(name as never, a, b)), [x, y]);
          // powConst's exponent is a constant: its gradient is 0 by definition, so only the base is compared.
          const worst = name === 'powConst' ? Math.abs(check.analytic[0] - check.numeric[0]) / Math.max(1, Math.abs(check.numeric[0])) : check.worstRelativeError;
          assert.ok(worst < 1e-7, `${name}(${x}, ${y}): autograd ${check.analytic.join()} vs numeric ${check.numeric.join()}`);
        }
      } else {
        const check = gradcheck((...values) => nary(name as never, values), [0.3, -1.2, 2.4, 1.1]);
        assert.ok(check.worstRelativeError < 1e-7, `${name}: autograd ${check.analytic.join()} vs numeric ${check.numeric.join()}`);
      }
    });
  }
});

describe('conventions at non-differentiable points (as PyTorch)', () => {
  const gradAt = (fn: (x: Value) => Value, x: number) => {
    useTape(new Tape());
    const leaf = new Value(x);
    fn(leaf).backward();
    return leaf.grad;
  };
  it("relu'(0) = 0", () => assert.equal(gradAt((x) => x.relu(), 0), 0));
  it("abs'(0) = 0", () => assert.equal(gradAt((x) => x.abs(), 0), 0));
  it('max and min split the gradient evenly among ties', () => {
    useTape(new Tape());
    const [a, b, c] = [new Value(2), new Value(2), new Value(1)];
    Value.max(a, b, c).backward();
    assert.deepEqual([a.grad, b.grad, c.grad], [0.5, 0.5, 0]);
    const [d, e] = [new Value(-1), new Value(-1)];
    Value.min(d, e, 3).backward();
    assert.deepEqual([d.grad, e.grad], [0.5, 0.5]);
  });
  it('a negative base with a non-integer exponent gives NaN', () => {
    useTape(new Tape());
    const x = new Value(-2);
    const y = x.pow(0.5);
    y.backward();
    assert.ok(Number.isNaN(y.data) && Number.isNaN(x.grad));
  });
  it('x ** 0 has gradient 0 for x, also at 0', () => assert.equal(gradAt((x) => x.pow(0), 0), 0));
  it('the cuts (floor, ceil, round, trunc, sign, Number, fround, clz32, imul) have gradient 0', () => {
    for (const name of ['floor', 'ceil', 'round', 'trunc', 'sign', 'number', 'fround', 'clz32'] as const) assert.equal(gradAt((x) => unary(name, x), 1.7), 0, name);
    useTape(new Tape());
    const [x, y] = [new Value(3), new Value(5)];
    binary('imul', x, y).backward();
    assert.deepEqual([x.grad, y.grad], [0, 0]);
  });
  it('round rounds half up as JavaScript does', () => assert.equal(OPS.round.forward(-2.5), -2));
  it("values are JavaScript's to the last bit: x ** c, Math.hypot of three, Math.sign(-0), Math.max(-0, 0)", () => {
    // PyTorch's shortcut x * x * x rounds twice; a snippet's a ** 3 is JavaScript's (differential seed 126).
    assert.equal(OPS.powConst.forward(-1.09, 3), (-1.09) ** 3);
    assert.equal(OPS.powConst.forward(-0, 0.5), 0);
    assert.equal(OPS.hypotN.forward([1.2, 2.3, 0.7]), Math.hypot(1.2, 2.3, 0.7));
    assert.notEqual(Math.hypot(Math.hypot(1.2, 2.3), 0.7), Math.hypot(1.2, 2.3, 0.7), 'chained hypot rounds differently');
    assert.ok(Object.is(OPS.sign.forward(-0), -0));
    assert.ok(Object.is(OPS.max.forward([-0, 0]), 0) && Object.is(OPS.min.forward([0, -0]), -0));
  });
  it('constants are nodes that never get a gradient', () => {
    useTape(new Tape());
    const x = new Value(3);
    const two = Value.constant(2);
    const y = two.mul(x);
    y.backward();
    assert.equal(two.op, 'const');
    assert.equal(two.grad, 0);
    assert.equal(x.grad, 2);
  });
  it('a node the output does not use keeps gradient 0, even where its derivative is infinite', () => {
    useTape(new Tape());
    const a = new Value(0);
    const unused = a.sqrt();
    const out = a.mul(2);
    out.backward();
    assert.equal(a.grad, 2);
    assert.equal(unused.grad, 0);
  });
});
