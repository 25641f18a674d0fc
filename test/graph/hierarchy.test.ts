// The tree of view groups (src/graph/hierarchy.ts): loops from runs of iterations, buckets of 10^k
// iterations, tensors from top-level arrays of leaves, keys, values held and returned values. On the MLP
// evaluated for real, on long loops made as columns, and on small hand-made models.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildHierarchy, childrenOf, MAX_CHILDREN, VIEW_KINDS, type ViewHierarchy } from '../../src/graph/hierarchy.ts';
import { parseGraph, serializeGraph } from '../../src/graph/codec.ts';
import type { GraphModel } from '../../src/graph/model.ts';
import { labelOf, valueCount } from '../../src/graph/reader.ts';
import { matrixLines } from '../../src/graph/tensors.ts';
import { labelText } from '../../src/graph/labels.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';
import { loopGraph } from './loopGraph.fixture.ts';
import { MLP_SOURCE } from './mlp.fixture.ts';
import { model } from './model.fixture.ts';

/** A view group as `key kind "label"`, and its children's, for assertions on the shape of the tree. */
const describeView = (tree: ViewHierarchy, view: number) => `${tree.keyOf(view)} ${VIEW_KINDS[tree.kind[view]]} "${tree.labelOf(view)}"`;
const childLabels = (tree: ViewHierarchy, view: number) => Array.from(childrenOf(tree, view), (child) => tree.labelOf(child));

let mlp: GraphModel;
before(async () => {
  const result = await evaluateSnippet({ text: MLP_SOURCE, fileName: 'mlp.ts' });
  assert.ok(result.ok);
  mlp = result.graph;
});

describe('view groups of an MLP', () => {
  it('the top level is its tensors and one loop of 4 iterations, each calling mlp(…), which calls layer(…) three times', () => {
    const tree = buildHierarchy(mlp);
    assert.deepEqual(Array.from(childrenOf(tree, -1), (view) => describeView(tree, view)), [
      'Txs tensor "xs"', 'Tys tensor "ys"', 'TW1 tensor "W1"', 'Tb1 tensor "b1"', 'TW2 tensor "W2"', 'Tb2 tensor "b2"', 'TW3 tensor "W3"', 'Tb3 tensor "b3"',
      'Ltop:0 loop "for (…)"',
    ]);
    const loop = tree.viewOfKey('Ltop:0')!;
    assert.deepEqual(childLabels(tree, loop), ['for #0', 'for #1', 'for #2', 'for #3']);
    const mlpCall = childrenOf(tree, childrenOf(tree, loop)[0])[0];
    assert.equal(tree.labelOf(mlpCall), 'mlp(…)');
    assert.deepEqual(childLabels(tree, mlpCall), ['layer(…)', 'layer(…)', 'layer(…)']);
    // The first layer: its loop over 4 neurons, each iteration one neuron(…), each with its loop over 3 inputs.
    const layerLoop = childrenOf(tree, childrenOf(tree, mlpCall)[0])[0];
    assert.deepEqual(childLabels(tree, layerLoop), ['for #0', 'for #1', 'for #2', 'for #3']);
    const neuron = childrenOf(tree, childrenOf(tree, layerLoop)[0])[0];
    assert.equal(tree.labelOf(neuron), 'neuron(…)');
    assert.deepEqual(childLabels(tree, childrenOf(tree, neuron)[0]), ['for #0', 'for #1', 'for #2']);
  });

  it('counts the values each group holds, nested included, and finds what it returns', () => {
    const tree = buildHierarchy(mlp);
    const loop = tree.viewOfKey('Ltop:0')!;
    const topLevelValues = 1; // `let loss = 0`
    const tensorValues = Array.from(childrenOf(tree, -1)).filter((view) => view !== loop).reduce((sum, view) => sum + tree.values[view], 0);
    assert.equal(tensorValues, 57);
    assert.equal(tree.values[loop], valueCount(mlp) - tensorValues - topLevelValues);
    // A neuron: 3 products, 3 sums and its tanh.
    const firstLayerNeuron = tree.viewOfKey('g4')!;
    assert.equal(tree.labelOf(firstLayerNeuron), 'neuron(…)');
    assert.equal(tree.values[firstLayerNeuron], 7);
    // The loop and its last iteration return the output; an iteration its `loss`; mlp(…) its prediction.
    assert.equal(tree.returned[loop], mlp.output);
    assert.equal(tree.returned[childrenOf(tree, loop)[3]], mlp.output);
    const first = childrenOf(tree, loop)[0];
    assert.equal(labelOf(mlp, tree.returned[first]), 'loss');
    assert.equal(labelOf(mlp, tree.returned[childrenOf(tree, first)[0]]), 'ypred');
    assert.equal(tree.returned[tree.viewOfKey('TW1')!], tree.tensors[tree.from[tree.viewOfKey('TW1')!]].elements.at(-1));
  });

  it('tensors have their shape, and a matrix of data then gradients', () => {
    const tree = buildHierarchy(mlp);
    const w1 = tree.tensors[tree.from[tree.viewOfKey('TW1')!]];
    assert.deepEqual(w1.shape, [4, 3]);
    assert.equal(w1.elements.length, 12);
    const lines = matrixLines(mlp, w1, 1).map(labelText);
    assert.equal(lines.length, 8);
    assert.equal(lines[0], 'data 0.1  -0.2  0.3');
    assert.match(lines[4], /^grad -?\d/);
    assert.deepEqual(tree.tensors[tree.from[tree.viewOfKey('Tys')!]].shape, [4]);
  });

  it('keys are unique, read back, and the same after a reload of the same evaluation', () => {
    const tree = buildHierarchy(mlp);
    const keys = Array.from({ length: tree.size }, (_, view) => tree.keyOf(view));
    assert.equal(new Set(keys).size, keys.length);
    keys.forEach((key, view) => assert.equal(tree.viewOfKey(key), view, key));
    const reloaded = buildHierarchy(parseGraph(serializeGraph(mlp)));
    assert.deepEqual(Array.from({ length: reloaded.size }, (_, view) => reloaded.keyOf(view)), keys);
    for (const unknown of ['g99999', 'Tnothing', 'Ltop:5', 'BLtop:0:0-9', 'x', '']) assert.equal(tree.viewOfKey(unknown), undefined, unknown);
  });
});

