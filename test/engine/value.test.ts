// The Value API on worked examples whose answers are known independently: micrograd's engine tests,
// course-notes examples derived by hand, and the same examples run in PyTorch (test/reference/engine.json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, beforeEach } from 'node:test';
import { noGrad, Tape, useTape, Value } from '../../src/engine/index.ts';

const torch = JSON.parse(readFileSync(new URL('../reference/engine.json', import.meta.url), 'utf8')) as {
  examples: Record<string, { inputs: number[]; data: number; grads: number[] }>;
};
const near = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `expected ${expected}, got ${actual}`);

beforeEach(() => useTape(new Tape()));

describe('worked examples', () => {
  it('y = a*b + c at (3, 2, 1): dy/da = 2, dy/db = 3, dy/dc = 1', () => {
    const [a, b, c] = [new Value(3), new Value(2), new Value(1)];
    const y = a.mul(b).add(c);
    y.backward();
    assert.deepEqual([y.data, a.grad, b.grad, c.grad], [7, 2, 3, 1]);
  });

  it('a**2 + sqrt(b) at (1, 2): (2, 1/(2√2))', () => {
    const [a, b] = [new Value(1), new Value(2)];
    a.pow(2).add(b.sqrt()).backward();
    assert.equal(a.grad, 2);
    near(b.grad, 0.35355339059327373);
  });

  it('z = x*y; w = z**2 at (2, 3): dw/dx = 36, dw/dy = 24', () => {
    const [x, y] = [new Value(2), new Value(3)];
    const w = x.mul(y).pow(2);
    w.backward();
    assert.deepEqual([w.data, x.grad, y.grad], [36, 36, 24]);
  });

  it('y = x**3; z = y + x; w = 2*z at 2: dw/dx = 26', () => {
    const x = new Value(2);
    Value.constant(2).mul(x.pow(3).add(x)).backward();
    assert.equal(x.grad, 26);
  });

  it('x**2 + 2*x + 1 at 3: 8', () => {
    const x = new Value(3);
    x.pow(2).add(x.mul(2)).add(1).backward();
    assert.equal(x.grad, 8);
  });

  it('c = a + b; d = c * a; e = c * d: de/da = 45, de/db = 20 (c\'s gradient accumulates)', () => {
    const [a, b] = [new Value(2), new Value(3)];
    const c = a.add(b);
    const d = c.mul(a);
    const e = c.mul(d);
    e.backward();
    assert.deepEqual([e.data, a.grad, b.grad], [50, 45, 20]);
    assert.deepEqual(torch.examples.accumulate.grads, [45, 20]);
  });

  it("micrograd's L = (a*b + c) * f", () => {
    const [a, b, c, f] = [new Value(2, 'a'), new Value(-3, 'b'), new Value(10, 'c'), new Value(-2, 'f')];
    const L = a.mul(b).add(c).mul(f);
    L.backward();
    assert.deepEqual([L.data, a.grad, b.grad, c.grad, f.grad], [-8, 6, -4, -2, 4]);
    assert.deepEqual([L.data, a.grad, b.grad, c.grad, f.grad], [torch.examples.micrograd_L.data, ...torch.examples.micrograd_L.grads]);
  });

  it("micrograd's tanh neuron", () => {
    const [x1, x2, w1, w2, b] = torch.examples.neuron.inputs.map((x) => new Value(x));
    const o = x1.mul(w1).add(x2.mul(w2)).add(b).tanh();
    o.backward();
    near(o.data, Math.SQRT1_2);
    [x1, x2, w1, w2, b].forEach((leaf, index) => near(leaf.grad, torch.examples.neuron.grads[index]));
    near(x1.grad, -1.5);
    near(w1.grad, 1);
  });
});

