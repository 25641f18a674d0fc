// The backward stepper's script (graph/stepper.ts) on micrograd's L and on the accumulation example, with
// every node drawn: the order backward visits the operations, what each passes back, and how the boxes'
// gradients grow. Reference values are worked out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphModel } from '../../src/graph/model.ts';
import { NO_CHOICES, planView } from '../../src/graph/plan.ts';
import { backwardScript } from '../../src/graph/stepper.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';
import { MLP_SOURCE } from './mlp.fixture.ts';

async function scriptOf(text: string) {
  const result = await evaluateSnippet({ text, fileName: 'stepper.ts' });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  const graph: GraphModel = result.graph;
  const plan = planView(graph, NO_CHOICES, { budget: 60, showConstants: false, direction: 'LR', digits: 4 });
  const name = (node: number) => (graph.label[node] >= 0 ? graph.labels[graph.label[node]] : `#${node}`);
  const box = (label: string) => `v${graph.label.findIndex((index) => index >= 0 && graph.labels[index] === label)}`;
  return { script: backwardScript(graph, plan, name, 4), box };
}

/** Each box's gradient text after `count` steps. */
function gradsAfter(script: Awaited<ReturnType<typeof scriptOf>>['script'], count: number): Map<string, string> {
  const grads = new Map(script.initial.map((entry) => [entry.box, entry.grad]));
  for (const step of script.steps.slice(0, count)) for (const entry of step.grads) grads.set(entry.box, entry.grad);
  return grads;
}

describe('the backward stepper', () => {
  it("walks micrograd's L from the output: L = d·f, then d = e + c, then e = a·b", async () => {
    const { script, box } = await scriptOf('const a = 2.0;\nconst b = -3.0;\nconst c = 10.0;\nconst e = a * b;\nconst d = e + c;\nconst f = -2.0;\nconst L = d * f;\nL\n');
    assert.equal(script.truncated, false);
    assert.deepEqual(script.steps.map((step) => step.boxes[0]), [box('L'), box('d'), box('e')]);
    // Before the first step only the output's gradient is known.
    const before = gradsAfter(script, 0);
    assert.equal(before.get(box('L')), '1.0000');
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) assert.equal(before.get(box(name)), '?', name);
    assert.equal(gradsAfter(script, 1).get(box('d')), '-2.0000');
    assert.equal(gradsAfter(script, 1).get(box('f')), '4.0000');
    assert.equal(gradsAfter(script, 1).get(box('a')), '?');
    const after = gradsAfter(script, 3);
    assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => after.get(box(name))), ['6.0000', '-4.0000', '-2.0000', '-2.0000', '-2.0000', '4.0000']);
    // The last step: e = a·b passes -2 × -3 → 6 to a, on the edge from a's box to e's operation.
    const last = script.steps[2];
    assert.equal(last.boxes[1], `o${box('e').slice(1)}`);
    assert.deepEqual(last.edges.find((edge) => edge.from === box('a')), { from: box('a'), to: last.boxes[1], label: '× -3.0000 → 6.0000' });
    assert.match(last.text, /e passes -2\.0000 × -3\.0000 → 6\.0000 to a/);
  });

  it("makes a closed group one step, and says what its inside does in a line: the MLP's first picture", async () => {
    const { script } = await scriptOf(MLP_SOURCE);
    const boxes = script.steps.map((step) => step.boxes[0]);
    // Each box is one step at a time: consecutive operations inside one closed group were merged.
    for (let index = 1; index < boxes.length; index++) assert.notEqual(boxes[index], boxes[index - 1], `step ${index}`);
    assert.ok(boxes.some((box) => box.startsWith('g')), `a group's box is a step: ${boxes.join(' ')}`);
    const longest = Math.max(...script.steps.map((step) => step.text.length));
    assert.ok(longest < 400, `the longest step's text has ${longest} characters`);
    assert.ok(script.steps.some((step) => /more operations inside$/.test(step.text)), 'a merged step says how many more operations it holds');
  });

  it('shows a value used twice receiving twice: c gets 10 from e, then 10 more from d', async () => {
    const { script, box } = await scriptOf('const a = 2;\nconst b = 3;\nconst c = a + b;\nconst d = c * a;\nconst e = c * d;\ne\n');
    assert.deepEqual(script.steps.map((step) => step.boxes[0]), [box('e'), box('d'), box('c')]);
    assert.equal(gradsAfter(script, 1).get(box('c')), '10.0000');
    assert.equal(gradsAfter(script, 2).get(box('c')), '20.0000');
    assert.equal(gradsAfter(script, 2).get(box('a')), '25.0000');
    assert.equal(gradsAfter(script, 3).get(box('a')), '45.0000');
  });
});