describe('long loops are bucketed', () => {
  it('5,000 iterations: buckets of 1,000, 100 and 10, no level wider than 12', () => {
    const graph = loopGraph(5_000);
    const tree = buildHierarchy(graph);
    const loop = tree.viewOfKey('Ltop:0')!;
    assert.deepEqual(childLabels(tree, loop), ['for #0–#999', 'for #1000–#1999', 'for #2000–#2999', 'for #3000–#3999', 'for #4000–#4999']);
    const second = childrenOf(tree, loop)[1];
    assert.equal(tree.keyOf(second), 'BLtop:0:1000-1999');
    assert.equal(childLabels(tree, second)[0], 'for #1000–#1099');
    const hundred = childrenOf(tree, second)[0];
    assert.equal(childLabels(tree, hundred)[9], 'for #1090–#1099');
    assert.deepEqual(childLabels(tree, childrenOf(tree, hundred)[9]), Array.from({ length: 10 }, (_, k) => `for #${1090 + k}`));
    for (let view = -1; view < tree.size; view++) assert.ok(childrenOf(tree, view).length <= MAX_CHILDREN, String(view));
    // Each iteration holds its product and its sum; its step(…) call is inside it.
    assert.equal(tree.values[loop], 10_000);
    assert.equal(tree.values[second], 2_000);
    assert.equal(tree.returned[loop], graph.output);
    assert.equal(tree.returned[second], tree.returned[childrenOf(tree, second)[9]]);
  });

  it('100,000 iterations nest one level deeper; 13 make two buckets', () => {
    const tree = buildHierarchy(loopGraph(100_000));
    const loop = tree.viewOfKey('Ltop:0')!;
    assert.equal(childLabels(tree, loop).length, 10);
    assert.equal(childLabels(tree, loop)[9], 'for #90000–#99999');
    for (let view = -1; view < tree.size; view++) assert.ok(childrenOf(tree, view).length <= MAX_CHILDREN);
    const small = buildHierarchy(loopGraph(13));
    assert.deepEqual(childLabels(small, small.viewOfKey('Ltop:0')!), ['for #0–#9', 'for #10–#12']);
    const twelve = buildHierarchy(loopGraph(12));
    assert.equal(childLabels(twelve, twelve.viewOfKey('Ltop:0')!)[11], 'for #11');
  });
});

