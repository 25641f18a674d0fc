// What the details pane says about a node (src/graph/details.ts), on micrograd's L.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphGroup } from '../../src/graph/model.ts';
import { model } from '../graph/model.fixture.ts';
import { groupChain, kindText, nodeDetails, nodeName, sourceLine } from '../../src/graph/details.ts';
import { consumersOf, nodesOf } from '../../src/graph/reader.ts';

const line = (startLine: number) => ({ startLine, startCharacter: 0, endLine: startLine, endCharacter: 5 });

/** micrograd's L = (a*b + c) * f, with its local derivatives; `L` uses the constant -2 through `f`'s place. */
const micrograd = model([
  { id: 0, kind: 'leaf', label: 'a', data: 2, grad: 6, inputs: [], range: line(10) },
  { id: 1, kind: 'leaf', label: 'b', data: -3, grad: -4, inputs: [], range: line(10) },
  { id: 2, kind: 'op', op: '*', label: 'e', data: -6, grad: -2, inputs: [0, 1], local: [-3, 2], range: line(11) },
  { id: 3, kind: 'leaf', label: 'c', data: 10, grad: -2, inputs: [], range: line(10) },
  { id: 4, kind: 'op', op: '+', label: 'd', data: 4, grad: -2, inputs: [2, 3], local: [1, 1], range: line(12) },
  { id: 5, kind: 'const', data: -2, grad: 0, inputs: [] },
  { id: 6, kind: 'op', op: '*', label: 'L', data: -8, grad: 1, inputs: [4, 5], local: [-2, 4], range: line(13) },
], 6);

const source = { firstLine: 10, lines: ['const a = 2.0, b = -3.0, c = 10.0;', 'const e = a * b;', '  const d = e + c;  ', 'const L = d * -2;'] };

describe('details', () => {
  it('names nodes by their variable, else by id, and says what they are', () => {
    assert.equal(nodeName(micrograd, 0), 'a');
    assert.equal(nodeName(micrograd, 5), 'constant');
    // An unnamed value is named by its source when the lines are given, else by its op and line; never `#id`.
    const unnamed = model([
      { id: 0, kind: 'leaf', label: 'x', data: 1, grad: 1, inputs: [], range: line(10) },
      { id: 1, kind: 'op', op: 'tanh', data: 0.76, grad: 1, inputs: [0], range: { startLine: 11, startCharacter: 10, endLine: 11, endCharacter: 22 } },
    ], 1);
    const lines = { firstLine: 10, lines: ['const x = 1;', 'const y = Math.tanh(x);'] };
    assert.equal(nodeName(unnamed, 1, lines), 'Math.tanh(x)');
    assert.equal(nodeName(unnamed, 1), 'tanh, line 12');
    assert.equal(kindText(nodesOf(micrograd)[0]), 'leaf');
    assert.equal(kindText(nodesOf(micrograd)[5]), 'constant');
    assert.equal(kindText(nodesOf(micrograd)[4]), 'operation +');
  });

  it('finds each node\'s consumers once, even when used twice (x * x)', () => {
    const all = (graph: typeof micrograd) => Array.from({ length: graph.nodeCount }, (_, id) => consumersOf(graph)(id));
    assert.deepEqual(all(micrograd), [[2], [2], [4], [4], [6], [6], []]);
    const square = model([
      { id: 0, kind: 'leaf', label: 'x', data: 3, grad: 6, inputs: [] },
      { id: 1, kind: 'op', op: '*', label: 'y', data: 9, grad: 1, inputs: [0, 0], local: [3, 3] },
    ], 1);
    assert.deepEqual(all(square), [[1], []]);
    // x's gradient is what y passes back through both uses: 1 × 3 + 1 × 3.
    assert.equal(nodeDetails(square, 0, { digits: 1 })?.consumers[0].contribution, '6.0');
  });

  it('details an operation: value, gradient, inputs with local derivatives and shares, consumers, source', () => {
    const details = nodeDetails(micrograd, 2, { digits: 2, source });
    assert.ok(details);
    assert.equal(details.name, 'e');
    assert.equal(details.kind, 'operation *');
    assert.equal(details.value, '-6.00');
    assert.equal(details.gradientName, '∂L/∂e');
    assert.equal(details.gradient, '-2.00');
    assert.deepEqual(details.inputs.map((input) => [input.name, input.value, input.local, input.contribution]), [['a', '2.00', '-3.00', '6.00'], ['b', '-3.00', '2.00', '-4.00']]);
    assert.deepEqual(details.consumers.map((consumer) => [consumer.name, consumer.kind, consumer.contribution]), [['d', 'operation +', '-2.00']]);
    assert.deepEqual(details.source, { line: 12, text: 'const e = a * b;' });
    assert.equal(details.isOutput, false);
  });

  it("the shares of a leaf's consumers add up to its gradient", () => {
    const details = nodeDetails(micrograd, 3, { digits: 4, consumers: consumersOf(micrograd) });
    assert.equal(details?.consumers.reduce((sum, consumer) => sum + (consumer.exactContribution ?? 0), 0), nodesOf(micrograd)[3].grad);
  });

  it('the output has no consumers; constants and unnamed nodes read sensibly; local derivatives come from the op', () => {
    assert.equal(nodeDetails(micrograd, 6, { digits: 1 })?.isOutput, true);
    assert.deepEqual(nodeDetails(micrograd, 6, { digits: 1 })?.consumers, []);
    assert.equal(nodeDetails(micrograd, 6, { digits: 1 })?.inputs[1].name, 'constant');
    assert.equal(nodeDetails(micrograd, 99, { digits: 1 }), undefined);
    const noLocals = model([
      { id: 0, kind: 'leaf', label: 'x', data: 3, grad: 1, inputs: [] },
      { id: 1, kind: 'op', op: 'exp', label: 'y', data: 20, grad: 1, inputs: [0] },
    ], 1);
    // exp's local derivative is its own value: 20, whatever x is.
    assert.equal(nodeDetails(noLocals, 1, { digits: 1 })?.inputs[0].local, '20.0');
    assert.equal(nodeDetails(noLocals, 0, { digits: 1 })?.consumers[0].contribution, '20.0');
  });

  it('quotes the source line only when the host sent it', () => {
    assert.deepEqual(sourceLine(source, line(13)), { line: 14, text: 'const L = d * -2;' });
    assert.equal(sourceLine(source, line(3)), undefined);
    assert.equal(sourceLine(undefined, line(10)), undefined);
    assert.equal(sourceLine(source, undefined), undefined);
  });

  it('lists the groups a node is in, outermost first', () => {
    const groups: GraphGroup[] = [
      { id: 0, kind: 'call', label: 'neuron(…)' },
      { id: 1, kind: 'iteration', label: 'for #0', parent: 0 },
    ];
    const grouped = model([{ id: 0, kind: 'leaf', label: 'x', data: 1, grad: 1, inputs: [], group: 1 }], 0, groups);
    assert.deepEqual(groupChain(grouped, 1).map((group) => group.label), ['neuron(…)', 'for #0']);
    assert.deepEqual(nodeDetails(grouped, 0, { digits: 1 })?.groups.map((group) => group.key), ['g0', 'g1']);
    assert.deepEqual(groupChain(grouped, undefined), []);
  });
});