describe("micrograd's engine tests", () => {
  it('sanity check: y = -20, dy/dx = 46', () => {
    const x = new Value(-4);
    const z = Value.constant(2).mul(x).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    y.backward();
    assert.equal(y.data, -20);
    assert.equal(x.grad, 46);
  });

  it('more ops: g = 24.70408163265306, dg/da = 138.8338192419825, dg/db = 645.5772594752186', () => {
    const a = new Value(-4);
    const b = new Value(2);
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c).add(1);
    c = c.add(1).add(c).add(a.neg());
    d = d.add(d.mul(2)).add(b.add(a).relu());
    d = d.add(Value.constant(3).mul(d)).add(b.sub(a).relu());
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2);
    g = g.add(Value.constant(10).div(f));
    g.backward();
    near(g.data, 24.70408163265306);
    near(a.grad, 138.8338192419825);
    near(b.grad, 645.5772594752186);
    const reference = torch.examples.moreOps;
    assert.deepEqual([g.data, a.grad, b.grad], [reference.data, ...reference.grads]);
  });
});

describe('backward semantics (as PyTorch)', () => {
  it('a node used twice sums both contributions: x * x and a + a', () => {
    const x = new Value(3);
    x.mul(x).backward();
    assert.equal(x.grad, 6);
    const a = new Value(5);
    a.add(a).backward();
    assert.equal(a.grad, 2);
  });

  it('both edges of x * x are kept', () => {
    const x = new Value(3);
    const y = x.mul(x);
    assert.deepEqual(y.inputs.map((input) => input.id), [x.id, x.id]);
  });

  it('backward twice without zeroGrad accumulates, also through shared intermediates', () => {
    const [a, b] = [new Value(2), new Value(3)];
    const c = a.add(b);
    const e = c.mul(c.mul(a));
    e.backward();
    e.backward();
    assert.deepEqual([a.grad, b.grad], [90, 40]);
    assert.equal(c.grad, 2 * 20);
    e.zeroGrad();
    assert.deepEqual([a.grad, b.grad, c.grad], [0, 0, 0]);
    e.backward();
    assert.deepEqual([a.grad, b.grad], [45, 20]);
  });

  it('noGrad records nothing and its results count as constants', () => {
    const tape = useTape(new Tape());
    const x = new Value(2);
    const before = tape.length;
    const y = noGrad(() => x.mul(3).add(1).tanh());
    assert.equal(tape.length, before);
    assert.equal(y.id, -1);
    near(y.data, Math.tanh(7));
    const z = x.mul(y);
    z.backward();
    near(x.grad, Math.tanh(7));
    assert.equal(y.grad, 0);
    assert.throws(() => y.backward(), /noGrad/);
  });

  it('labels and source ranges are kept per node', () => {
    const a = new Value(2, 'a');
    const b = a.mul(3);
    b.label = 'b';
    b.range = { startLine: 1, startCharacter: 4, endLine: 1, endCharacter: 9 };
    assert.equal(a.label, 'a');
    assert.equal(b.label, 'b');
    assert.equal(b.op, '*');
    assert.equal(a.op, 'leaf');
    assert.deepEqual(b.range, { startLine: 1, startCharacter: 4, endLine: 1, endCharacter: 9 });
  });

  it('rewind forgets later nodes and their labels', () => {
    const tape = useTape(new Tape());
    const w = new Value(0.5, 'w');
    const mark = tape.length;
    const y = w.mul(2);
    y.label = 'y';
    y.backward();
    tape.rewind(mark);
    assert.equal(tape.length, mark);
    assert.equal(tape.labels.has(y.id), false);
    assert.equal(w.grad, 2);
  });

  it('values from different tapes cannot be combined', () => {
    const a = new Value(1, 'a', new Tape());
    const b = new Value(1, 'b', new Tape());
    assert.throws(() => a.add(b), /different tapes/);
  });

  it('a chain of 1,000,000 nodes runs forward and backward in the default stack', () => {
    const tape = useTape(new Tape());
    const x0 = new Value(0.5);
    let x = x0;
    while (tape.length < 1_000_000) x = x.mul(0.9999).add(x.sin().mul(0.0001));
    x.backward();
    // Reference: the same recurrence on plain numbers, with the closed-form derivative Π (0.9999 + 0.0001 cos xᵢ).
    let value = 0.5;
    let derivative = 1;
    const steps = (tape.length - 1) / 6;
    for (let step = 0; step < steps; step++) {
      derivative *= 0.9999 + 0.0001 * Math.cos(value);
      value = value * 0.9999 + Math.sin(value) * 0.0001;
    }
    assert.equal(x.data, value);
    near(x0.grad, derivative, 1e-10);
  });
});