describe('runs of iterations', () => {
  it('a loop that runs again under the same group (its count starts over) is a second loop; another loop is a third', () => {
    const range = { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 1 };
    const other = { startLine: 5, startCharacter: 0, endLine: 6, endCharacter: 1 };
    const graph = model([
      { id: 0, kind: 'leaf', label: 'x', data: 1, grad: 1, inputs: [] },
      ...[0, 1, 2, 3, 4].map((group) => ({ id: group + 1, kind: 'op' as const, op: 'neg', data: -1, grad: 1, inputs: [0], group })),
    ], 5, [
      { id: 0, kind: 'iteration', label: 'for #0', range },
      { id: 1, kind: 'iteration', label: 'for #1', range },
      { id: 2, kind: 'iteration', label: 'for #0', range },
      { id: 3, kind: 'iteration', label: 'while #0', range: other },
      { id: 4, kind: 'iteration', label: 'for #2', range },
    ]);
    const tree = buildHierarchy(graph);
    assert.deepEqual(Array.from(childrenOf(tree, -1), (view) => `${describeView(tree, view)} [${childLabels(tree, view).join(', ')}]`), [
      'Ltop:0 loop "for (…)" [for #0, for #1]',
      'Ltop:2 loop "for (…)" [for #0, for #2]',
      'Ltop:3 loop "while (…)" [while #0]',
    ]);
  });

  it('a leaf array made inside a function is not a tensor; indices that disagree make none either', () => {
    const graph = model([
      { id: 0, kind: 'leaf', label: 'w[0]', data: 1, grad: 1, inputs: [] },
      { id: 1, kind: 'leaf', label: 'w[1]', data: 2, grad: 1, inputs: [] },
      { id: 2, kind: 'leaf', label: 'v[0]', data: 3, grad: 1, inputs: [], group: 0 },
      { id: 3, kind: 'leaf', label: 'm[0]', data: 3, grad: 1, inputs: [] },
      { id: 4, kind: 'leaf', label: 'm[0][1]', data: 3, grad: 1, inputs: [] },
      { id: 5, kind: 'op', op: '+', data: 3, grad: 1, inputs: [0, 1], group: 0 },
    ], 5, [{ id: 0, kind: 'call', label: 'f(…)' }]);
    const tree = buildHierarchy(graph);
    assert.deepEqual(tree.tensors.map((tensor) => `${tensor.name} ${tensor.shape.join('×')}`), ['w 2']);
    assert.equal(tree.viewOfNode(0), tree.viewOfKey('Tw'));
    assert.equal(tree.viewOfNode(3), -1);
    assert.equal(tree.viewOfNode(2), tree.viewOfKey('g0'));
  });

  it('a wide tensor shows at most 4 columns and 4 rows, with … for the rest', () => {
    const graph = model(Array.from({ length: 30 }, (_, id) => ({ id, kind: 'leaf' as const, label: `W[${Math.floor(id / 6)}][${id % 6}]`, data: id, grad: 0, inputs: [] })), 29);
    const tree = buildHierarchy(graph);
    const lines = matrixLines(graph, tree.tensors[0], 0).map(labelText);
    assert.deepEqual(lines.slice(0, 5), ['data 0  1  2  3  …', '6  7  8  9  …', '12  13  14  15  …', '18  19  20  21  …', '…']);
    assert.equal(lines.length, 10);
  });
});
