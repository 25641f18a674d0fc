/**
 * The backward stepper's script: backpropagation as a sequence of steps on the drawn picture. Backward
 * visits the operations the output depends on in reverse creation order (every consumer of a node comes
 * after it, so a node's gradient is complete when it is visited). At each step, the node passes its
 * gradient (upstream) to each input, times that input's local derivative; the input's gradient grows by
 * the contribution. So a value used twice is seen receiving twice.
 *
 * Steps are per box of the picture. Consecutive operations inside one collapsed group are one step (the
 * group passes back what its inside does); an edge label is only drawn between two different boxes. Leaves
 * and constants pass nothing back and are not steps.
 */
import { formatNumber } from './format.ts';
import { CONST, FIRST_OP_CODE } from '../engine/ops.ts';
import type { GraphModel } from './model.ts';
import type { ViewPlan } from './plan.ts';
import { inputsOf, localOf } from './reader.ts';

/** A contribution drawn on an edge: `× local → contribution`, from the input's box to the node's. */
export interface StepEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export interface BackwardStep {
  /** The box (and its operation circle, if drawn) the step is at. */
  readonly boxes: readonly string[];
  /** What it does, in words: `d = e + c passes -2 × 1 → -2 to e, -2 × 1 → -2 to c`. */
  readonly text: string;
  readonly edges: readonly StepEdge[];
  /** The gradient text of the boxes whose gradient grew, after the step. */
  readonly grads: ReadonlyArray<{ readonly box: string; readonly grad: string }>;
}

export interface BackwardScript {
  /** Before the first step: every box's gradient text (`?`, and the output's 1). */
  readonly initial: ReadonlyArray<{ readonly box: string; readonly grad: string }>;
  readonly steps: readonly BackwardStep[];
  /** Whether the script stops short of the whole pass (at `MAX_STEPS`). */
  readonly truncated: boolean;
}

/** The most steps a script holds: past that, a learner steps a picture no one reads step by step. */
export const MAX_STEPS = 2000;

/** The most operations a step's text names (a closed group's step may hold hundreds). */
const MAX_PARTS = 2;

/**
 * The stepper's script for `plan`, a picture of `graph`. `nameOf` names nodes as the views do. A box
 * stands for one node (its value, or a group's returned value): its gradient text is that node's received
 * gradient so far; tensors keep their matrix.
 */
export function backwardScript(graph: GraphModel, plan: ViewPlan, nameOf: (node: number) => string, digits: number): BackwardScript {
  const format = (value: number) => formatNumber(value, digits);
  const output = graph.output;
  const reached = new Uint8Array(graph.nodeCount);
  reached[output] = 1;
  const received = new Float64Array(graph.nodeCount);
  received[output] = 1;
  // The node each box's gradient text shows.
  const shownBy = new Map<string, number>();
  for (const box of plan.boxes) if ((box.kind === 'value' || box.kind === 'group') && box.node !== undefined) shownBy.set(box.id, box.node);
  const boxOfNode = new Map<number, string>();
  for (const [box, node] of shownBy) boxOfNode.set(node, box);
  const initial = [...shownBy].map(([box, node]) => ({ box, grad: node === output ? format(1) : '?' }));
  const operationBox = new Set(plan.boxes.filter((box) => box.kind === 'operation').map((box) => box.id));
  const steps: BackwardStep[] = [];
  let current: { box: string; boxes: string[]; parts: string[]; edges: StepEdge[]; grown: Set<string> } | undefined;
  const flush = () => {
    if (current === undefined) return;
    const grads = [...current.grown].map((box) => ({ box, grad: format(received[shownBy.get(box)!]) }));
    // A closed group's step does what its inside does: say the first two operations, and how many more.
    const parts = current.parts.length <= MAX_PARTS ? current.parts
      : [...current.parts.slice(0, MAX_PARTS), `${current.parts.length - MAX_PARTS} more operations inside`];
    steps.push({ boxes: current.boxes, text: parts.join('; '), edges: current.edges, grads });
    current = undefined;
  };
  let truncated = false;
  for (let node = output; node >= 0; node--) {
    if (reached[node] === 0 || graph.code[node] < FIRST_OP_CODE) continue;
    const box = plan.boxOf(node);
    const inputs = inputsOf(graph, node);
    const locals = localOf(graph, node) ?? [];
    const upstream = graph.grad[node];
    if (box !== undefined && current?.box !== box) {
      flush();
      if (steps.length >= MAX_STEPS) {
        truncated = true;
        break;
      }
      const circle = operationBox.has(`o${node}`) ? [`o${node}`] : [];
      current = { box, boxes: [box, ...circle], parts: [], edges: [], grown: new Set() };
    }
    const shares: string[] = [];
    inputs.forEach((input, k) => {
      if (graph.code[input] === CONST) return;
      reached[input] = 1;
      const local = locals[k] ?? 0;
      const contribution = upstream * local;
      received[input] += contribution;
      const inputBox = plan.boxOf(input);
      if (current === undefined || inputBox === undefined) return;
      if (boxOfNode.get(input) === inputBox) current.grown.add(inputBox);
      if (inputBox !== current.box) {
        const target = current.boxes[1] ?? current.box;
        current.edges.push({ from: inputBox, to: target, label: `× ${format(local)} → ${format(contribution)}` });
        shares.push(`${format(upstream)} × ${format(local)} → ${format(contribution)} to ${nameOf(input)}`);
      }
    });
    const named = shares.length <= 4 ? shares : [...shares.slice(0, 3), `${shares.length - 3} more`];
    if (current !== undefined && shares.length > 0) current.parts.push(`${nameOf(node)} passes ${named.join(', ')}`);
  }
  flush();
  // A merged step whose inside passed nothing across boxes still says where backward is.
  for (const [index, step] of steps.entries()) if (step.text === '') steps[index] = { ...step, text: 'inside this box' };
  return { initial, steps, truncated };
}
