// Expanding and collapsing groups (src/graph/collapse.ts), as the panel does on a click.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphGroup } from '../../src/graph/model.ts';
import { model } from './model.fixture.ts';
import { nodesOf } from '../../src/graph/reader.ts';
import { autoCollapse, collapseGroup, expandGroup, firstViewBoxes, hiddenIn, MAX_DRAWN_BOXES, tooManyBoxes, valuesInGroup, visibleGraph } from '../../src/graph/collapse.ts';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';

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

describe('expanding and collapsing groups', () => {
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
});

describe('the most a view draws', () => {
  it('draws up to the limit, and past it says how many and what to do', () => {
    assert.equal(tooManyBoxes(MAX_DRAWN_BOXES), undefined);
    const problem = tooManyBoxes(5_001);
    assert.match(problem ?? '', /^5,001 boxes are too many to draw at once \(at most 1,500\): collapse groups, or select less code/);
  });
});

describe("the first picture's size, counted before a graph is sent", () => {
  const loop = 'const x = 0.5;\nlet s = 0;\nfor (let i = 0; i < 3000; i++) {\n  s = s + Math.sin(x * i) * 0.001;\n}\ns\n';
  const sources: Array<[string, string]> = [
    ['a loop of 3,000 iterations', loop],
    ...['micrograd.ts', 'mlp.ts', 'neuron.ts', 'loop.ts'].map((file): [string, string] => [file, readFileSync(path.join(__dirname, '..', '..', 'examples', file), 'utf8')]),
  ];
  for (const [name, text] of sources) {
    it(`${name}: as many boxes as the view draws, with and without constants`, async () => {
      const result = await evaluateSnippet({ text, fileName: 'boxes.ts' });
      assert.ok(result.ok);
      for (const [collapseAbove, showConstants] of [[120, false], [120, true], [100_000, false], [5, true]] as const) {
        const visible = visibleGraph(result.graph, autoCollapse(result.graph, collapseAbove), showConstants);
        assert.equal(firstViewBoxes(result.graph, collapseAbove, showConstants), visible.nodes.length + visible.groups.length, `collapseAbove ${collapseAbove}, constants ${showConstants}`);
      }
    });
  }
});
