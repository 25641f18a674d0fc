// The pure side of drawing (src/webview/diagram.ts): themes, SVG ids, groups, labels.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toMermaid } from '../../src/graph/mermaid.ts';
import type { GraphGroup } from '../../src/graph/model.ts';
import { model } from '../graph/model.fixture.ts';
import { nodesOf } from '../../src/graph/reader.ts';
import {
  collapseGroup, expandGroup, gradientSign, groupLabelParts, hiddenIn, isSelectedEdge, labelParts, labelText, parseDomId, parseEdgeId,
  themeFor, valuesInGroup,
} from '../../src/webview/diagram.ts';

/** Two calls of `neuron`, the first with two loop iterations inside. */
const groups: GraphGroup[] = [
  { id: 0, kind: 'call', label: 'neuron(…)' },
  { id: 1, kind: 'iteration', label: 'for #0', parent: 0 },
  { id: 2, kind: 'iteration', label: 'for #1', parent: 0 },
  { id: 3, kind: 'call', label: 'neuron(…)' },
];
const grouped = model([
  { id: 0, kind: 'leaf', label: 'x', data: 1, grad: 2, inputs: [] },
  { id: 1, kind: 'op', op: '*', data: 2, grad: 1, inputs: [0, 0], local: [1, 1], group: 1 },
  { id: 2, kind: 'const', data: 3, grad: 0, inputs: [], group: 2 },
  { id: 3, kind: 'op', op: '+', data: 5, grad: 1, inputs: [1, 2], local: [1, 1], group: 2 },
  { id: 4, kind: 'op', op: 'tanh', data: 0.9, grad: 1, inputs: [3], local: [0.2], group: 0 },
  { id: 5, kind: 'op', op: 'exp', label: 'y', data: 2.4, grad: 1, inputs: [4], local: [2.4], group: 3 },
], 5, groups);

describe('diagram', () => {
  it("takes mermaid's theme from VS Code's body classes", () => {
    assert.equal(themeFor(['vscode-light']), 'default');
    assert.equal(themeFor(['vscode-dark']), 'dark');
    assert.equal(themeFor(['vscode-high-contrast']), 'dark');
    assert.equal(themeFor(['vscode-high-contrast', 'vscode-high-contrast-light']), 'default');
    assert.equal(themeFor([]), 'dark');
  });

  it('reads the node behind a mermaid element id, and the ends of an edge', () => {
    assert.deepEqual(parseDomId('gradient-graph-3-flowchart-v12-7'), { kind: 'value', id: 12 });
    assert.deepEqual(parseDomId('gradient-graph-3-flowchart-o4-0'), { kind: 'operation', id: 4 });
    assert.deepEqual(parseDomId('gradient-graph-3-flowchart-g2-31'), { kind: 'group', id: 2 });
    assert.equal(parseDomId('gradient-graph-3'), undefined);
    assert.equal(parseDomId('flowchart-x1-0'), undefined);
    assert.deepEqual(parseEdgeId('L_v0_o4_0'), { from: 'v0', to: 'o4' });
    assert.deepEqual(parseEdgeId('L_g3_o12_1'), { from: 'g3', to: 'o12' });
    assert.equal(parseEdgeId('L_a_b_0'), undefined);
  });

  it("marks the edges through the selected node: into its operation, to its box, out of its box", () => {
    assert.ok(isSelectedEdge({ from: 'v0', to: 'o4' }, 4));
    assert.ok(isSelectedEdge({ from: 'o4', to: 'v4' }, 4));
    assert.ok(isSelectedEdge({ from: 'v4', to: 'o6' }, 4));
    assert.ok(!isSelectedEdge({ from: 'v40', to: 'o6' }, 4));
    assert.ok(!isSelectedEdge({ from: 'v0', to: 'o2' }, 4));
  });

  it('expands a group; a big one opens with its children collapsed', () => {
    assert.equal(valuesInGroup(grouped, 0), 3);
    assert.equal(valuesInGroup(grouped, 2), 1);
    assert.deepEqual([...expandGroup(grouped, new Set([0, 3]), 0, 100)], [3]);
    assert.deepEqual([...expandGroup(grouped, new Set([0, 3]), 0, 2)].sort(), [1, 2, 3]);
  });

  it('collapses a group, dropping its nested groups (the outer box hides them)', () => {
    assert.deepEqual([...collapseGroup(grouped, new Set([1, 2, 3]), 0)].sort(), [0, 3]);
    assert.deepEqual([...collapseGroup(grouped, new Set(), 2)], [2]);
  });

  it('finds the outermost collapsed group that hides a node', () => {
    assert.equal(hiddenIn(grouped, nodesOf(grouped)[3].group, new Set([0, 2])), 0);
    assert.equal(hiddenIn(grouped, nodesOf(grouped)[3].group, new Set([2])), 2);
    assert.equal(hiddenIn(grouped, nodesOf(grouped)[0].group, new Set([0, 1, 2, 3])), undefined);
  });

  it("rebuilds a box's label from its parts, exactly as toMermaid writes it", () => {
    const text = toMermaid(grouped, { digits: 3 });
    for (const node of nodesOf(grouped)) {
      const label = labelText(labelParts(node, 3));
      assert.ok(text.includes(`v${node.id}["${label}"]`), label);
    }
    assert.deepEqual(labelParts(nodesOf(grouped)[5], 1).map((part) => part.role), ['name', 'data', 'grad']);
    assert.deepEqual(labelParts(nodesOf(grouped)[1], 1).map((part) => part.role), ['data', 'grad']);
    assert.deepEqual(labelParts(nodesOf(grouped)[2], 1), [{ role: 'constant', key: '', text: '3.0' }]);
    const collapsedText = toMermaid(grouped, { collapsed: new Set([0]) });
    assert.ok(collapsedText.includes(`g0[["${labelText(groupLabelParts('neuron(#8230;)', 4))}"]]`));
  });

  it('colours by sign', () => {
    assert.equal(gradientSign(2), 'positive');
    assert.equal(gradientSign(-1e-9), 'negative');
    assert.equal(gradientSign(0), 'zero');
    assert.equal(gradientSign(Number.NaN), 'zero');
  });

});
