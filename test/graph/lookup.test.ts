// Finding nodes by source position: what the hover and the cursor highlight read. On micrograd's example,
// evaluated for real so that the ranges are the ones the rewriter records.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { nodeForName, nodesAt, nodesToHighlight } from '../../src/graph/lookup.ts';
import type { GraphModel } from '../../src/graph/model.ts';
import { labelOf } from '../../src/graph/reader.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';

const lines = ['const a = 2.0;', 'const b = -3.0;', 'const e = a * b;', '  const L = e * (e + 1);'];
let graph: GraphModel;

before(async () => {
  const result = await evaluateSnippet({ text: lines.join('\n'), fileName: 'lookup.ts' });
  assert.ok(result.ok);
  graph = result.graph;
});

const labels = (ids: readonly number[]) => ids.map((id) => labelOf(graph, id));

describe('lookup', () => {
  it('finds the nodes under a position, innermost source first', () => {
    // `e + 1` on line 4 (0-based 3), at its `+`: the sum, then the product that holds it.
    const plus = lines[3].indexOf('+');
    const found = nodesAt(graph, 3, plus);
    assert.ok(found.length >= 2);
    assert.deepEqual(nodesToHighlight(graph, 3, plus), [found[0]]);
    assert.notEqual(labelOf(graph, found[0]), 'L');
    assert.equal(labelOf(graph, found.at(-1)!), 'L');
  });

  it("highlights a line's outermost value when the cursor is beside its code", () => {
    for (const character of [0, 1, lines[3].length, lines[3].indexOf('L')]) {
      assert.deepEqual(labels(nodesToHighlight(graph, 3, character)), ['L'], `at column ${character}`);
    }
    assert.deepEqual(labels(nodesToHighlight(graph, 2, lines[2].length)), ['e']);
    assert.deepEqual(labels(nodesToHighlight(graph, 0, 0)), ['a']);
  });

  it('highlights nothing on a line that computes nothing', () => {
    assert.deepEqual(nodesToHighlight(graph, 10, 0), []);
  });

  it('names the value a variable holds at a position', () => {
    assert.equal(nodeForName(graph, 'e', 3, 12)?.label, 'e');
    assert.equal(nodeForName(graph, 'nothing', 3, 12), undefined);
  });
});
