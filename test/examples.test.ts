// The examples a new user opens first: clean in the editor (TypeScript reports nothing with examples/'s own
// tsconfig.json, which the editor uses for them) and each one evaluates.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { labelOf } from '../src/graph/reader.ts';
import { evaluateGradients, evaluateSnippet } from '../src/snippet/evaluate.ts';

const examples = path.join(__dirname, '..', 'examples');
const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');

describe('examples', () => {
  it('type-check with no error as the editor checks them (no "Cannot redeclare" across files)', () => {
    const result = spawnSync(process.execPath, [tsc, '-p', path.join(examples, 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  for (const file of readdirSync(examples).filter((name) => name.endsWith('.ts'))) {
    it(`${file} evaluates`, async () => {
      const result = await evaluateSnippet({ text: readFileSync(path.join(examples, file), 'utf8'), fileName: file });
      assert.ok(result.ok, result.ok ? '' : `${result.error.line}:${result.error.column} ${result.error.message}`);
      // The leaves-only evaluation (the CLI's table and --grads) gives the graph's leaves and output exactly.
      const leaves = await evaluateGradients({ text: readFileSync(path.join(examples, file), 'utf8'), fileName: file });
      assert.ok(leaves.ok);
      const { graph } = result;
      const { gradients } = leaves;
      assert.deepEqual(gradients.leaves, graph.leaves.map((id) => ({ id, label: labelOf(graph, id), data: graph.data[id], grad: graph.grad[id] })));
      assert.deepEqual(gradients.output, { id: graph.output, label: graph.outputLabel, data: graph.data[graph.output], grad: graph.grad[graph.output] });
      assert.deepEqual(gradients.counts, graph.counts);
    });
  }
});
