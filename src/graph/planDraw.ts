/**
 * Drawing a plan (`plan.ts`) once its open groups are chosen: which element stands for each node, the
 * edges between elements (merged, with counts), and the boxes and frames with their labels. One pass over
 * the nodes and their inputs with typed arrays; objects only for what is drawn.
 */
import { CONST, FIRST_OP_CODE, LEAF, OP_BY_CODE } from '../engine/ops.ts';
import { childrenOf, TENSOR, type ViewHierarchy } from './hierarchy.ts';
import { gradientClass, largestGradient, NODE_CLASS, operationId, valueClasses, valueId } from './labels.ts';
import type { GraphModel } from './model.ts';
import { planText } from './mermaidText.ts';
import type { DrawnBox, DrawnEdge, DrawnFrame, PlanOptions, ViewPlan } from './plan.ts';
import { groupBoxLines, operationLine, valueLines, frameLabel, tensorBoxLines } from './planLabels.ts';
import { isDrawnNode, type OpenSet, type PlanScope } from './planOpen.ts';
import { nodeAt } from './reader.ts';

// Copies of the engine's codes: hot loops read these, not the import (a getter when tsx runs the tests).
const CONST_CODE: number = CONST;
const LEAF_CODE: number = LEAF;

const largest = new WeakMap<GraphModel, number>();
/** The largest gradient, once per graph: gradient classes are measured against it. */
function largestOf(graph: GraphModel): number {
  let value = largest.get(graph);
  if (value === undefined) largest.set(graph, (value = largestGradient(graph)));
  return value;
}

/** The mermaid id of the box that stands for what a container folds (`r0`: the top level's). */
const restIdOf = (container: number) => `r${container + 1}`;

/**
 * The planner never closes the top level, nor a group the user opened, so one of them may hold more items
 * (values made in it, and closed groups) than the budget: thousands of statements, or of calls side by
 * side. Such a container keeps its latest items (the nearest the output) and folds the earlier ones into
 * one box. Returns, per container (at `view + 1`), the key below which items fold: a value's id, a closed
 * group's returned value; undefined when nothing folds.
 */
function foldThresholds(tree: ViewHierarchy, scope: PlanScope, open: OpenSet, hiddenIn: Int32Array, budget: number): Int32Array | undefined {
  if (!Number.isFinite(budget)) return undefined;
  const keep = Math.max(4, Math.floor(budget * 0.8));
  const over: number[] = [];
  for (let view = -1; view < tree.size; view++) {
    if (view >= 0 && (open.isOpen[view] === 0 || hiddenIn[view] >= 0)) continue;
    if (scope.cost[view + 1] > keep) over.push(view);
  }
  if (over.length === 0) return undefined;
  const threshold = new Int32Array(tree.size + 1);
  const { graph } = tree;
  for (const container of over) {
    // Items' keys: the drawn values made right in the container, and its non-empty children's returned values.
    const keys: number[] = [];
    for (const child of childrenOf(tree, container)) if (scope.held[child] > 0) keys.push(tree.returned[child]);
    for (let node = 0; node < graph.nodeCount; node++) if (tree.viewOfNode(node) === container && isDrawnNode(tree, scope, node)) keys.push(node);
    keys.sort((a, b) => b - a);
    threshold[container + 1] = keys[keep - 1];
  }
  return threshold;
}

/** How many items a container folded: its drawn values and non-empty children before the threshold. */
function foldedCount(tree: ViewHierarchy, scope: PlanScope, container: number, threshold: number, shownValues: readonly number[]): number {
  let children = 0;
  for (const child of childrenOf(tree, container)) if (scope.held[child] > 0 && tree.returned[child] < threshold) children++;
  return scope.direct[container + 1] - shownValues.length + children;
}

/** The mermaid id of a collapsed view group's box. */
const boxIdOf = (tree: ViewHierarchy, view: number) => `${tree.kind[view] === TENSOR ? 't' : 'g'}${view}`;
const frameIdOf = (view: number) => `f${view}`;

