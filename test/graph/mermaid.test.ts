// Mermaid text and closed groups, on small hand-made graph models (no evaluation involved).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatNumber } from '../../src/graph/format.ts';
import { gradientClass } from '../../src/graph/labels.ts';
import { escapeLabel, toMermaid } from '../../src/graph/mermaid.ts';
import { parseGraph, serializeGraph } from '../../src/graph/codec.ts';
import { model } from './model.fixture.ts';
import { planView } from '../../src/graph/plan.ts';
import { nodesOf } from '../../src/graph/reader.ts';

/** micrograd's L = (a*b + c) * f with its gradients. */
const micrograd = model([
  { id: 0, kind: 'leaf', label: 'a', data: 2, grad: 6, inputs: [] },
  { id: 1, kind: 'leaf', label: 'b', data: -3, grad: -4, inputs: [] },
  { id: 2, kind: 'op', op: '*', label: 'e', data: -6, grad: -2, inputs: [0, 1] },
  { id: 3, kind: 'leaf', label: 'c', data: 10, grad: -2, inputs: [] },
  { id: 4, kind: 'op', op: '+', label: 'd', data: 4, grad: -2, inputs: [2, 3] },
  { id: 5, kind: 'const', data: -2, grad: 0, inputs: [] },
  { id: 6, kind: 'op', op: '*', label: 'L', data: -8, grad: 1, inputs: [4, 5] },
], 6);

