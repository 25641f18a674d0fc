// What the graph shows of micrograd's nn in a snippet (labels, ranges, call groups), that a snippet's own
// declarations shadow it, that replacing built-ins changes nothing it computes, and its located errors.
// Reference values are the runtime's own unreplaced run, or worked out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childrenOf, hierarchyOf } from '../../src/graph/hierarchy.ts';
import type { GraphModel } from '../../src/graph/model.ts';
import { nodesOf } from '../../src/graph/reader.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';

async function graphOf(text: string): Promise<GraphModel> {
  const result = await evaluateSnippet({ text, fileName: 'nn.ts' });
  assert.ok(result.ok, result.ok ? '' : `${result.error.line}:${result.error.column} ${result.error.message}`);
  return result.graph;
}

/** The text of the document a node's or a group's range covers (one line). */
const textOf = (text: string, range: { startLine: number; startCharacter: number; endCharacter: number }) => text.split('\n')[range.startLine].slice(range.startCharacter, range.endCharacter);

/** The view tree as indented labels. */
function tree(graph: GraphModel): string[] {
  const hierarchy = hierarchyOf(graph);
  const lines: string[] = [];
  const walk = (view: number, depth: number) => {
    for (const child of childrenOf(hierarchy, view)) {
      lines.push(`${'  '.repeat(depth)}${hierarchy.labelOf(child)}`);
      walk(child, depth + 1);
    }
  };
  walk(-1, 0);
  return lines;
}

