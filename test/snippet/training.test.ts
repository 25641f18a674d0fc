// micrograd's API on a snippet's numbers: `.data` (assignable on a leaf), `.grad` (assignable) and
// `.backward()`, which accumulates as PyTorch does; and the graph's gradients are its output's own, never
// the sum of the snippet's own backward passes. Reference values are worked out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphModel } from '../../src/graph/model.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';
import { nodesOf } from '../../src/graph/reader.ts';

async function graphOf(text: string): Promise<GraphModel> {
  const result = await evaluateSnippet({ text, fileName: 'training.ts' });
  assert.ok(result.ok, result.ok ? '' : `${result.error.line}:${result.error.column} ${result.error.message}`);
  return result.graph;
}
const leaf = (graph: GraphModel, label: string) => nodesOf(graph)[graph.leaves.find((id) => nodesOf(graph)[id].label === label)!];

describe("micrograd's API on numbers", () => {
  it('backward() fills .grad; two passes without zeroing add, as in PyTorch', async () => {
    const graph = await graphOf([
      'const a = 3;', 'const y = a * a;', '(y as any).backward();', 'const once = (a as any).grad;',
      '(y as any).backward();', 'const twice = (a as any).grad;', 'once * 100 + twice',
    ].join('\n'));
    assert.equal(nodesOf(graph)[graph.output].data, 6 * 100 + 12);
  });

  it('.grad = 0 zeroes it, and .data += -lr * .grad steps a leaf in place for what is computed after', async () => {
    const graph = await graphOf([
      'const w = 2;', 'let loss = (w - 5) ** 2;', '(loss as any).backward();', // ∂loss/∂w = 2(w - 5) = -6
      '(w as any).data += -0.5 * (w as any).grad;', // w = 2 + 3 = 5
      '(w as any).grad = 0;', 'loss = (w - 5) ** 2;', '(loss as any).backward();',
      '(w as any).data * 10 + (w as any).grad',
    ].join('\n'));
    assert.equal(nodesOf(graph)[graph.output].data, 50);
  });

  it('the graph shows its output\'s own gradients, not the sum of the snippet\'s passes', async () => {
    // Three passes from values that depend on y; the output w does not: ∂w/∂y is 0, whatever y.grad holds.
    const graph = await graphOf([
      'const x = 2;', 'const y = 3;', 'for (let k = 0; k < 3; k++) { const v = x * y * (k + 1); (v as any).backward(); }', 'const w = x * 4;', 'w',
    ].join('\n'));
    assert.equal(leaf(graph, 'y').grad, 0);
    assert.equal(leaf(graph, 'x').grad, 4);
  });

  it('a computed value\'s data cannot be set: a located TypeError', async () => {
    const result = await evaluateSnippet({ text: 'const a = 2;\nconst b = a * 3;\n(b as any).data = 7;\nb', fileName: 'training.ts' });
    assert.ok(!result.ok);
    assert.match(result.error.message, /^TypeError: only a leaf's data can be set/);
    assert.equal(result.error.line, 3);
  });
});