describe('mermaid text', () => {
  it("draws micrograd's L like draw_dot: value boxes with label | data | grad, op nodes, edges", () => {
    const text = toMermaid(micrograd);
    assert.match(text, /^flowchart LR\n/);
    assert.match(text, /v0\["a \| data 2\.0000 \| grad 6\.0000"\]/);
    assert.match(text, /v1\["b \| data -3\.0000 \| grad -4\.0000"\]/);
    assert.match(text, /o2\(\("\*"\)\)/);
    for (const edge of ['v0 --> o2', 'v1 --> o2', 'o2 --> v2', 'v2 --> o4', 'v3 --> o4', 'o6 --> v6', 'v5 --> o6']) assert.ok(text.includes(edge), edge);
    // One class per statement, with the ids that have it (mermaid's `class a,b name`).
    const classOf = (name: string) => text.split('\n').find((line) => line.endsWith(` ${name}`) && line.startsWith('  class '))?.split(' ')[3].split(',');
    assert.deepEqual(classOf('leaf'), ['v0', 'v1', 'v3']);
    assert.deepEqual(classOf('output'), ['v6']);
    assert.deepEqual(classOf('constant'), ['v5']);
    assert.ok(classOf('gradPositive3')?.includes('v0'));
    assert.ok(classOf('gradPositive1')?.includes('v6'));
  });

  it('draws a cut as an operation of its own class, with dotted edges into it', () => {
    const cut = model([
      { id: 0, kind: 'leaf', label: 'a', data: 2.5, grad: 2, inputs: [] },
      { id: 1, kind: 'op', op: 'floor', cut: true, data: 2, grad: 2.5, inputs: [0], local: [0] },
      { id: 2, kind: 'op', op: '*', label: 'y', data: 5, grad: 1, inputs: [1, 0], local: [2.5, 2] },
    ], 2);
    const text = toMermaid(cut);
    assert.ok(text.includes('v0 -.-> o1'), 'a dotted edge into the cut');
    assert.ok(text.includes('v0 --> o2') && text.includes('v1 --> o2'), 'plain edges elsewhere');
    assert.ok(text.split('\n').some((line) => line === '  class o1 cut'), 'the cut class');
  });

  it('is deterministic, and follows direction and digits', () => {
    assert.equal(toMermaid(micrograd), toMermaid(micrograd));
    const text = toMermaid(micrograd, { direction: 'TB', digits: 2 });
    assert.match(text, /^flowchart TB/);
    assert.match(text, /a \| data 2\.00 \| grad 6\.00/);
  });

  it('folds constants into the operation when they are hidden', () => {
    const text = toMermaid(micrograd, { showConstants: false });
    assert.ok(!text.includes('v5'));
    assert.match(text, /o6\(\("\* -2\.0000"\)\)/);
  });

  it('x * x keeps both edges, as one edge with a count', () => {
    const square = model([
      { id: 0, kind: 'leaf', label: 'x', data: 3, grad: 6, inputs: [] },
      { id: 1, kind: 'op', op: '*', data: 9, grad: 1, inputs: [0, 0] },
    ], 1);
    assert.ok(toMermaid(square).includes('  v0 -->|2| o1\n'), 'one edge, counted twice');
  });

  it('escapes every label, so no name or value injects mermaid or HTML', () => {
    const hostile = '"]; click v0 call alert(1); x["<img src=x onerror=alert(1)>` %% #';
    const text = toMermaid(model([{ id: 0, kind: 'leaf', label: hostile, data: 1, grad: 1, inputs: [] }], 0));
    const line = text.split('\n').find((item) => item.startsWith('  v0['))!;
    assert.equal(line.indexOf('"'), line.indexOf('["') + 1);
    assert.equal(line.lastIndexOf('"'), line.length - 2);
    assert.ok(!/[<>`"]/.test(line.slice(line.indexOf('["') + 2, line.length - 2)), line);
    assert.equal(escapeLabel('<'), '#60;');
    assert.equal(escapeLabel('a[0] + b'), 'a[0] + b');
  });

  it('formats numbers: fixed digits, exponents for tiny and huge, NaN and infinities', () => {
    assert.equal(formatNumber(6), '6.0000');
    assert.equal(formatNumber(-0.00001), '-1.000e-5');
    assert.equal(formatNumber(3e12, 2), '3.0e+12');
    assert.equal(formatNumber(NaN), 'NaN');
    assert.equal(formatNumber(-Infinity), '-∞');
    assert.equal(formatNumber(-0), '0.0000');
    assert.equal(formatNumber(-0.00004, 4), '-4.000e-5');
  });

  it('classes gradients by sign and size', () => {
    assert.equal(gradientClass(0, 5), 'gradZero');
    assert.equal(gradientClass(5, 5), 'gradPositive3');
    assert.equal(gradientClass(-2, 5), 'gradNegative2');
    assert.equal(gradientClass(-0.5, 5), 'gradNegative1');
  });
});

describe('collapsing groups', () => {
  // Two calls of a function, each made of two nodes, summed at the top level.
  const calls = model([
    { id: 0, kind: 'leaf', label: 'x', data: 1, grad: 5, inputs: [] },
    { id: 1, kind: 'const', data: 2, grad: 0, inputs: [], group: 0 },
    { id: 2, kind: 'op', op: '*', data: 2, grad: 1, inputs: [0, 1], group: 0 },
    { id: 3, kind: 'const', data: 3, grad: 0, inputs: [], group: 1 },
    { id: 4, kind: 'op', op: '*', data: 3, grad: 1, inputs: [0, 3], group: 1 },
    { id: 5, kind: 'op', op: '+', data: 5, grad: 1, inputs: [2, 4] },
  ], 5, [
    { id: 0, kind: 'call', label: 'f(…)' },
    { id: 1, kind: 'call', label: 'f(…)' },
  ]);

  it('a closed group is one box, with edges in from outside and out to its consumers', () => {
    const plan = planView(calls, { opened: [], closed: ['g0'] }, { budget: 60, showConstants: true, direction: 'LR', digits: 4 });
    const box = plan.boxes.find((drawn) => drawn.group === 'g0');
    assert.ok(box !== undefined && box.kind === 'group', JSON.stringify(plan.boxes.map((drawn) => drawn.id)));
    assert.equal(plan.boxOf(2), box.id, 'a node inside stands for its group');
    assert.equal(plan.boxOf(0), 'v0');
    assert.ok(plan.mermaid.includes(`  v0 --> ${box.id}\n`), plan.mermaid);
    assert.ok(plan.mermaid.includes(`  ${box.id} --> o5\n`), plan.mermaid);
    assert.ok(!plan.open.includes('g0'));
  });

  it('a small graph is drawn whole: every group open as a frame', () => {
    const plan = planView(calls, { opened: [], closed: [] }, { budget: 60, showConstants: true, direction: 'LR', digits: 4 });
    assert.deepEqual(plan.frames.map((frame) => frame.group).sort(), ['g0', 'g1']);
    assert.ok(plan.mermaid.includes('subgraph '), plan.mermaid);
    for (let id = 0; id < calls.nodeCount; id++) assert.equal(plan.boxOf(id), `v${id}`);
  });
});

describe('graph model JSON', () => {
  it('round-trips NaN and infinities as strings', () => {
    const odd = model([{ id: 0, kind: 'leaf', label: 'x', data: NaN, grad: -Infinity, inputs: [] }], 0);
    const text = serializeGraph(odd);
    assert.match(text, /"data":\["NaN"\],"grad":\["-Infinity"\]/);
    const back = parseGraph(text);
    assert.ok(Number.isNaN(nodesOf(back)[0].data));
    assert.equal(nodesOf(back)[0].grad, -Infinity);
    assert.throws(() => parseGraph(text.replace('"version":3', '"version":99')), /version 99/);
  });
});
