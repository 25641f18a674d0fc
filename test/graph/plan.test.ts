// The view planner (src/graph/plan.ts): the first picture within the budget, opening and closing,
// revealing, a cone, folded constants, names, merged edges, long loops, determinism. On the MLP evaluated
// for real and on long loops made as columns.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildHierarchy, childrenOf } from '../../src/graph/hierarchy.ts';
import { labelText } from '../../src/graph/labels.ts';
import type { GraphModel, SourceRange } from '../../src/graph/model.ts';
import { NO_CHOICES, planView, type DrawnBox, type PlanOptions, type ViewChoices, type ViewPlan } from '../../src/graph/plan.ts';
import { sourceTextIn } from '../../src/graph/planLabels.ts';
import { labelOf, valueCount } from '../../src/graph/reader.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';
import { loopGraph } from './loopGraph.fixture.ts';
import { MLP_SOURCE } from './mlp.fixture.ts';

const lines = MLP_SOURCE.split('\n');
const sourceText = (range: SourceRange) => (range.startLine === range.endLine ? lines[range.startLine].slice(range.startCharacter, range.endCharacter) : undefined);
const OPTIONS: PlanOptions = { budget: 60, showConstants: false, direction: 'LR', digits: 4, sourceText };

let mlp: GraphModel;
before(async () => {
  const result = await evaluateSnippet({ text: MLP_SOURCE, fileName: 'mlp.ts' });
  assert.ok(result.ok);
  mlp = result.graph;
});

const plan = (graph: GraphModel, choices: Partial<ViewChoices> = {}, options: Partial<PlanOptions> = {}) => planView(graph, { ...NO_CHOICES, ...choices }, { ...OPTIONS, ...options });
const boxById = (view: ViewPlan, id: string) => view.boxes.find((box) => box.id === id);
const firstLine = (box: DrawnBox) => labelText(box.lines[0]);
/** The frames around a box or frame, innermost first, as their groups' keys. */
function framesAround(view: ViewPlan, frame: string | undefined): string[] {
  const keys: string[] = [];
  for (let at = frame; at !== undefined; at = view.frames.find((item) => item.id === at)?.parent) keys.push(view.frames.find((item) => item.id === at)!.group);
  return keys;
}

