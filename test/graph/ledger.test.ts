// The chain-rule ledger (graph/ledger.ts) on the courses' accumulation example and on a value used three
// times. Reference values are worked out by hand: e = c·d with c = a + b, d = c·a at a = 2, b = 3.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ledgerOf } from '../../src/graph/ledger.ts';
import type { GraphModel } from '../../src/graph/model.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';

async function graphOf(text: string): Promise<GraphModel> {
  const result = await evaluateSnippet({ text, fileName: 'ledger.ts' });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.graph;
}
const idOf = (graph: GraphModel, name: string) => graph.label.findIndex((label) => label >= 0 && graph.labels[label] === name);

describe('the chain-rule ledger', () => {
  it("writes ∂e/∂a = 25 (through d, 5 × 5) + 20 (through c, 20 × 1) = 45, and ∂e/∂c = 10 (directly) + 10 (through d, 5 × 2) = 20", async () => {
    const graph = await graphOf('const a = 2;\nconst b = 3;\nconst c = a + b;\nconst d = c * a;\nconst e = c * d;\ne\n');
    const [a, c, d, e] = ['a', 'c', 'd', 'e'].map((name) => idOf(graph, name));
    const ofA = ledgerOf(graph, a)!;
    assert.deepEqual(ofA.terms.map((term) => [term.consumer, term.upstream, term.local, term.contribution, term.direct]), [[d, 5, 5, 25, false], [c, 20, 1, 20, false]]);
    assert.equal(ofA.total, 45);
    assert.equal(ofA.total, graph.grad[a]);
    const ofC = ledgerOf(graph, c)!;
    assert.deepEqual(ofC.terms.map((term) => [term.consumer, term.upstream, term.local, term.contribution, term.direct]), [[e, 1, 10, 10, true], [d, 5, 2, 10, false]]);
    assert.equal(ofC.total, 20);
    // The course notes' numbers: c overwritten to one term (10), and a inheriting it: 25 + 10 × 1 = 35.
    assert.deepEqual(ofC.overwritten, { value: 10, consumer: d });
    assert.deepEqual(ofA.inherited, { value: 35, through: [{ consumer: c, kept: 10 }] });
    assert.equal(ledgerOf(graph, e), undefined, 'the output has no consumers');
  });

  it('adds one term per use: a value used three times, twice in one product', async () => {
    // y = x·x + 3x at x = 2: ∂y/∂x = 2x + 3 = 7, the product passing back x + x.
    const graph = await graphOf('const x = 2;\nconst p = x * x;\nconst q = 3 * x;\nconst y = p + q;\ny\n');
    const x = idOf(graph, 'x');
    const ledger = ledgerOf(graph, x)!;
    assert.deepEqual(ledger.terms.map((term) => [term.consumer, term.local, term.contribution]), [[idOf(graph, 'q'), 3, 3], [idOf(graph, 'p'), 4, 4]]);
    assert.equal(ledger.total, 7);
    assert.equal(graph.grad[x], 7);
    assert.deepEqual(ledger.overwritten, { value: 4, consumer: idOf(graph, 'p') });
    assert.equal(ledger.inherited, undefined, 'its consumers have one term each');
  });
});
