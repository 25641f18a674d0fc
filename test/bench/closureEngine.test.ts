// The benchmark compares equal work: the micrograd-style closure port and the hand-written closed-form
// gradients compute the same outputs and gradients as the engine on the benchmark's workloads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ClosedW2, closedW1, closedW3, ClosureW2, closureW1, closureW3, EngineW2, engineW1, engineW3, relativeError, runtimeW1, w2Data, w3Data,
  type Outcome,
} from '../../bench/workloads.ts';

const TOLERANCE = 1e-10;

function assertSame(actual: Outcome, expected: Outcome): void {
  assert.equal(actual.grads.length, expected.grads.length);
  const outputError = Math.abs(actual.output - expected.output) / Math.max(1, Math.abs(expected.output));
  assert.ok(outputError < TOLERANCE, `output ${actual.output}, engine ${expected.output}`);
  const gradError = relativeError(actual.grads, expected.grads);
  assert.ok(gradError < TOLERANCE, `gradients differ from the engine's by ${gradError}`);
}

describe('W1: x = x*0.9999 + 0.0001*sin(x)', () => {
  it('the closure port matches the engine at 1e3 steps', () => {
    const engine = engineW1(1000);
    assert.equal(engine.nodes, 1 + 6 * 1000);
    assertSame(closureW1(1000), engine);
  });

  it('the closed form matches the engine at 1e3 and 1e5 steps', () => {
    assertSame(closedW1(1000), engineW1(1000));
    assertSame(closedW1(100_000), engineW1(100_000));
  });

  it('the runtime path records the same nodes and gradient as the Value API', () => {
    const engine = engineW1(1000);
    const runtime = runtimeW1(1000);
    assert.equal(runtime.nodes, engine.nodes);
    assertSame(runtime, engine);
  });

  it("the closure port's recursive topological sort overflows the stack on a long chain", () => {
    assert.throws(() => closureW1(100_000), RangeError);
  });
});

describe('W2: MLP 2-16-16-1, MSE', () => {
  const data = w2Data(100);
  const engine = new EngineW2(data).run();

  it('has 337 parameter gradients, all finite and non-zero (tanh has no dead units)', () => {
    assert.equal(engine.grads.length, 337);
    assert.ok(Array.from(engine.grads).every((grad) => Number.isFinite(grad) && grad !== 0));
  });

  it('the closure port matches the engine', () => assertSame(new ClosureW2(data).run(), engine));
  it('hand-written backprop matches the engine', () => assertSame(new ClosedW2(data).run(), engine));

  it('a second step on the rewound tape gives the same gradients', () => {
    const model = new EngineW2(data);
    model.run();
    assertSame(model.run(), engine);
  });
});

describe('W3: sum of a_i*b_i', () => {
  const { a, b } = w3Data(10_000);

  for (const mode of ['sum', 'chain'] as const) {
    it(`the closed form matches the engine (${mode})`, () => assertSame(closedW3(a, b), engineW3(a, b, mode)));
  }

  it('the closure port matches the engine (sum)', () => assertSame(closureW3(a, b, 'sum'), engineW3(a, b, 'sum')));
});