export function drawPlan(tree: ViewHierarchy, scope: PlanScope, open: OpenSet, options: PlanOptions): Omit<ViewPlan, 'open' | 'outputBox'> {
  const { graph, size, parent, order } = tree;
  // The collapsed box each view group hides in, -1 if it and every group around it are open (top-down).
  const hiddenIn = new Int32Array(size);
  for (let at = 0; at < size; at++) {
    const view = order[at];
    const outer = parent[view] >= 0 ? hiddenIn[parent[view]] : -1;
    hiddenIn[view] = outer >= 0 ? outer : open.isOpen[view] === 1 ? -1 : view;
  }
  // Elements as numbers: value box of node k is 2k, the box of view group v is 2v + 1, the box of what a
  // container folds (below) is `restBase + container + 1`; nothing is -1.
  const { code, label, group } = graph;
  const { viewOfGroup, tensorOfLabel } = tree;
  const { inCone, showConstants, focus } = scope;
  const restBase = 2 * Math.max(graph.nodeCount, size) + 2;
  const fold = foldThresholds(tree, scope, open, hiddenIn, options.budget);
  const elementOf = (node: number): number => {
    // isDrawnNode and viewOfNode, inline: this runs for every node and every input.
    if (inCone !== undefined && inCone[node] === 0) return -1;
    if (code[node] === CONST_CODE && !showConstants && node !== focus) return -1;
    const model = group[node];
    const view = model >= 0 ? viewOfGroup[model] : code[node] === LEAF_CODE && label[node] >= 0 ? tensorOfLabel[label[node]] : -1;
    const box = view >= 0 ? hiddenIn[view] : -1;
    if (fold === undefined) return box >= 0 ? 2 * box + 1 : 2 * node;
    // A container with more than the budget folds its earliest items (values and closed groups) into one box.
    const container = box >= 0 ? parent[box] : view;
    const key = box >= 0 ? tree.returned[box] : node;
    if (key < fold[container + 1] && node !== focus) return restBase + container + 1;
    return box >= 0 ? 2 * box + 1 : 2 * node;
  };
  const width = restBase + size + 1;
  const isValueElement = (element: number) => element < restBase && (element & 1) === 0;
  const counts = new Map<number, number>();
  const valueNodes: number[] = [];
  const { inputs, inputStart } = graph;
  let lastKey = -1;
  let pending = 0;
  const flush = () => {
    if (pending > 0) counts.set(lastKey, (counts.get(lastKey) ?? 0) + pending);
    pending = 0;
  };
  for (let node = 0; node < graph.nodeCount; node++) {
    const target = elementOf(node);
    if (target < 0) continue;
    if (isValueElement(target)) valueNodes.push(node);
    for (let at = inputStart[node]; at < inputStart[node + 1]; at++) {
      const source = elementOf(inputs[at]);
      if (source < 0 || source === target) continue;
      // Sorted by key later: by target, then source. Runs of the same pair are counted before the map.
      const key = target * width + source;
      if (key !== lastKey) {
        flush();
        lastKey = key;
      }
      pending++;
    }
  }
  flush();
  const idOfElement = (element: number) => (element >= restBase ? restIdOf(element - restBase - 1) : (element & 1) === 0 ? valueId(element / 2) : boxIdOf(tree, (element - 1) / 2));
  const isCut = (node: number) => graph.code[node] >= FIRST_OP_CODE && OP_BY_CODE[graph.code[node] - FIRST_OP_CODE].cut === true;
  const edges: DrawnEdge[] = [];
  for (const node of valueNodes) if (graph.code[node] >= FIRST_OP_CODE) edges.push({ from: operationId(node), to: valueId(node), count: 1, cut: false });
  for (const key of [...counts.keys()].sort((a, b) => a - b)) {
    const target = Math.floor(key / width);
    const source = key - target * width;
    const into = isValueElement(target) ? operationId(target / 2) : idOfElement(target);
    edges.push({ from: idOfElement(source), to: into, count: counts.get(key)!, cut: isValueElement(target) && isCut(target / 2) });
  }

  // Boxes and frames, container by container (-1: the top level), in the tree's order.
  const largestGrad = largestOf(graph);
  const boxes: DrawnBox[] = [];
  const frames: DrawnFrame[] = [];
  const valuesIn = new Map<number, number[]>();
  for (const node of valueNodes) {
    const view = tree.viewOfNode(node);
    const list = valuesIn.get(view);
    if (list === undefined) valuesIn.set(view, [node]);
    else list.push(node);
  }
  const frameOf = (view: number) => (view >= 0 ? { frame: frameIdOf(view) } : {});
  let boxCount = 0;
  const visit = (container: number) => {
    if (fold !== undefined && fold[container + 1] > 0) {
      const folded = foldedCount(tree, scope, container, fold[container + 1], valuesIn.get(container) ?? []);
      const lines = [[{ role: 'name' as const, key: '', text: `… ${folded.toLocaleString('en-US')} earlier` }, { role: 'hint' as const, key: '', text: 'Ctrl+F finds them' }]];
      boxes.push({ id: restIdOf(container), kind: 'group', lines, ariaLabel: ariaOf(lines), classes: [NODE_CLASS.group], ...frameOf(container) });
      boxCount++;
    }
    for (const node of valuesIn.get(container) ?? []) {
      const graphNode = nodeAt(graph, node);
      const lines = valueLines(graph, node, options);
      boxes.push({ id: valueId(node), kind: 'value', node, lines, ariaLabel: ariaOf(lines), classes: valueClasses(graphNode, graph, largestGrad), ...frameOf(container) });
      boxCount++;
      if (graphNode.op !== undefined) {
        const line = operationLine(graph, graphNode, options);
        boxes.push({ id: operationId(node), kind: 'operation', node, lines: [line], ariaLabel: ariaOf([line]), classes: graphNode.cut ? [NODE_CLASS.operation, NODE_CLASS.cut] : [NODE_CLASS.operation], ...frameOf(container) });
      }
    }
    for (const child of childrenOf(tree, container)) {
      if (scope.held[child] === 0) continue;
      if (fold !== undefined && tree.returned[child] < fold[container + 1]) continue;
      if (open.isOpen[child] === 1) {
        frames.push({ id: frameIdOf(child), group: tree.keyOf(child), label: frameLabel(tree, child, options.digits), ...(container >= 0 ? { parent: frameIdOf(container) } : {}) });
        visit(child);
        continue;
      }
      const node = tree.returned[child];
      const tensor = tree.kind[child] === TENSOR;
      const lines = tensor ? tensorBoxLines(tree, child, options.digits) : groupBoxLines(tree, scope, child, options.digits);
      const classes = tensor ? [NODE_CLASS.tensor] : [NODE_CLASS.group, gradientClass(graph.grad[node], largestGrad)];
      boxes.push({ id: boxIdOf(tree, child), kind: tensor ? 'tensor' : 'group', node, group: tree.keyOf(child), lines, ariaLabel: ariaOf(lines), classes, ...frameOf(container) });
      boxCount++;
    }
  };
  visit(-1);
  const boxOf = (node: number): string | undefined => {
    if (!Number.isInteger(node) || node < 0 || node >= graph.nodeCount) return undefined;
    const element = elementOf(node);
    return element < 0 ? undefined : idOfElement(element);
  };
  return { mermaid: planText(boxes, frames, edges, options.direction), boxes, frames, edges, boxCount, boxOf };
}

const ariaOf = (lines: DrawnBox['lines']) => lines.map((line) => line.map((part) => (part.key === '' ? part.text : `${part.key} ${part.text}`)).join(', ')).join('; ');
