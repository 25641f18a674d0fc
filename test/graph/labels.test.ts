// What a node looks like (src/graph/labels.ts): the box text toMermaid writes is the text the panel
// rebuilds and looks for in the SVG, for every kind of node; mermaid ids parse back to their nodes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  gradientClass, gradientSign, labelParts, labelText, NODE_CLASS, operationId, mermaidIdOf,
  parseEdgeId, valueId,
} from '../../src/graph/labels.ts';
import { toMermaid } from '../../src/graph/mermaid.ts';
import { planView } from '../../src/graph/plan.ts';
import type { GraphGroup, GraphModel } from '../../src/graph/model.ts';
import { nodesOf } from '../../src/graph/reader.ts';
import { model } from './model.fixture.ts';

/** Every kind of node: leaves, a constant, named and unnamed operations, a cut, non-finite numbers, a group. */
const groups: GraphGroup[] = [{ id: 0, kind: 'call', label: 'neuron(…)' }];
const everyKind = model([
  { id: 0, kind: 'leaf', label: 'a', data: 2.5, grad: -1.25, inputs: [] },
  { id: 1, kind: 'leaf', label: 'w[0]', data: Number.NaN, grad: Number.POSITIVE_INFINITY, inputs: [] },
  { id: 2, kind: 'const', data: -3, grad: 0, inputs: [] },
  { id: 3, kind: 'op', op: '*', data: Number.NEGATIVE_INFINITY, grad: Number.NaN, inputs: [0, 2] },
  { id: 4, kind: 'op', op: 'floor', cut: true, label: 'k', data: 2, grad: 1e-9, inputs: [0] },
  { id: 5, kind: 'op', op: 'tanh', data: 0.5, grad: 3e12, inputs: [4], group: 0 },
  { id: 6, kind: 'op', op: '+', label: 'L <b>"x"</b>', data: 1, grad: 1, inputs: [5, 3, 1] },
], 6, groups);

/** Mermaid's label text as it shows in the SVG: its entities (`#8230;`) read back as characters, lines run together. */
const unescape = (text: string) => text.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))).replaceAll('<br/>', '');

/** The label of each box in mermaid text, by mermaid id, as the panel finds it in the drawn SVG. */
function drawnLabels(text: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const match of text.matchAll(/^ +([a-z]\d+)(?:\["|\[\["|\(\(")(.*?)(?:"\]|"\]\]|"\)\))$/gm)) labels.set(match[1], unescape(match[2]));
  return labels;
}

/**
 * The text the panel expects in each drawn box (the plan's lines) is the text mermaid is given for it,
 * for every box of the picture; every node and edge id parses back.
 */
function roundTrip(graph: GraphModel, digits: number, closed: readonly string[] = []): void {
  const plan = planView(graph, { opened: [], closed }, { budget: 60, showConstants: true, direction: 'LR', digits });
  const labels = drawnLabels(plan.mermaid);
  for (const box of plan.boxes) assert.equal(labels.get(box.id), box.lines.map(labelText).join(''), `box ${box.id}`);
  assert.equal(labels.size, plan.boxes.length);
  // A named value's box is micrograd's `name | data | grad`, and its operation's circle the op.
  for (const node of nodesOf(graph)) {
    if (plan.boxOf(node.id) !== valueId(node.id) || node.label === undefined) continue;
    assert.equal(labels.get(valueId(node.id)), labelText(labelParts(node, digits)), `box of node ${node.id}`);
    if (node.op !== undefined && !node.inputs.some((input) => graph.code[input] === 1)) assert.equal(labels.get(operationId(node.id)), node.op, `circle of node ${node.id}`);
  }
  for (const id of labels.keys()) assert.equal(mermaidIdOf(`gradient-graph-1-flowchart-${id}-0`), id);
  for (const match of plan.mermaid.matchAll(/^ {2}([a-z]\d+) (?:-->|-\.->)(?:\|\d+\|)? ([a-z]\d+)$/gm)) {
    assert.deepEqual(parseEdgeId(`L_${match[1]}_${match[2]}_0`), { from: match[1], to: match[2] });
  }
}

describe('labels', () => {
  it('the box text toMermaid writes is the one the panel rebuilds, for every kind of node', () => {
    for (const digits of [0, 2, 4, 15]) roundTrip(everyKind, digits);
    roundTrip(everyKind, 4, ['g0']);
  });

  it('writes non-finite numbers and cuts as the panel shows them', () => {
    const [, nan, , minusInfinity, cut] = nodesOf(everyKind);
    assert.equal(labelText(labelParts(nan, 4)), 'w[0] | data NaN | grad ∞');
    assert.equal(labelText(labelParts(minusInfinity, 4)), 'data -∞ | grad NaN');
    assert.equal(labelText(labelParts(cut, 2)), 'k | data 2.00 | grad 1.0e-9');
    const text = toMermaid(everyKind);
    assert.ok(text.includes(`${valueId(0)} -.-> ${operationId(4)}`), 'a dotted edge into the cut');
    assert.ok(text.split('\n').includes(`  class ${operationId(4)} ${NODE_CLASS.cut}`), 'the cut class');
  });

  it('splits a label into styled parts', () => {
    const nodes = nodesOf(everyKind);
    assert.deepEqual(labelParts(nodes[0], 1).map((part) => part.role), ['name', 'data', 'grad']);
    assert.deepEqual(labelParts(nodes[3], 1).map((part) => part.role), ['data', 'grad']);
    assert.deepEqual(labelParts(nodes[2], 1), [{ role: 'constant', key: '', text: '-3.0' }]);
  });

  it('reads the node behind a mermaid element id, and the ends of an edge', () => {
    assert.equal(mermaidIdOf('gradient-graph-3-flowchart-v12-7'), 'v12');
    assert.equal(mermaidIdOf('gradient-graph-3-flowchart-o4-0'), 'o4');
    assert.equal(mermaidIdOf('gradient-graph-3-flowchart-t2-31'), 't2');
    assert.equal(mermaidIdOf('gradient-graph-3'), undefined);
    assert.equal(mermaidIdOf('flowchart-x1-0'), undefined);
    assert.equal(mermaidIdOf('gradient-graph-3-flowchart-Ab1-0'), undefined);
    assert.deepEqual(parseEdgeId('L_v0_o4_0'), { from: 'v0', to: 'o4' });
    assert.deepEqual(parseEdgeId('L_g3_o12_1'), { from: 'g3', to: 'o12' });
    assert.equal(parseEdgeId('L_a_b_0'), undefined);
  });


  it('classes and colours gradients by sign and size', () => {
    assert.equal(gradientClass(0, 5), 'gradZero');
    assert.equal(gradientClass(Number.NaN, 5), 'gradZero');
    assert.equal(gradientClass(5, 5), 'gradPositive3');
    assert.equal(gradientClass(-2, 5), 'gradNegative2');
    assert.equal(gradientClass(-0.5, 5), 'gradNegative1');
    assert.equal(gradientSign(2), 'positive');
    assert.equal(gradientSign(-1e-9), 'negative');
    assert.equal(gradientSign(0), 'zero');
    assert.equal(gradientSign(Number.NaN), 'zero');
  });
});
