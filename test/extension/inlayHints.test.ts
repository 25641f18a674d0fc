// The editor's inlay hints (src/extension/inlayHints.ts): where each goes and what it says, for snippets
// whose gradients are worked out by hand in the comments (never read back from the engine).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gradientHints, hintsOnLines, outputName, type GradientHint } from '../../src/extension/inlayHints.ts';
import type { GraphModel } from '../../src/graph/model.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';

async function graphOf(text: string): Promise<GraphModel> {
  const result = await evaluateSnippet({ text, fileName: 'snippet.ts' });
  if (!result.ok) throw new Error(result.error.message);
  return result.graph;
}

function hintsOf(graph: GraphModel, text: string, digits = 4): GradientHint[] {
  const lines = text.split('\n');
  return gradientHints(graph, { digits, lineText: (line) => lines[line] });
}

/** Each hint as `line:character label`, in order. */
const placed = (hints: readonly GradientHint[]): string[] => hints.map((hint) => `${hint.line}:${hint.character} ${hint.label}`);

// L = (a·b + c)·f: ∂L/∂a = b·f = 6, ∂L/∂b = a·f = -4, ∂L/∂c = f = -2, ∂L/∂f = a·b + c = 4; L = -8.
const MICROGRAD = 'const a = 2.0;\nconst b = -3.0;\nconst c = 10.0;\nconst f = -2.0;\nconst e = a * b;\nconst d = e + c;\nconst L = d * f;\n';

