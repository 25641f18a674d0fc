// micrograd's nn in snippets (Neuron, Layer, MLP, mseLoss, SGD, Adam) against float64 PyTorch
// (test/reference/nn.json, made by nn_reference.py, which draws the initial weights with its own
// mulberry32): the lesson's training loop ported three ways (nn's MLP, functions over literal weights, the
// lesson's own classes), the optimizers, gradient accumulation, and what the graph shows of a module.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { GraphModel } from '../../src/graph/model.ts';
import { nodesOf } from '../../src/graph/reader.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';

interface Run { losses: number[]; parameters: number[] }
const reference = JSON.parse(readFileSync(new URL('../reference/nn.json', import.meta.url), 'utf8')) as {
  initialWeights: Array<Array<[number[], number]>>; mlpSeed7: number[]; sgd: Run; sgdBiasFirst: Run; adam: Run; momentum: Run;
  accumulated: { loss: number; grads: number[] }; relu: { neuron: number; layer: number[]; layerWeights: number[] };
};
const fixture = (name: string) => readFileSync(new URL(`../reference/nn/${name}.ts`, import.meta.url), 'utf8');
const LESSON = "const xs = [[2, 3, -1], [3, -1, 0.5], [0.5, 1, 1], [1, 1, -1]];\nconst ys = [1, -1, -1, 1];\nconst mlp = new MLP(3, [4, 4, 1], { activation: 'tanh' });\n";

async function graphOf(text: string): Promise<GraphModel> {
  const result = await evaluateSnippet({ text, fileName: 'nn.ts' });
  assert.ok(result.ok, result.ok ? '' : `${result.error.line}:${result.error.column} ${result.error.message}`);
  return result.graph;
}

/** The leaves' data by label. */
function leaves(graph: GraphModel): Map<string, number> {
  const nodes = nodesOf(graph);
  return new Map(graph.leaves.map((id) => [nodes[id].label ?? '', nodes[id].data]));
}

/** The labels of the MLP 3 → 4 → 4 → 1's parameters in nn.py's order, as `name(layer, neuron, input)` writes them (input -1: the bias). */
function parameterLabels(name: (layer: number, neuron: number, input: number) => string): string[] {
  const labels: string[] = [];
  const sizes = [3, 4, 4, 1];
  for (let l = 0; l < 3; l++) for (let n = 0; n < sizes[l + 1]; n++) for (let i = 0; i <= sizes[l]; i++) labels.push(name(l, n, i === sizes[l] ? -1 : i));
  return labels;
}
const nnLabel = (l: number, n: number, i: number) => `L${l}.N${n}.${i < 0 ? 'b' : `w${i}`}`;
const literalLabel = (l: number, n: number, i: number) => (i < 0 ? `B${l}[${n}]` : `W${l}[${n}][${i}]`);

/** Equal within a relative 1e-12: V8's tanh and PyTorch's may round one ulp apart, and training carries that on. */
function assertClose(actual: number, expected: number, message: string): void {
  assert.ok(actual === expected || Math.abs(actual - expected) <= 1e-12 * Math.abs(expected), `${message}: expected ${expected}, got ${actual}`);
}

function assertRun(graph: GraphModel, expected: Run, label: (l: number, n: number, i: number) => string): void {
  const losses = graph.logs.map(Number);
  assert.equal(losses.length, expected.losses.length);
  losses.forEach((loss, epoch) => assertClose(loss, expected.losses[epoch], `loss at epoch ${epoch}`));
  const data = leaves(graph);
  parameterLabels(label).forEach((name, k) => assertClose(data.get(name)!, expected.parameters[k], name));
}

describe("micrograd's nn in snippets, against PyTorch", () => {
  it("new MLP draws the engine's weights, bit for bit (mulberry32, seed 1337 or the seed given)", async () => {
    const initial = reference.initialWeights.flatMap((layer) => layer.flatMap(([w, b]) => [...w, b]));
    const data = leaves(await graphOf(`${LESSON}mlp([1, 2, 3])`));
    parameterLabels(nnLabel).forEach((name, k) => assert.equal(data.get(name), initial[k], name));
    const seeded = leaves(await graphOf('const mlp = new MLP(3, [4, 4, 1], { seed: 7 });\nmlp([1, 2, 3])'));
    parameterLabels(nnLabel).forEach((name, k) => assert.equal(seeded.get(name), reference.mlpSeed7[k], name));
  });

  it('the lesson with nn: 20 epochs of SGD, every loss and the final parameters', async () => {
    assertRun(await graphOf(fixture('mlp')), reference.sgd, nnLabel);
  });

  it('the lesson with functions over literal weights', async () => {
    assertRun(await graphOf(fixture('functions')), reference.sgd, literalLabel);
  });

  it("the lesson with the learner's own classes, which shadow nn's", async () => {
    assertRun(await graphOf(fixture('classes')), reference.sgdBiasFirst, literalLabel);
  });

  for (const [name, make, run] of [
    ['Adam', 'new Adam(mlp.parameters(), { lr: 0.01 })', reference.adam],
    ['SGD with momentum', 'new SGD(mlp.parameters(), { lr: 0.02, momentum: 0.9 })', reference.momentum],
  ] as const) {
    it(`${name} with mseLoss: 5 steps as torch.optim's`, async () => {
      const loop = `const optimizer = ${make};\nlet loss = 0;\nfor (let step = 0; step < 5; step++) {\n  loss = mseLoss(xs.map((x) => mlp(x)), ys);\n  optimizer.zeroGrad();\n  loss.backward();\n  optimizer.step();\n  console.log(loss.data);\n}\nloss`;
      assertRun(await graphOf(LESSON + loop), run, nnLabel);
    });
  }

  it('two backward() without zeroing add up, as in PyTorch', async () => {
    const graph = await graphOf(`${LESSON}let loss = 0;\nfor (let k = 0; k < 4; k++) loss = loss + (mlp(xs[k]) - ys[k]) ** 2;\nloss.backward();\nloss.backward();\nconst grads = mlp.parameters().map((p) => p.grad);\nconsole.log(grads.join(' '));\nloss`);
    assertClose(nodesOf(graph)[graph.output].data, reference.accumulated.loss, 'loss');
    graph.logs[0].split(' ').map(Number).forEach((grad, k) => assertClose(grad, reference.accumulated.grads[k], `grad ${k}`));
  });

  it('a standalone Neuron and Layer: relu, their own generator seeded 1337, callable, a number when one output', async () => {
    const graph = await graphOf('const n = new Neuron(3);\nconst layer = new Layer(3, 2);\nconst out = layer([2, 3, -1]);\nconsole.log(n([2, 3, -1]).data, out[0].data, out[1].data, n.nonlin, layer.neurons.length, n.w.length);\nconsole.log(layer.parameters().map((p) => p.data).join(" "));\nn([2, 3, -1])');
    assert.deepEqual(graph.logs[0].split(' '), [String(reference.relu.neuron), ...reference.relu.layer.map(String), 'true', '2', '3']);
    assert.deepEqual(graph.logs[1].split(' ').map(Number), reference.relu.layerWeights);
  });
});
