/**
 * Reading the graph model: what every view asks of a node, answered from the columns. Nothing here makes
 * an object per node of the graph, except `nodeAt` for the one node asked about (the details pane, a box
 * being drawn) and `nodesOf` for views of a few nodes. Local derivatives are computed when asked, by the
 * op's own backward rule with an upstream gradient of 1, so the model stores none.
 */
import { CONST, FIRST_OP_CODE, LEAF, OP_BY_CODE, type Op } from '../engine/ops.ts';
import type { GraphModel, GraphNode, NodeKind, SourceRange } from './model.ts';

const opOf = (graph: GraphModel, id: number): Op | undefined => {
  const code = graph.code[id];
  return code >= FIRST_OP_CODE ? OP_BY_CODE[code - FIRST_OP_CODE] : undefined;
};

function kindOf(graph: GraphModel, id: number): NodeKind {
  const code = graph.code[id];
  return code === LEAF ? 'leaf' : code === CONST ? 'const' : 'op';
}

export const isConstant = (graph: GraphModel, id: number): boolean => graph.code[id] === CONST;

/** The operation as drawn (`+`, `tanh`), undefined for leaves and constants. */
export const opName = (graph: GraphModel, id: number): string | undefined => opOf(graph, id)?.name;

export function labelOf(graph: GraphModel, id: number): string | undefined {
  const label = graph.label[id];
  return label >= 0 ? graph.labels[label] : undefined;
}

export function rangeOf(graph: GraphModel, id: number): SourceRange | undefined {
  const site = graph.site[id];
  return site >= 0 ? graph.ranges[site] : undefined;
}

export function groupOf(graph: GraphModel, id: number): number | undefined {
  const group = graph.group[id];
  return group >= 0 ? group : undefined;
}

/** The node's inputs, in order (a view of the column: no copy). */
export const inputsOf = (graph: GraphModel, id: number): Int32Array => graph.inputs.subarray(graph.inputStart[id], graph.inputStart[id + 1]);

/** ∂node/∂input for each input, from the op's rule; undefined for leaves and constants. */
export function localOf(graph: GraphModel, id: number): number[] | undefined {
  const op = opOf(graph, id);
  if (op === undefined) return undefined;
  const inputs = inputsOf(graph, id);
  const { data } = graph;
  const into = new Float64Array(Math.max(2, inputs.length));
  if (op.arity === 1) op.backward(1, data[inputs[0]], data[id], into);
  else if (op.arity === 2) op.backward(1, data[inputs[0]], data[inputs[1]], data[id], into);
  else op.backward(1, Array.from(inputs, (input) => data[input]), data[id], into);
  return Array.from(into.subarray(0, inputs.length));
}

/** One node as a plain object, for a view that shows it. */
export function nodeAt(graph: GraphModel, id: number): GraphNode {
  const op = opOf(graph, id);
  const label = labelOf(graph, id);
  const range = rangeOf(graph, id);
  const group = groupOf(graph, id);
  return {
    id, kind: kindOf(graph, id), data: graph.data[id], grad: graph.grad[id], inputs: Array.from(inputsOf(graph, id)),
    ...(op ? { op: op.name, local: localOf(graph, id) } : {}),
    ...(op?.cut ? { cut: true as const } : {}),
    ...(label !== undefined ? { label } : {}),
    ...(range ? { range } : {}),
    ...(group !== undefined ? { group } : {}),
  };
}

/** Every node as objects: for views of small graphs and for tests, never on a path that must scale. */
export function nodesOf(graph: GraphModel): GraphNode[] {
  return Array.from({ length: graph.nodeCount }, (_, id) => nodeAt(graph, id));
}

/**
 * For each node, the nodes that list it among their inputs, each once and in id order: built once per
 * graph in two passes over the inputs (counts, then places), as two typed arrays.
 */
export interface Consumers {
  (id: number): readonly number[];
}

export function consumersOf(graph: GraphModel): Consumers {
  const count = graph.nodeCount;
  const start = new Int32Array(count + 1);
  const { inputs, inputStart } = graph;
  // A node listed twice by one consumer (`x * x`) counts once: `seen[input]` is the last consumer counted.
  const seen = new Int32Array(count).fill(-1);
  for (let consumer = 0; consumer < count; consumer++) {
    for (let k = inputStart[consumer]; k < inputStart[consumer + 1]; k++) {
      if (seen[inputs[k]] === consumer) continue;
      seen[inputs[k]] = consumer;
      start[inputs[k] + 1]++;
    }
  }
  for (let id = 0; id < count; id++) start[id + 1] += start[id];
  const list = new Int32Array(start[count]);
  const fill = start.slice(0, count);
  seen.fill(-1);
  for (let consumer = 0; consumer < count; consumer++) {
    for (let k = inputStart[consumer]; k < inputStart[consumer + 1]; k++) {
      if (seen[inputs[k]] === consumer) continue;
      seen[inputs[k]] = consumer;
      list[fill[inputs[k]]++] = consumer;
    }
  }
  return (id: number) => Array.from(list.subarray(start[id], start[id + 1]));
}

/** Values (non-constant nodes): what a view would draw with nothing collapsed. */
export function valueCount(graph: GraphModel): number {
  let count = 0;
  for (let id = 0; id < graph.nodeCount; id++) if (graph.code[id] !== CONST) count++;
  return count;
}