describe('inlay hints', () => {
  it("puts micrograd's gradients after each leaf's initializer and its `;`, and L's value after its statement", async () => {
    const hints = hintsOf(await graphOf(MICROGRAD), MICROGRAD);
    assert.deepEqual(placed(hints), [
      '0:14 ∂L/∂a = 6.0000',
      '1:15 ∂L/∂b = -4.0000',
      '2:15 ∂L/∂c = -2.0000',
      '3:15 ∂L/∂f = 4.0000',
      '6:16 L = -8.0000',
    ]);
    assert.equal(hints[0].tooltip, 'a = 2.0000 · ∂L/∂a = 6.0000');
  });

  it('follows the digits setting', async () => {
    const hints = hintsOf(await graphOf(MICROGRAD), MICROGRAD, 1);
    assert.deepEqual(hints.map((hint) => hint.label), ['∂L/∂a = 6.0', '∂L/∂b = -4.0', '∂L/∂c = -2.0', '∂L/∂f = 4.0', 'L = -8.0']);
  });

  it('puts a hint after each declarator of a line, and after each element of an array of leaves', async () => {
    // y = a·b + w0·w1·3: ∂y/∂a = b = -3, ∂y/∂b = a = 2, ∂y/∂w0 = 3·w1 = -6, ∂y/∂w1 = 3·w0 = 4.5; y = -6 - 9 = -15.
    const text = 'const a = 2, b = -3;\nconst w = [1.5, -2];\nconst y = a * b + w[0] * w[1] * 3;\n';
    assert.deepEqual(placed(hintsOf(await graphOf(text), text)), [
      '0:11 ∂y/∂a = -3.0000',
      '0:20 ∂y/∂b = 2.0000',
      '1:14 ∂y/∂w[0] = -6.0000',
      '1:18 ∂y/∂w[1] = 4.5000',
      '2:34 y = -15.0000',
    ]);
  });

  it('gives an array of more than four leaves one hint after the literal, with the largest gradient and a list', async () => {
    // y = Σ W[i][j]·(i + j + 1): ∂y/∂W[i][j] = i + j + 1, the largest 4 at W[1][2]; y = 0.5·(1+2+3+2+3+4) = 7.5.
    const text = 'const W = [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]];\nlet y = 0;\nfor (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) y = y + W[i][j] * (i + j + 1);\ny\n';
    const hints = hintsOf(await graphOf(text), text);
    assert.deepEqual(placed(hints).slice(0, 1), ['0:45 6 leaves · largest ∂y/∂W[1][2] = 4.0000']);
    assert.deepEqual(hints[0].tooltip.split('\n'), ['∂y/∂W[0][0] = 1.0000', '∂y/∂W[0][1] = 2.0000', '∂y/∂W[0][2] = 3.0000', '∂y/∂W[1][0] = 2.0000', '∂y/∂W[1][1] = 3.0000', '∂y/∂W[1][2] = 4.0000']);
    // Then `let y = 0`'s own leaf (y = y0 + …, so ∂y/∂y0 = 1) and the output's value: no hint per element.
    assert.deepEqual(placed(hints).slice(1), ['1:10 ∂y/∂y = 1.0000', '3:1 y = 7.5000']);
  });

  it('names an output made by a long expression `output`, and puts its value after the expression', async () => {
    // (x·x - 1)·x at x = 3: 24; its derivative 3x² - 1 = 26.
    const text = 'const x = 3;\n(x * x - 1) * x;\n';
    const graph = await graphOf(text);
    assert.equal(outputName(graph), 'output');
    assert.deepEqual(placed(hintsOf(graph, text)), ['0:12 ∂output/∂x = 26.0000', '1:16 output = 24.0000']);
  });

  it("shows a training snippet's output gradient at its leaves, and the output's value at the final `loss`", async () => {
    // loss = (2w - 4)², w -= 0.1·∂loss/∂w, with ∂loss/∂w = 4(2w - 4): w = 0 → 1.6 → 1.92 → 1.984. The output is the
    // third loss, (2·1.92 - 4)² = 0.0256, and its gradient at w = 1.92 is 4·(-0.16) = -0.64.
    const text = [
      'const w = 0.0;',
      'let loss = 0;',
      'for (let step = 0; step < 3; step++) {',
      '  loss = (w * 2 - 4) ** 2;',
      '  w.grad = 0;',
      '  loss.backward();',
      '  w.data += -0.1 * w.grad;',
      '}',
      'loss // the last step\'s',
      '',
    ].join('\n');
    const hints = hintsOf(await graphOf(text), text);
    // `let loss = 0` is a leaf too: its 0 is replaced before any use, so nothing depends on it.
    assert.deepEqual(placed(hints), ['0:14 ∂loss/∂w = -0.6400', '1:13 ∂loss/∂loss = 0.0000', '8:4 loss = 0.0256']);
    assert.match(hints[0].tooltip, /^w = 1\.9840 · ∂loss\/∂w = -0\.6400\n\nThe gradient of the snippet's output `loss` .*after 3 backward\(\) steps; a value they updated has its final value\)\. It is not the `\.grad`/);
  });

  it("gives a network's weights, all made at `new MLP(…)`, one hint with the largest gradient and a list", async () => {
    // One linear neuron (micrograd's last layer has no nonlinearity): y = w0·1 + w1·2 + b, so ∂y/∂w0 = 1,
    // ∂y/∂w1 = 2, ∂y/∂b = 1.
    const text = 'const mlp = new MLP(2, [1]);\nconst y = mlp([1, 2]);\n';
    const hints = hintsOf(await graphOf(text), text);
    assert.equal(hints.length, 2);
    assert.equal(hints[0].label, '3 leaves · largest ∂y/∂L0.N0.w1 = 2.0000');
    assert.deepEqual(hints[0].tooltip.split('\n'), ['∂y/∂L0.N0.w0 = 1.0000', '∂y/∂L0.N0.w1 = 2.0000', '∂y/∂L0.N0.b = 1.0000']);
    assert.equal(hints[1].label.startsWith('y = '), true);
  });

  it("gives only the hints of the editor's visible lines", async () => {
    const hints = hintsOf(await graphOf(MICROGRAD), MICROGRAD);
    assert.deepEqual(hintsOnLines(hints, 1, 3).map((hint) => hint.line), [1, 2, 3]);
    assert.deepEqual(hintsOnLines(hints, 4, 5), []);
    assert.deepEqual(hintsOnLines(hints, 6, 100).map((hint) => hint.label), ['L = -8.0000']);
  });
});
