// The host's side of the panel's picture (src/extension/panelView.ts): what it sends is what the panel
// draws and no more, answers carry their request, and what the panel sends is checked before use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detailsMessage, foundMessage, highlightedElements, NO_CHOICES, planPicture, selectionMarks, validChoices, viewMessage, type PanelEvaluation } from '../../src/extension/panelView.ts';
import { sourceTextOf } from '../../src/graph/details.ts';
import type { GraphModel } from '../../src/graph/model.ts';
import type { ViewSettings } from '../../src/shared/messages.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';

const settings: ViewSettings = { digits: 4, direction: 'LR', showConstants: true, maxBoxes: 60, stepperSpeed: 800 };

async function evaluation(text: string): Promise<PanelEvaluation> {
  const result = await evaluateSnippet({ text, fileName: 'snippet.ts' });
  if (!result.ok) throw new Error(result.error.message);
  const graph: GraphModel = result.graph;
  const lines = text.split('\n');
  return { key: 'k1', graph, source: { firstLine: 0, lines }, origin: { uri: 'untitled:1', start: 0, end: text.length }, choices: NO_CHOICES };
}

const MICROGRAD = 'const a = 2.0;\nconst b = -3.0;\nconst c = 10.0;\nconst e = a * b;\nconst d = e + c;\nconst f = -2.0;\nconst L = d * f;\nL\n';
const LOOP = 'const x = 0.5;\nlet s = 0;\nfor (let i = 0; i < 3000; i++) {\n  s = s + Math.sin(x * i) * 0.001;\n}\ns\n';