describe('the first picture of an MLP', () => {
  it('fits 60 boxes, with the output a box of its own and the top level made of tensors and the loop, not 58 leaves', () => {
    const view = plan(mlp);
    assert.ok(view.boxCount <= 60, `${view.boxCount} boxes`);
    assert.ok(view.boxCount >= 15, `the picture shows more than the output: ${view.boxCount} boxes`);
    assert.equal(view.outputBox, `v${mlp.output}`);
    assert.equal(view.boxOf(mlp.output), `v${mlp.output}`);
    const output = boxById(view, view.outputBox)!;
    assert.equal(firstLine(output).split(' | ')[0], 'loss');
    assert.deepEqual(framesAround(view, output.frame), ['g165', 'Ltop:0']);
    const topLevel = view.boxes.filter((box) => box.frame === undefined);
    assert.deepEqual(topLevel.filter((box) => box.kind === 'tensor').map(firstLine), ['xs 4×3', 'ys 4', 'W1 4×3', 'b1 4', 'W2 4×4', 'b2 4', 'W3 1×4', 'b3 1']);
    assert.deepEqual(topLevel.filter((box) => box.kind === 'value').map((box) => labelOf(mlp, box.node!)), ['loss']);
    assert.deepEqual(view.frames.filter((frame) => frame.parent === undefined).map((frame) => frame.group), ['Ltop:0']);
    assert.ok(!view.boxes.some((box) => box.kind === 'value' && /^W1\[/.test(firstLine(box))), 'no leaf of W1 drawn alone');
    // A tensor box says its matrix; the boxCount counts value, group and tensor boxes only.
    assert.equal(labelText(boxById(view, view.boxOf(mlp.leaves[16])!)!.lines[1]), 'data 0.1000  -0.2000  0.3000');
    assert.equal(view.boxCount, view.boxes.filter((box) => box.kind !== 'operation').length);
  });

  it('draws collapsed groups as boxes that say what they hold and return, and frames named after their call', () => {
    const view = plan(mlp);
    const groups = view.boxes.filter((box) => box.kind === 'group');
    assert.ok(groups.length > 0);
    for (const box of groups) {
      assert.match(firstLine(box), /^(layer|mlp|neuron)\(…\) \| \d+ values$|^for (\(…\)|#\d+) \| \d+ values$/);
      assert.match(labelText(box.lines[1]), /^data -?\d+\.\d{4} \| grad -?\d+\.\d{4}$/);
      assert.equal(view.boxOf(box.node!), box.id, 'a group box stands for its returned value');
    }
    const loopFrame = view.frames.find((frame) => frame.group === 'Ltop:0')!;
    assert.match(loopFrame.label, /^for \(…\) → \d+\.\d{4}$/);
    assert.match(view.mermaid, new RegExp(`subgraph ${loopFrame.id} \\["for \\(#8230;\\) #8594; \\d+\\.\\d{4}"\\]`));
    assert.match(view.mermaid, /<br\/>data /);
  });

  it('merges the edges into a collapsed group, with a count', () => {
    const view = plan(mlp);
    const w1 = view.boxOf(mlp.leaves[16])!;
    const firstLayer = view.edges.filter((edge) => edge.from === w1);
    assert.ok(firstLayer.length > 0);
    // Each edge stands for the graph's edges from W1's leaves into what its end stands for: counted here
    // from the graph, node by node. Into a whole first layer, that is all 12 weights.
    const w1Leaves = new Set(mlp.leaves.filter((leaf) => view.boxOf(leaf) === w1));
    assert.equal(w1Leaves.size, 12);
    for (const edge of firstLayer) {
      let count = 0;
      for (let node = 0; node < mlp.nodeCount; node++) {
        const drawnAs = view.boxOf(node) === `v${node}` ? `o${node}` : view.boxOf(node);
        if (drawnAs !== edge.to) continue;
        for (let at = mlp.inputStart[node]; at < mlp.inputStart[node + 1]; at++) if (w1Leaves.has(mlp.inputs[at])) count++;
      }
      assert.equal(edge.count, count, `${edge.from} → ${firstLine(boxById(view, edge.to)!)}`);
    }
    const intoLayer = firstLayer.find((edge) => firstLine(boxById(view, edge.to)!).startsWith('layer(…)'))!;
    assert.equal(intoLayer.count, 12);
    assert.ok(view.mermaid.includes(`  ${w1} -->|12| ${intoLayer.to}\n`));
    const pairs = view.edges.map((edge) => `${edge.from} ${edge.to}`);
    assert.equal(new Set(pairs).size, pairs.length, 'one edge per pair');
  });

  it('folds constants into their operation, or draws them when asked', () => {
    const folded = plan(mlp);
    assert.ok(folded.boxes.some((box) => box.kind === 'operation' && firstLine(box) === '** 2.0000'));
    assert.ok(!folded.boxes.some((box) => box.kind === 'value' && box.lines[0][0].role === 'constant'));
    const shown = plan(mlp, {}, { showConstants: true, budget: Infinity });
    const constants = shown.boxes.filter((box) => box.kind === 'value' && box.lines[0][0].role === 'constant');
    assert.equal(constants.length, mlp.counts.constants);
    assert.ok(shown.boxes.some((box) => box.kind === 'operation' && firstLine(box) === '**'));
  });

  it('names unnamed values by their source text when short, else by their operation and line', () => {
    const named = plan(mlp).boxes.filter((box) => box.kind === 'value').map((box) => box.lines[0][0].text);
    assert.ok(named.includes('ypred - ys[k]'), named.join(', '));
    assert.ok(named.includes('(ypred - ys[k]) ** 2'));
    const unnamed = plan(mlp, {}, { sourceText: undefined }).boxes.filter((box) => box.kind === 'value').map((box) => box.lines[0][0].text);
    const line = lines.findIndex((text) => text.includes('loss = loss +')) + 1;
    assert.ok(unnamed.includes(`-, line ${line}`), unnamed.join(', '));
    const long = plan(mlp, {}, { sourceText: () => 'a + very + long + expression + indeed' }).boxes.map((box) => box.lines[0][0].text);
    assert.ok(long.includes(`**, line ${line}`));
  });

  it('reads source text from a document, over lines too', () => {
    const text = sourceTextIn('const a = 1;\nconst b = a *\n  2;\n');
    assert.equal(text({ startLine: 0, startCharacter: 6, endLine: 0, endCharacter: 11 }), 'a = 1');
    assert.equal(text({ startLine: 1, startCharacter: 10, endLine: 2, endCharacter: 3 }), 'a *   2');
    assert.equal(text({ startLine: 7, startCharacter: 0, endLine: 7, endCharacter: 1 }), undefined);
    const view = plan(mlp, {}, { sourceText: sourceTextIn(MLP_SOURCE) });
    assert.ok(view.boxes.some((box) => box.lines[0][0].text === 'ypred - ys[k]'));
  });

  it('is deterministic, and planning again with what it opened gives the same picture', () => {
    const first = plan(mlp);
    assert.equal(plan(mlp).mermaid, first.mermaid);
    const again = plan(mlp, { opened: first.open });
    assert.deepEqual([...again.open].sort(), [...first.open].sort());
    assert.equal(again.boxCount, first.boxCount);
  });

  it('draws everything with an infinite budget', () => {
    const view = plan(mlp, {}, { budget: Infinity });
    assert.equal(view.boxCount, valueCount(mlp));
    assert.ok(view.boxes.every((box) => box.kind === 'value' || box.kind === 'operation'));
  });
});

describe('opening, closing, revealing and a cone', () => {
  it('reads at once: only the call around the output opens, its calls and the other examples\' calls are boxes', () => {
    const first = plan(mlp);
    const opened = (view: ViewPlan, name: string) => view.frames.filter((frame) => frame.label.startsWith(name)).length;
    assert.equal(opened(first, 'mlp('), 1, 'the mlp(…) of the last example, which makes the output');
    assert.equal(opened(first, 'layer('), 0);
    assert.equal(first.boxes.filter((box) => box.kind === 'group' && firstLine(box).startsWith('layer(')).length, 3, 'its three layers as boxes');
    assert.equal(first.boxes.filter((box) => box.kind === 'group' && firstLine(box).startsWith('mlp(')).length, 3, 'the other examples\' mlp(…) as boxes');
    // Opening one layer opens its loop down to its neurons, and no other layer.
    const tree = buildHierarchy(mlp);
    const layer = tree.keyOf(childrenOf(tree, childrenOf(tree, tree.viewOfKey('g0')!)[0])[1]);
    const view = plan(mlp, { opened: [layer] });
    assert.equal(opened(view, 'layer('), 1);
    assert.equal(opened(view, 'neuron('), 0);
  });

  it('opening a layer(…) shows its neuron(…) groups inside its frame, within the budget', () => {
    const tree = buildHierarchy(mlp);
    const layer = tree.keyOf(childrenOf(tree, childrenOf(tree, tree.viewOfKey('g0')!)[0])[1]);
    assert.equal(tree.labelOf(tree.viewOfKey(layer)!), 'layer(…)');
    const first = plan(mlp);
    assert.ok(!first.frames.some((frame) => frame.group === layer), 'closed at first');
    const view = plan(mlp, { opened: [...first.open, layer] });
    assert.ok(view.boxCount <= 60, `${view.boxCount} boxes`);
    assert.equal(view.open.at(-1), layer);
    const neurons = view.boxes.filter((box) => box.kind === 'group' && firstLine(box).startsWith('neuron(…)') && framesAround(view, box.frame).includes(layer));
    assert.equal(neurons.length, 4);
    assert.equal(view.outputBox, `v${mlp.output}`);
  });

  it('a group opened on a small budget still opens, its children collapsed, and the farthest groups close', () => {
    const layer = 'g23';
    const view = plan(mlp, { opened: [layer] }, { budget: 8 });
    assert.ok(view.frames.some((frame) => frame.group === layer));
    assert.ok(view.open.includes(layer));
    assert.ok(!view.frames.some((frame) => frame.group === 'g110' || frame.group === 'g55'), 'other iterations closed');
    // Only what must open: the chains to the opened layer and to the output, and the layer's own short loop
    // down to its neurons (which stay boxes).
    const tree = buildHierarchy(mlp);
    const insideLayer = (key: string) => { for (let at = tree.parent[tree.viewOfKey(key)!]; at >= 0; at = tree.parent[at]) if (tree.keyOf(at) === layer) return true; return false; };
    assert.deepEqual(view.open.filter((key) => !insideLayer(key)).sort(), ['Ltop:0', 'g0', 'g1', 'g165', 'g23']);
    assert.ok(view.open.filter(insideLayer).every((key) => !tree.labelOf(tree.viewOfKey(key)!).startsWith('neuron(')), 'its neurons stay closed');
    assert.equal(view.boxes.filter((box) => box.kind === 'group' && firstLine(box).startsWith('neuron(')).length, 4);
  });

  it('closed wins over the automatic opening: a closed loop is one box, standing for the output', () => {
    const view = plan(mlp, { closed: ['Ltop:0'] });
    assert.deepEqual(view.frames, []);
    const loop = view.boxes.find((box) => box.group === 'Ltop:0')!;
    assert.equal(loop.kind, 'group');
    assert.equal(view.outputBox, loop.id);
    assert.equal(view.boxOf(mlp.output), loop.id);
    assert.equal(loop.node, mlp.output);
    assert.deepEqual(view.open, []);
  });

  it('reveal opens the groups around a node, even closed ones', () => {
    // The tanh of the first neuron of the first example.
    const tree = buildHierarchy(mlp);
    const neuron = tree.returned[tree.viewOfKey('g4')!];
    assert.notEqual(plan(mlp).boxOf(neuron), `v${neuron}`);
    const view = plan(mlp, { reveal: [neuron], closed: ['g1'] });
    assert.equal(view.boxOf(neuron), `v${neuron}`);
    assert.ok(view.open.includes('g1') && view.open.includes('g4'));
  });

  it('a cone shows only what feeds its node, grouped the same way', () => {
    const tree = buildHierarchy(mlp);
    const firstLoss = tree.returned[tree.viewOfKey('g0')!];
    const view = plan(mlp, { cone: firstLoss });
    assert.equal(view.outputBox, `v${firstLoss}`);
    assert.equal(view.boxOf(mlp.output), undefined);
    assert.ok(!view.boxes.some((box) => box.group === 'g55' || box.group === 'g165'), 'later examples are not drawn');
    assert.ok(!view.frames.some((frame) => frame.group === 'g55' || frame.group === 'g165'));
    assert.ok(view.boxes.some((box) => box.group === 'TW1'));
    assert.ok(view.boxCount <= 60);
    // Values counted within the cone: the loop holds only the first example's.
    const whole = plan(mlp, { closed: ['Ltop:0'] });
    const coned = plan(mlp, { closed: ['Ltop:0'], cone: firstLoss });
    const count = (item: ViewPlan) => Number(/(\d+) values/.exec(firstLine(item.boxes.find((box) => box.group === 'Ltop:0')!))![1]);
    assert.equal(count(coned), tree.values[tree.viewOfKey('g0')!]);
    assert.ok(count(whole) > count(coned));
  });
});

describe('long loops', () => {
  for (const iterations of [5_000, 100_000]) {
    it(`a top-level loop of ${iterations.toLocaleString('en-US')} iterations is at most 60 boxes of buckets, no level wider than 12`, () => {
      const graph = loopGraph(iterations);
      const view = plan(graph);
      assert.ok(view.boxCount <= 60, `${view.boxCount} boxes`);
      assert.equal(view.outputBox, `v${graph.output}`);
      const buckets = view.boxes.filter((box) => box.kind === 'group' && /^for #\d+–#\d+ \| [\d,]+ values$/.test(firstLine(box)));
      assert.ok(buckets.length >= 3, view.boxes.map(firstLine).join('\n'));
      const size = iterations === 5_000 ? 1_000 : 10_000;
      assert.ok(view.boxes.some((box) => firstLine(box) === `for #0–#${size - 1} | ${(2 * size).toLocaleString('en-US')} values`));
      // Each frame (and the top level) holds at most 12 groups and frames.
      for (const frame of [undefined, ...view.frames.map((item) => item.id)]) {
        const inside = view.boxes.filter((box) => box.frame === frame && box.kind === 'group').length + view.frames.filter((item) => item.parent === frame).length;
        assert.ok(inside <= 12, `${frame}: ${inside}`);
      }
      // x feeds every iteration: its edges into a bucket merge into one, counted.
      const x = view.boxOf(0)!;
      assert.ok(view.edges.some((edge) => edge.from === x && edge.to === buckets[0].id && edge.count === size), view.mermaid);
    });
  }
});

describe('more items side by side than the budget', () => {
  /** Evaluates a snippet for real. */
  async function graphOf(text: string): Promise<GraphModel> {
    const result = await evaluateSnippet({ text, fileName: 'wide.ts' });
    if (!result.ok) throw new Error(result.error.message);
    return result.graph;
  }

  it('2,000 top-level statements: the latest within the budget, the earlier ones one box that says how many', async () => {
    const lines = ['let s = 0.5;'];
    for (let k = 0; k < 2000; k++) lines.push(`const v${k} = s * ${(k % 7) + 1}; s = s + v${k} * 0.001;`);
    lines.push('s');
    const text = lines.join('\n');
    const graph = await graphOf(text);
    const view = plan(graph, {}, { sourceText: sourceTextIn(text) });
    assert.ok(view.boxCount <= 60, `${view.boxCount} boxes`);
    assert.equal(view.boxOf(graph.output), `v${graph.output}`, 'the output is a box of its own');
    const rest = view.boxes.find((box) => box.id === 'r0');
    assert.ok(rest !== undefined, 'the top level folds its earliest items');
    const folded = Number(firstLine(rest).match(/… ([\d,]+) earlier/)![1].replace(/,/g, ''));
    const drawnValues = view.boxes.filter((box) => box.kind === 'value' && box.frame === undefined).length;
    assert.equal(folded + drawnValues, valueCount(graph), 'every value is drawn or counted in the box');
    assert.equal(view.boxOf(0), 'r0', 'an early value stands for the box');
    assert.ok(view.edges.some((edge) => edge.from === 'r0'), 'edges leave the folded box');
    assert.ok(view.mermaid.includes('  r0[['), view.mermaid.slice(0, 200));
  });

  it('3,000 calls side by side at the top level: the latest as boxes, the earlier folded, a reveal still shows an early one', async () => {
    const lines = ['function f(x: number): number { return Math.tanh(x * 0.5); }', 'let s = 0;'];
    for (let k = 0; k < 3000; k++) lines.push(`s = s + f(${k / 3000});`);
    lines.push('s');
    const text = lines.join('\n');
    const graph = await graphOf(text);
    const options = { sourceText: sourceTextIn(text) };
    const view = plan(graph, {}, options);
    assert.ok(view.boxCount <= 60, `${view.boxCount} boxes`);
    assert.equal(view.boxOf(graph.output), `v${graph.output}`);
    assert.ok(view.boxes.some((box) => box.id === 'r0'), 'the earlier calls fold');
    const early = graph.nodeCount > 10 ? 5 : 0;
    const revealed = plan(graph, { reveal: [early] }, options);
    assert.ok(revealed.boxCount <= 60, `${revealed.boxCount} boxes when revealing`);
  });
});
