// The numeric core of the gradient check against analytic derivatives: Richardson's extrapolation must beat
// the plain central difference it is made of, and the relative error must treat zeros, NaN and infinities
// as its docstring says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actualStep, centralDifference, noiseFloor, numericDerivative, relativeError, stepFor } from '../../src/engine/finiteDifference.ts';

/** Smooth functions and their derivatives, written out by hand. */
const SMOOTH: ReadonlyArray<{ name: string; f: (x: number) => number; df: (x: number) => number; at: readonly number[] }> = [
  { name: 'exp(sin x)', f: (x) => Math.exp(Math.sin(x)), df: (x) => Math.cos(x) * Math.exp(Math.sin(x)), at: [-2, 0.3, 1.7] },
  { name: 'x⁵ - 3x²', f: (x) => x ** 5 - 3 * x * x, df: (x) => 5 * x ** 4 - 6 * x, at: [-1.5, 0.5, 2] },
  { name: 'tanh(3x)', f: (x) => Math.tanh(3 * x), df: (x) => 3 * (1 - Math.tanh(3 * x) ** 2), at: [-0.4, 0.1, 0.9] },
  { name: 'log(1 + x²)', f: (x) => Math.log(1 + x * x), df: (x) => 2 * x / (1 + x * x), at: [-3, 0.7, 250] },
];

describe('finite differences', () => {
  for (const { name, f, df, at } of SMOOTH) {
    it(`Richardson is more accurate than the central difference on ${name}`, () => {
      for (const x of at) {
        const h = stepFor(x);
        const exact = df(x);
        const central = centralDifference(f(x + actualStep(x, h)), f(x + actualStep(x, -h)), actualStep(x, h), actualStep(x, -h));
        const richardson = numericDerivative(f, x);
        const centralError = Math.abs(central - exact);
        const richardsonError = Math.abs(richardson - exact);
        assert.ok(richardsonError < centralError / 100, `${name} at ${x}: Richardson off by ${richardsonError}, central by ${centralError}`);
        assert.ok(relativeError(exact, richardson, noiseFloor(f(x))) < 1e-9, `${name} at ${x}: ${richardson} for ${exact}`);
      }
    });
  }

  it('takes steps relative to the leaf, and divides by the step actually taken', () => {
    assert.equal(stepFor(0), 1e-3);
    assert.equal(stepFor(-2000), 2);
    const x = 0.1;
    assert.equal(x + actualStep(x, 1e-3), x + 1e-3);
    assert.equal((x + actualStep(x, 1e-3)) - x, actualStep(x, 1e-3));
  });

  it('gives the relative error, with exact zeros, NaN and infinities', () => {
    assert.equal(relativeError(6, 6, 1e-6), 0);
    assert.equal(relativeError(0, 0, 1e-6), 0);
    assert.equal(relativeError(0, 0.5, 1e-6), 1);
    assert.ok(Math.abs(relativeError(2, 2.000002, 1e-6) - 1e-6 / 1.000001) < 1e-15);
    // Below the floor, differences count at the floor's scale: rounding noise around a true 0 agrees.
    assert.ok(relativeError(0, 3e-14, 1e-6) < 1e-7);
    assert.ok(Number.isNaN(relativeError(NaN, 1, 1e-6)));
    assert.equal(relativeError(NaN, NaN, 1e-6), 0);
    assert.equal(relativeError(Infinity, Infinity, 1e-6), 0);
    assert.equal(relativeError(Infinity, 1e300, 1e-6), Infinity);
    assert.equal(noiseFloor(-5000), 5e-3);
    assert.equal(noiseFloor(0.2), 1e-6);
  });
});