describe('panelView', () => {
  it('quotes a range of the evaluated lines, on one line or several', () => {
    const source = { firstLine: 10, lines: ['const e = a * b;', 'const d = (e +', '  c);'] };
    assert.equal(sourceTextOf(source, { startLine: 10, startCharacter: 10, endLine: 10, endCharacter: 15 }), 'a * b');
    assert.equal(sourceTextOf(source, { startLine: 11, startCharacter: 10, endLine: 12, endCharacter: 4 }), '(e +\n  c)');
    assert.equal(sourceTextOf(source, { startLine: 3, startCharacter: 0, endLine: 3, endCharacter: 1 }), undefined);
  });

  it('sends the picture, the summary and the choices, not the graph', async () => {
    const loop = await evaluation(LOOP);
    const message = viewMessage(loop, settings, 7, 3);
    assert.equal(message.type, 'view');
    assert.equal(message.id, 7);
    assert.equal(message.request, 3);
    assert.equal(message.key, 'k1');
    assert.ok(!('graph' in message), 'no graph model in the message');
    assert.equal(message.summary.counts.nodes, loop.graph.nodeCount);
    assert.equal(message.summary.outputLabel, 's');
    assert.ok(message.picture.mermaid.startsWith('flowchart LR'), message.picture.mermaid.slice(0, 40));
    assert.ok(message.picture.boxes.some((box) => box.id === message.picture.outputBox), 'the output has a box');
    // What it sends does not grow with the graph: the JSON of the message is a few kilobytes per box drawn.
    const micrograd = viewMessage(await evaluation(MICROGRAD), settings, 1);
    const perBox = (sent: typeof message) => JSON.stringify(sent).length / Math.max(1, sent.picture.boxes.length);
    assert.ok(perBox(message) < 20 * perBox(micrograd) + 2000, `${perBox(message)} characters a box, against ${perBox(micrograd)}`);
  });

  it('marks a selected node, its inputs and its consumers on the picture', async () => {
    const micrograd = await evaluation(MICROGRAD);
    planPicture(micrograd, NO_CHOICES, settings);
    const d = micrograd.graph.labels.indexOf('d');
    const id = Array.from(micrograd.graph.label).lastIndexOf(d);
    const marks = selectionMarks(micrograd, id);
    assert.deepEqual(marks.selected, [`v${id}`, `o${id}`]);
    const e = Array.from(micrograd.graph.label).indexOf(micrograd.graph.labels.indexOf('e'));
    const L = micrograd.graph.output;
    assert.ok(marks.related.includes(`v${e}`), 'its input e');
    assert.ok(marks.related.includes(`v${L}`) && marks.related.includes(`o${L}`), 'its consumer L');
    assert.ok(!marks.related.some((box) => marks.selected.includes(box)));
    const answer = detailsMessage(micrograd, id, 12, 4);
    assert.equal(answer.request, 12);
    assert.equal(answer.details?.name, 'd');
    assert.equal(answer.details?.value, '4.0000');
    assert.equal(answer.details?.source?.text, 'const d = e + c;');
    assert.deepEqual(detailsMessage(micrograd, 10_000, 13, 4).marks, { selected: [], related: [] });
    assert.deepEqual(highlightedElements(micrograd, [id, id]), [`v${id}`, `o${id}`]);
  });

  it('finds values by name and by source text, each once, with their lines', async () => {
    const micrograd = await evaluation(MICROGRAD);
    const byName = foundMessage(micrograd, 'L', 4);
    assert.equal(byName.request, 4);
    assert.deepEqual(byName.values.map((value) => [value.name, value.line]), [['L', 7]]);
    const bySource = foundMessage(micrograd, 'a * b', 5);
    assert.deepEqual(bySource.values.map((value) => [value.node, value.name, value.line]), [[Array.from(micrograd.graph.label).indexOf(micrograd.graph.labels.indexOf('e')), 'a * b', 4]]);
    assert.deepEqual(foundMessage(micrograd, '   ', 6).values, []);
    assert.deepEqual(foundMessage(micrograd, 'nothing like this', 7).values, []);
  });

  it('refuses malformed choices from the page', () => {
    assert.ok(validChoices({ opened: ['g1'], closed: [] }, 10));
    assert.ok(validChoices({ opened: [], closed: [], reveal: [3], cone: 9 }, 10));
    for (const bad of [undefined, null, 3, {}, { opened: 'g1', closed: [] }, { opened: [1], closed: [] }, { opened: [], closed: [], reveal: [10] },
      { opened: [], closed: [], cone: -1 }, { opened: [], closed: [], cone: 1.5 }, { opened: Array(10_001).fill('g1'), closed: [] }, { opened: ['x'.repeat(201)], closed: [] }]) {
      assert.ok(!validChoices(bad, 10), JSON.stringify(bad)?.slice(0, 80));
    }
    assert.ok(validChoices({ opened: [], closed: [], step: 2 }, 10, 3));
    for (const step of [3, -1, 0.5, '1']) assert.ok(!validChoices({ opened: [], closed: [], step }, 10, 3), `step ${String(step)}`);
  });

  it('draws a training step: the curve in the message, the step\'s loss as the output, its own and its accumulated gradients', async () => {
    // Three steps of loss = (w·3 - 10)² without zeroing: w.grad sums them, each step's own is 6(3w - 10).
    const trained = await evaluation(['const w = 2;', 'for (let k = 0; k < 3; k++) {', '  const loss = (w * 3 - 10) ** 2;', '  (loss as any).backward();', '  (w as any).data -= 0.01 * (w as any).grad;', '}', 'w * 1', ''].join('\n'));
    const whole = viewMessage(trained, settings, 1);
    assert.deepEqual(whole.training?.steps, [0, 1, 2]);
    assert.deepEqual(whole.training?.losses, [16, trained.graph.steps!.loss[1], trained.graph.steps!.loss[2]]);
    assert.equal(whole.training?.selected, undefined);
    assert.equal(whole.training?.firstWithGraph, 0);
    planPicture(trained, { ...NO_CHOICES, step: 1 }, settings);
    const stepped = viewMessage(trained, settings, 2);
    assert.equal(stepped.training?.selected, 1);
    assert.equal(stepped.training?.accumulates, 1);
    assert.equal(stepped.training?.accumulatingName, 'w');
    const output = stepped.picture.boxes.find((box) => box.id === stepped.picture.outputBox)!;
    assert.match(output.ariaLabel, /loss/);
    const w = trained.graph.leaves[0];
    const details = detailsMessage(trained, w, 1, 4).details!;
    const wDuring = 2 - 0.01 * -24; // after step 0's update
    assert.equal(details.exactValue, wDuring);
    assert.equal(details.exactGradient, 6 * (3 * wDuring - 10));
    assert.equal(details.exactAccumulatedGradient, -24 + 6 * (3 * wDuring - 10));
    // The whole run again: the output's own gradient, no accumulated row.
    planPicture(trained, NO_CHOICES, settings);
    assert.equal(detailsMessage(trained, w, 2, 4).details!.exactGradient, 1);
    assert.equal(detailsMessage(trained, w, 2, 4).details!.accumulatedGradient, undefined);
  });
});
