// micrograd's nn API: parameters, zeroGrad, training that learns and is reproducible bit for bit,
// and the optimizers' steps against torch.optim (test/reference/engine.json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, it } from 'node:test';
import { Adam, hingeLoss, MLP, mseLoss, Neuron, Random, SGD, Tape, useTape, Value, type Optimizer } from '../../src/engine/index.ts';

const torch = JSON.parse(readFileSync(new URL('../reference/engine.json', import.meta.url), 'utf8')) as {
  optimizers: Record<'sgdMomentum' | 'adam', number[][]>;
};

beforeEach(() => useTape(new Tape()));

/** y = sin(2x₀) + x₁² on 24 points in [-1, 1]², from a fixed seed. */
function dataSet(): { xs: number[][]; ys: number[] } {
  const random = new Random(7);
  const xs = Array.from({ length: 24 }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
  return { xs, ys: xs.map(([a, b]) => Math.sin(2 * a) + b * b) };
}

/** Trains `model` for `steps` full-batch steps, rewinding the tape after each, and returns the losses. */
function train(model: MLP, makeOptimizer: (parameters: Value[]) => Optimizer, steps: number): number[] {
  const { xs, ys } = dataSet();
  const tape = model.parameters()[0].tape;
  const optimizer = makeOptimizer(model.parameters());
  const mark = tape.length;
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = mseLoss(xs.map((x) => model.call(x)[0]), ys);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    losses.push(loss.data);
    tape.rewind(mark);
  }
  return losses;
}

describe('nn', () => {
  it('MLP(2, [16, 16, 1]) has 337 parameters and micrograd\'s initialisation', () => {
    const model = new MLP(2, [16, 16, 1], { activation: 'tanh' });
    assert.equal(model.parameters().length, 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
    for (const layer of model.layers) for (const neuron of layer.neurons) {
      assert.equal(neuron.b.data, 0);
      for (const w of neuron.w) assert.ok(w.data >= -1 && w.data < 1);
    }
    assert.equal(model.layers[2].neurons[0].activation, 'linear');
    assert.equal(model.layers[0].neurons[0].activation, 'tanh');
  });

  it('a neuron computes activation(w·x + b)', () => {
    const neuron = new Neuron(2, { activation: 'tanh' });
    neuron.b.data = 0.25;
    const [w0, w1] = neuron.w.map((w) => w.data);
    const out = neuron.call([0.5, -2]);
    assert.equal(out.data, Math.tanh(w0 * 0.5 + w1 * -2 + 0.25));
    out.backward();
    const local = 1 - out.data * out.data;
    assert.equal(neuron.w[0].grad, local * 0.5);
    assert.equal(neuron.b.grad, local);
  });

  it('zeroGrad clears the parameters\' gradients', () => {
    const model = new MLP(2, [4, 1]);
    model.call([1, 2])[0].backward();
    assert.ok(model.parameters().some((p) => p.grad !== 0));
    model.zeroGrad();
    assert.ok(model.parameters().every((p) => p.grad === 0));
  });

  for (const [name, make] of [
    ['SGD with momentum', (ps: Value[]) => new SGD(ps, { lr: 0.05, momentum: 0.9 })],
    ['Adam', (ps: Value[]) => new Adam(ps, { lr: 0.02 })],
  ] as const) {
    it(`an MLP learns a small data set with ${name}`, () => {
      const losses = train(new MLP(2, [16, 16, 1], { activation: 'tanh' }), make, 150);
      assert.ok(losses[losses.length - 1] < losses[0] / 20, `loss went from ${losses[0]} to ${losses[losses.length - 1]}`);
      assert.ok(losses[losses.length - 1] < 0.02, `final loss ${losses[losses.length - 1]}`);
    });
  }

  it('a training run is reproducible bit for bit from its seed', () => {
    const run = () => train(new MLP(2, [8, 1], { activation: 'tanh', seed: 42 }), (ps) => new Adam(ps, { lr: 0.05 }), 20);
    assert.deepEqual(run(), run());
    const other = train(new MLP(2, [8, 1], { activation: 'tanh', seed: 43 }), (ps) => new Adam(ps, { lr: 0.05 }), 20);
    assert.notDeepEqual(run(), other);
  });

  it('hinge loss is the mean of relu(1 - y·score)', () => {
    const scores = [new Value(0.5), new Value(-2), new Value(3)];
    const loss = hingeLoss(scores, [1, -1, -1]);
    assert.equal(loss.data, (0.5 + 0 + 4) / 3);
    loss.backward();
    assert.deepEqual(scores.map((s) => s.grad), [-1 / 3, 0, 1 / 3]);
  });
});

describe('optimizers against torch.optim', () => {
  for (const [name, make] of [
    ['sgdMomentum', (ps: Value[]) => new SGD(ps, { lr: 0.05, momentum: 0.9 })],
    ['adam', (ps: Value[]) => new Adam(ps, { lr: 0.1 })],
  ] as const) {
    it(name, () => {
      const tape = useTape(new Tape());
      const [p, q] = [new Value(0), new Value(0.5)];
      const optimizer = make([p, q]);
      const mark = tape.length;
      torch.optimizers[name].forEach(([expectedP, expectedQ], step) => {
        optimizer.zeroGrad();
        p.sub(3).pow(2).add(q.add(1).pow(4)).backward();
        optimizer.step();
        tape.rewind(mark);
        for (const [actual, expected] of [[p.data, expectedP], [q.data, expectedQ]]) {
          assert.ok(Math.abs(actual - expected) <= 1e-14 * Math.max(1, Math.abs(expected)), `step ${step}: expected ${expected}, got ${actual}`);
        }
      });
    });
  }
});
