// micrograd's API on a snippet's numbers: `.data` (assignable on a leaf), `.grad` (assignable) and
// `.backward()`, which accumulates as PyTorch does; and the graph's gradients are its output's own, never
// the sum of the snippet's own backward passes. Reference values are worked out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphModel } from '../../src/graph/model.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';
import { nodesOf } from '../../src/graph/reader.ts';
import { stepGraph } from '../../src/graph/steps.ts';
import { parseGraph, serializeGraph } from '../../src/graph/codec.ts';

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

  it('a gradient set by hand before the first pass is not taken for the pass\'s own', async () => {
    // As PyTorch: y.grad does not seed backward; the seed is 1, so ∂y/∂x = 2x = 6, and y.grad becomes 5 + 1.
    const graph = await graphOf(['const x = 3;', 'const y = x * x;', '(y as any).grad = 5;', '(y as any).backward();', '(x as any).grad * 100 + (y as any).grad'].join('\n'));
    assert.equal(nodesOf(graph)[graph.output].data, 606);
  });

  it('each backward() is a step with its loss, its own gradients, the accumulated .grad and the parameters as they were', async () => {
    // loss = (w·y - 10)²; ∂loss/∂w = 2(w·y - 10)·y. Without zeroing, .grad sums the steps' own gradients.
    const graph = await graphOf([
      'const w = 2;', 'const y = 3;', 'for (let k = 0; k < 3; k++) {', '  const loss = (w * y - 10) ** 2;', '  (loss as any).backward();',
      '  (w as any).data -= 0.01 * (w as any).grad;', '}', 'w * 1',
    ].join('\n'));
    const steps = graph.steps!;
    assert.equal(steps.count, 3);
    let w = 2;
    let sum = 0;
    for (let k = 0; k < 3; k++) {
      const own = 2 * (w * 3 - 10) * 3;
      sum += own;
      assert.equal(steps.loss[k], (w * 3 - 10) ** 2, `loss of step ${k}`);
      const step = stepGraph(graph, k)!;
      const wId = leaf(graph, 'w').id;
      assert.equal(step.graph.grad[wId], own, `∂loss_${k}/∂w`);
      assert.equal(step.accumulated[wId], sum, `w.grad after step ${k}`);
      assert.equal(step.graph.data[wId], w, `w during step ${k}`);
      assert.equal(step.graph.grad[leaf(graph, 'y').id], 2 * (w * 3 - 10) * w, `∂loss_${k}/∂y`);
      assert.equal(step.accumulates > 0, k > 0);
      assert.equal(step.full, true);
      assert.equal(nodesOf(step.graph)[step.graph.output].data, steps.loss[k]);
      w -= 0.01 * sum;
    }
    // The graph itself is its output's: ∂(w·1)/∂w = 1, whatever the steps accumulated.
    assert.equal(leaf(graph, 'w').grad, 1);
    assert.equal(stepGraph(graph, 3), undefined);
  });

  it('a step\'s graph holds only what its pass reached: nodes of other steps have gradient 0', async () => {
    const graph = await graphOf(['const a = 2;', 'const first = a * 3;', '(first as any).backward();', 'const second = a * 5;', '(second as any).backward();', 'second'].join('\n'));
    const one = stepGraph(graph, 0)!;
    const secondId = graph.output;
    assert.equal(one.graph.grad[secondId], 0);
    assert.equal(one.graph.grad[leaf(graph, 'a').id], 3);
    assert.equal(stepGraph(graph, 1)!.graph.grad[leaf(graph, 'a').id], 5);
    assert.equal(stepGraph(graph, 1)!.accumulated[leaf(graph, 'a').id], 8);
  });

  it('steps travel in the graph\'s JSON', async () => {
    const graph = await graphOf(['const a = 2;', 'for (let k = 0; k < 2; k++) { const l = a * a; (l as any).backward(); (a as any).grad = 0; }', 'a * 1'].join('\n'));
    const back = parseGraph(serializeGraph(graph));
    assert.deepEqual(Array.from(back.steps!.loss), Array.from(graph.steps!.loss));
    assert.deepEqual(Array.from(back.steps!.node), Array.from(graph.steps!.node));
    assert.deepEqual(Array.from(back.steps!.grad), Array.from(graph.steps!.grad));
  });

  it('a computed value\'s data cannot be set: a located TypeError', async () => {
    const result = await evaluateSnippet({ text: 'const a = 2;\nconst b = a * 3;\n(b as any).data = 7;\nb', fileName: 'training.ts' });
    assert.ok(!result.ok);
    assert.match(result.error.message, /^TypeError: only a leaf's data can be set/);
    assert.equal(result.error.line, 3);
  });
});
