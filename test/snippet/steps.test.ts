// The runtime's step recorder (sandboxSteps.ts) on a tape of its own: what each step keeps, and how the
// oldest steps give up their intermediate nodes when the entries would pass the budget.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OP_CODE } from '../../src/engine/ops.ts';
import { Tape } from '../../src/engine/tape.ts';
import { createSteps } from '../../src/snippet/sandboxSteps.ts';

/** `steps` passes of loss = (w·x)·(w·x) on one tape, w stepped in place; 3 entries per step (w, w·x, loss) and x. */
function train(steps: number, budget: number) {
  const tape = new Tape();
  const w = tape.leaf(0.5);
  const x = tape.leaf(2);
  const recorder = createSteps(tape, budget);
  for (let step = 0; step < steps; step++) {
    const product = tape.binary(OP_CODE.mul, w, x);
    const loss = tape.binary(OP_CODE.mul, product, product);
    recorder.record(loss, tape.backward(loss));
    tape.data[w] -= 0.01 * tape.grad[w];
    tape.setGrad(w, 0);
    tape.setGrad(x, 0);
  }
  return { tape, columns: recorder.columns(), w, x };
}

describe('the step recorder', () => {
  it('keeps every node each pass reached, ascending, with its own gradient, the accumulated one and its value', () => {
    const { columns, w } = train(2, 1000);
    assert.equal(columns.count, 2);
    assert.deepEqual(Array.from(columns.entryCountOf.subarray(0, 2)), [4, 4]);
    assert.deepEqual(Array.from(columns.full.subarray(0, 2)), [1, 1]);
    // Step 0: loss = (2w)² at w = 0.5 is 1, ∂loss/∂w = 8w = 4.
    assert.equal(columns.loss[0], 1);
    assert.equal(columns.node[0], w);
    assert.equal(columns.grad[0], 4);
    assert.equal(columns.data[0], 0.5);
    // Step 1 saw w = 0.5 - 0.04.
    assert.equal(columns.data[4], 0.46);
    assert.equal(columns.grad[4], 8 * 0.46);
  });

  it('past its budget, thins the oldest steps to their leaves, and keeps every loss', () => {
    // 4 entries a step, a budget of 50: the latest 8 steps whole (32), older ones w and x, the oldest their loss.
    const { columns } = train(40, 50);
    assert.equal(columns.count, 40);
    assert.ok(columns.entryCount <= 50, `${columns.entryCount} entries`);
    const full = Array.from(columns.full.subarray(0, 40));
    assert.deepEqual(full.slice(-3), [1, 1, 1], 'the latest steps keep their graphs');
    assert.equal(full[0], 0, 'the oldest keep their parameters only');
    const firstWhole = full.indexOf(1);
    assert.deepEqual(full.slice(firstWhole), full.slice(firstWhole).map(() => 1), 'thinned steps are the oldest');
    // Thinned steps keep w and x; the very oldest, once those pass the budget too, their loss only.
    const kept = Array.from(columns.entryCountOf.subarray(0, firstWhole));
    assert.ok(kept.every((count) => count === 2 || count === 0), JSON.stringify(kept));
    assert.ok(kept.includes(0) && kept.includes(2), JSON.stringify(kept));
    assert.deepEqual(kept, [...kept].sort((a, b) => a - b), 'the oldest give up most');
    // Every loss is kept, and they decrease as w goes to 0.
    for (let step = 1; step < 40; step++) assert.ok(columns.loss[step] < columns.loss[step - 1]);
  });

  it('keeps only the leaves of a step larger than the whole budget', () => {
    const { columns } = train(1, 3);
    assert.equal(columns.full[0], 0);
    assert.equal(columns.entryCountOf[0], 2);
  });
});
