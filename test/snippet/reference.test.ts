// Every snippet in test/reference/snippets/ against the same computation written in PyTorch
// (test/reference/snippets.json, made by snippet_reference.py): the output's value and the gradient of
// every leaf, by label. The snippets together cover the language the evaluator accepts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';
import { nodesOf } from '../../src/graph/reader.ts';

interface Case { output: number; grads: Record<string, number> }
const reference = JSON.parse(readFileSync(new URL('../reference/snippets.json', import.meta.url), 'utf8')) as { cases: Record<string, Case> };
const folder = new URL('../reference/snippets/', import.meta.url);
const files = readdirSync(folder).filter((file) => file.endsWith('.ts')).sort();

/**
 * Equal within a relative 1e-12 (exactly, when the reference is 0). The engine follows PyTorch's formulas,
 * but V8's libm and PyTorch's may round a transcendental function one ulp apart, and a chain of them
 * (tanh's 1 - out² near saturation, an MLP's sums) carries that into the last few digits.
 */
function assertClose(actual: number, expected: number, message: string): void {
  const close = actual === expected || Math.abs(actual - expected) <= 1e-12 * Math.abs(expected);
  assert.ok(close, `${message}: expected ${expected}, got ${actual} (off by ${actual - expected})`);
}

describe('snippets against PyTorch (float64)', () => {
  it('has a PyTorch twin for every snippet and a snippet for every twin', () => {
    assert.deepEqual(files.map((file) => file.slice(0, -'.ts'.length)), Object.keys(reference.cases).sort());
    assert.ok(files.length >= 20, `only ${files.length} reference snippets`);
  });

  for (const file of files) {
    const name = file.slice(0, -'.ts'.length);
    it(name, async () => {
      const expected = reference.cases[name];
      assert.ok(expected, `no case ${name} in snippets.json: run snippet_reference.py`);
      const text = readFileSync(new URL(file, folder), 'utf8');
      const result = await evaluateSnippet({ text, fileName: file });
      assert.ok(result.ok, result.ok ? '' : `${result.error.message} (${result.error.line}:${result.error.column})`);
      const { graph } = result;
      assertClose(nodesOf(graph)[graph.output].data, expected.output, 'output');

      const leaves = graph.leaves.map((id) => nodesOf(graph)[id]);
      const labels = leaves.map((leaf) => leaf.label ?? `#${leaf.id}`);
      assert.deepEqual([...labels].sort(), Object.keys(expected.grads).sort(), 'the leaves, by label');
      for (const leaf of leaves) {
        assert.equal(leaf.kind, 'leaf');
        assertClose(leaf.grad, expected.grads[leaf.label!], `∂output/∂${leaf.label}`);
      }
    });
  }
});
