// The gradient check on the reference snippets, whose PyTorch (float64) gradients are in snippets.json: the
// numeric derivatives must match PyTorch's, independently of our autograd, and the check must find the
// snippets that are not smooth at their values. Kinks must disagree, with the reason.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { stopSpareProcess } from '../../src/snippet/evaluate.ts';
import { checkGradients, type GradientCheck } from '../../src/snippet/gradientCheck.ts';

interface Case { output: number; grads: Record<string, number> }
const reference = JSON.parse(readFileSync(new URL('../reference/snippets.json', import.meta.url), 'utf8')) as { cases: Record<string, Case> };
const folder = new URL('../reference/snippets/', import.meta.url);
const files = readdirSync(folder).filter((file) => file.endsWith('.ts')).sort();

/** The reference snippets that are not differentiable at their values, with the leaves where, and why. */
const NOT_SMOOTH: Record<string, Record<string, RegExp>> = {
  // `n` counts the loop: moving it changes how many times the body runs.
  do_while: { n: /^a kink at n = 1: the code branches on n/ },
  // Ties: a, b, c disagree (three tied), d and e are flagged though the central difference agrees (two).
  max_min_ties: { a: /piecewise operation/, b: /piecewise operation/, c: /piecewise operation/, d: /piecewise operation/, e: /piecewise operation/ },
  // `M[i][j] === 2` skips the element only at exactly 2.
  nested_loops: { 'M[0][1]': /^an isolated point at M\[0\]\[1\] = 2/ },
  // `Number(\`${a * 2}\`)` carries `a` through a string.
  template_string: { a: /^a reaches the output outside the graph/ },
};

// One sandbox process serves every check of this file (ended after them), as for the CLI's files.
after(stopSpareProcess);

async function check(text: string, fileName = 'check.ts'): Promise<GradientCheck> {
  const result = await checkGradients({ text, fileName }, { reuseProcess: true });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.check;
}

describe('the gradient check', () => {
  for (const file of files) {
    const name = file.slice(0, -'.ts'.length);
    it(`${name}: numeric derivatives as PyTorch's${NOT_SMOOTH[name] ? ', and the kinks found' : ''}`, async () => {
      const expected = reference.cases[name];
      const result = await check(readFileSync(new URL(file, folder), 'utf8'), file);
      assert.deepEqual(result.leaves.map((leaf) => leaf.label).sort(), Object.keys(expected.grads).sort());
      const kinks = NOT_SMOOTH[name] ?? {};
      for (const leaf of result.leaves) {
        const torch = expected.grads[leaf.label];
        if (kinks[leaf.label]) {
          assert.ok(leaf.disagrees, `${leaf.label} should disagree`);
          assert.match(leaf.reason ?? '', kinks[leaf.label]);
          continue;
        }
        // Against PyTorch, not against our own autograd: 1e-8 relative, or absolute at the output's scale.
        const scale = Math.max(Math.abs(torch), 1e-6 * Math.max(1, Math.abs(expected.output)));
        assert.ok(Math.abs(leaf.numeric - torch) <= 1e-8 * scale, `${leaf.label}: numeric ${leaf.numeric}, PyTorch ${torch}`);
        assert.equal(leaf.disagrees, false, leaf.label);
        assert.equal(leaf.reason, undefined);
      }
      if (!NOT_SMOOTH[name]) assert.ok(result.worst < 1e-6, `worst ${result.worst}`);
      else assert.ok(result.worst > 1e-3, `worst ${result.worst}`);
    });
  }

  it('a branch at its kink: `x > 0 ? x : 0` at 0 is 0 by autograd, 0.5 by finite differences', async () => {
    const [x] = (await check('const x = 0;\nconst y = x > 0 ? x : 0;\n')).leaves;
    assert.equal(x.autograd, 0);
    assert.ok(Math.abs(x.numeric - 0.5) < 1e-9, String(x.numeric));
    assert.equal(x.relativeError, 1);
    assert.match(x.reason ?? '', /^a kink at x = 0: the code branches on x, and takes another path on either side$/);
  });

  it('Math.abs at 0 and a tie of Math.max are kinks, flagged even where the central difference agrees', async () => {
    // Either side of 0 the slopes are -1 and 1: autograd's abs'(0) = 0 is their mean, as the central difference is.
    const [abs] = (await check('const x = 0;\nMath.abs(x)\n')).leaves;
    assert.deepEqual([abs.autograd, abs.numeric, abs.relativeError, abs.disagrees], [0, 0, 0, true]);
    assert.match(abs.reason ?? '', /^a kink at x = 0: a piecewise operation/);
    const max = (await check('const a = 1, b = 1;\nMath.max(a, 2 * b - 1) * 4\n')).leaves;
    assert.deepEqual(max.map((leaf) => leaf.autograd), [2, 4]);
    assert.ok(max.every((leaf) => leaf.disagrees && /^a kink at [ab] = 1: a piecewise operation/.test(leaf.reason ?? '')), JSON.stringify(max));
    // Three tied: autograd gives each a third, the central difference (1 + 0) / 2.
    const [first] = (await check('const a = 2, b = 2, c = 2;\nMath.max(a, b, c)\n')).leaves;
    assert.ok(Math.abs(first.autograd - 1 / 3) < 1e-15 && Math.abs(first.numeric - 0.5) < 1e-9, JSON.stringify(first));
  });

  it('relu at 0 in a neuron of nn: the weights made by nn are leaves the check moves too', async () => {
    const leaves = (await check('const x = 0;\nconst n = new Neuron(1);\nn([x])\n')).leaves;
    const bias = leaves.find((leaf) => leaf.label === 'b');
    assert.ok(bias, leaves.map((leaf) => leaf.label).join());
    assert.equal(bias.autograd, 0);
    assert.ok(Math.abs(bias.numeric - 0.5) < 1e-9, String(bias.numeric));
    assert.match(bias.reason ?? '', /^a kink at b = 0: a piecewise operation/);
  });

  it('reports a snippet that fails as the evaluation would', async () => {
    const result = await checkGradients({ text: 'const a = 2;\nconst b = a *;\n', fileName: 'broken.ts' });
    assert.ok(!result.ok);
    assert.equal(result.error.line, 2);
  });
});