describe("micrograd's nn in the graph", () => {
  it('weights are leaves L0.N1.w2 at the new MLP(…) range; a call\'s nodes are at mlp(x), in MLP(…) > Layer(…) > Neuron(…)', async () => {
    const text = 'const mlp = new MLP(2, [2, 1]);\nconst y = mlp([1, 2]);\ny';
    const graph = await graphOf(text);
    const nodes = nodesOf(graph);
    const weights = graph.leaves.map((id) => nodes[id]);
    assert.deepEqual(weights.map((node) => node.label), ['L0.N0.w0', 'L0.N0.w1', 'L0.N0.b', 'L0.N1.w0', 'L0.N1.w1', 'L0.N1.b', 'L1.N0.w0', 'L1.N0.w1', 'L1.N0.b']);
    for (const id of graph.leaves) assert.equal(textOf(text, graph.ranges[graph.site[id]]), 'new MLP(2, [2, 1])');
    assert.equal(textOf(text, graph.ranges[graph.site[graph.output]]), 'mlp([1, 2])');
    assert.deepEqual(tree(graph), [
      'new MLP(…)', '  new Layer(…)', '    new Neuron(…)', '    new Neuron(…)', '  new Layer(…)', '    new Neuron(…)',
      'MLP(…)', '  Layer(…)', '    Neuron(…)', '    Neuron(…)', '  Layer(…)', '    Neuron(…)',
    ]);
  });

  it('a standalone Layer labels N1.w2, a Neuron w2 and b; a call inside a function nests in its group', async () => {
    const graph = await graphOf('const layer = new Layer(2, 2);\nconst n = new Neuron(2, false);\nfunction f(x: number[]) { return n(x); }\nconst y = layer([1, 2])[1] + f([3, 4]);\ny');
    assert.deepEqual(graph.leaves.map((id) => nodesOf(graph)[id].label), ['N0.w0', 'N0.w1', 'N0.b', 'N1.w0', 'N1.w1', 'N1.b', 'w0', 'w1', 'b']);
    assert.deepEqual(tree(graph).filter((line) => !line.trim().startsWith('new')), ['Layer(…)', '  Neuron(…)', '  Neuron(…)', 'f(…)', '  Neuron(…)']);
  });

  it('calls the rewriter cannot see (xs.map(mlp), mlp.layers[0](x)) work, at the new MLP(…) range', async () => {
    const text = 'const mlp = new MLP(2, [1]);\nconst outs = [[1, 2]].map(mlp);\nconst first = mlp.layers[0]([1, 2]);\nconst y = outs[0] - first;\ny';
    const graph = await graphOf(text);
    assert.equal(nodesOf(graph)[graph.output].data, 0);
    const sum = nodesOf(graph).find((node) => node.op === '+')!;
    assert.equal(textOf(text, graph.ranges[graph.site[sum.id]]), 'new MLP(2, [1])');
  });

  it("a snippet's own MLP, Neuron and mseLoss shadow nn's", async () => {
    const graph = await graphOf('function MLP(n: number) { return n * 2; }\nconst mseLoss = (a: number) => a + 1;\nclass Neuron { constructor(public w: number) {} }\nconst a = 3;\nconst y = MLP(a) + mseLoss(a) + new Neuron(a).w;\ny');
    assert.equal(nodesOf(graph)[graph.output].data, 6 + 4 + 3);
  });

  it('replacing Array.prototype.map, Math\'s functions, Symbol.iterator, Reflect, Object.setPrototypeOf and WeakMap\'s methods changes nothing nn computes', async () => {
    const lesson = "const mlp = new MLP(3, [4, 4, 1], { activation: 'tanh' });\nconst s = new MLP(3, [2, 1], { activation: 'sigmoid' });\nconst loss = mseLoss([mlp([2, 3, -1]), s([3, -1, 0.5])], [1, -1]);\nloss.backward();\nnew Adam(mlp.parameters(), { lr: 0.1 }).step();\nconsole.log(mlp.parameters().map((p) => p.data).join(' '));\nloss";
    const clean = await graphOf(lesson);
    const replaced = await graphOf([
      'const map = Array.prototype.map;', 'Array.prototype.map = function () { return []; } as any;', 'Array.prototype.push = () => 0;',
      '(Math as any).imul = () => 0;', '(Math as any).exp = () => 0;', '(Math as any).sqrt = () => 1;', '(Math as any).tanh = () => 0;', '(Array.prototype as any)[Symbol.iterator] = function* () {};',
      '(Reflect as any).construct = () => ({});', '(Object as any).setPrototypeOf = () => ({});', 'WeakMap.prototype.get = () => undefined;', 'WeakMap.prototype.set = function () { return this; };',
      '(globalThis as any).Int32Array = Array;', '(globalThis as any).Float64Array = Array;', 'Array.prototype.map = map;', lesson,
    ].join('\n'));
    assert.equal(nodesOf(replaced)[replaced.output].data, nodesOf(clean)[clean.output].data);
    assert.deepEqual(replaced.logs, clean.logs);
  });

  it('wrong arguments are located TypeErrors that say what to do', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['const mlp = new MLP(3);\nmlp([1, 2, 3])', 1, /^TypeError: MLP needs nouts, the sizes of its layers, not undefined: new MLP\(3, \[4, 4, 1\]\)/],
      ['const mlp = new MLP(3, [2]);\nmlp([1, 2])', 2, /^TypeError: MLP\(x\) takes 3 inputs, not 2: call it with an array of 3 numbers/],
      ["const n = new Neuron(2);\nn([1, 'a' as any])", 2, /^TypeError: Neuron\(x\): x\[1\] is a string, not a number/],
      ['const layer = new Layer(2.5, 1);\n1', 1, /^TypeError: nin must be a positive whole number/],
      ["const mlp = new MLP(1, [1], { activation: 'gelu' as any });\n1", 1, /^TypeError: MLP's activation must be 'relu', 'tanh', 'sigmoid' or 'linear'/],
      ['const a = 2;\nconst b = a * 3;\nnew SGD([b], { lr: 0.1 });\nb', 3, /^TypeError: SGD's parameter 0 is not a leaf/],
      ['const a = 2;\nnew SGD([a], {} as any);\na', 2, /^TypeError: SGD needs a learning rate/],
      ['const a = 2;\nmseLoss([a], [1, 2])', 2, /^TypeError: mseLoss takes as many targets as predictions/],
    ];
    for (const [text, line, message] of cases) {
      const result = await evaluateSnippet({ text, fileName: 'nn.ts' });
      assert.ok(!result.ok, text);
      assert.match(result.error.message, message, text);
      assert.equal(result.error.line, line, text);
    }
  });

  it('an optimizer step sets the leaves in place and makes no node', async () => {
    // loss = (w - 3)², ∂loss/∂w = 2(w - 3) = -2 at w = 2; one step of lr 0.25: w = 2.5.
    const snippet = (step: string) => `const w = 2;\nconst loss = (w - 3) ** 2;\nloss.backward();\n${step}\nconst after = w * 1;\nafter`;
    const graph = await graphOf(snippet('new SGD([w], { lr: 0.25 }).step();'));
    assert.equal(nodesOf(graph)[graph.output].data, 2.5);
    assert.equal(graph.nodeCount, (await graphOf(snippet(''))).nodeCount);
  });
});
