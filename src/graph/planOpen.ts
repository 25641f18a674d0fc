/**
 * Which view groups a plan opens (`plan.ts`): everything is counted in boxes, where an open group costs its
 * direct contents (its own values and one box per child group) and a closed one costs one box. The groups
 * that must open (around the focus, the revealed nodes, the group the user opened last) open first; then,
 * breadth-first from them through the tree, the nearest groups (at the same distance, those the user had
 * open first), each only if the picture still fits the budget. So the groups farthest from what the user
 * looks at close first.
 */
import { CONST } from '../engine/ops.ts';
import { BUCKET, CALL, childrenOf, ITERATION, LOOP, TENSOR, type ViewHierarchy } from './hierarchy.ts';

/**
 * What a frame costs against the budget, in boxes. Mermaid lays a frame (a subgraph) out as a graph of its
 * own and then places it: about three boxes' time (`npm run bench layout`), and room and attention too.
 */
const FRAME_COST = 3;

// A copy of the engine's code: hot loops read this, not the import (a getter when tsx runs the tests).
const CONST_CODE: number = CONST;

/** What is drawn at all: the cone's nodes (or all), constants only if shown; counted per view group. */
export interface PlanScope {
  /** The node the picture is about: the cone's, else the output. */
  readonly focus: number;
  /** Nodes in the cone (1), when a cone is asked. */
  readonly inCone?: Uint8Array;
  readonly showConstants: boolean;
  /** Drawn nodes made directly in each view group, at `view + 1` (index 0: the top level). */
  readonly direct: Int32Array;
  /** Drawn nodes held, nested included, by view id. */
  readonly held: Float64Array;
  /** Values (non-constant nodes, in the cone) held, nested included, by view id. */
  readonly values: Float64Array;
  /** Boxes an open view group draws directly, at `view + 1`: its drawn nodes and its non-empty children. */
  readonly cost: Int32Array;
}

/** Whether a node is drawn as a box of its own when its groups are open. */
export function isDrawnNode(tree: ViewHierarchy, scope: PlanScope, node: number): boolean {
  if (scope.inCone !== undefined && scope.inCone[node] === 0) return false;
  return scope.showConstants || tree.graph.code[node] !== CONST_CODE || node === scope.focus;
}

const scopes = new WeakMap<ViewHierarchy, Map<string, PlanScope>>();

/**
 * One pass over the nodes (two with a cone: marking it first), one over the view groups. Without a cone a
 * scope depends only on the graph, the focus and `showConstants`: it is kept, so that a re-plan (a click)
 * does not count again.
 */
export function planScope(tree: ViewHierarchy, focus: number, cone: boolean, showConstants: boolean): PlanScope {
  if (cone) return countScope(tree, focus, cone, showConstants);
  let kept = scopes.get(tree);
  if (kept === undefined) scopes.set(tree, (kept = new Map<string, PlanScope>()));
  const key = `${focus} ${showConstants}`;
  let scope = kept.get(key);
  if (scope === undefined) kept.set(key, (scope = countScope(tree, focus, cone, showConstants)));
  return scope;
}

function countScope(tree: ViewHierarchy, focus: number, cone: boolean, showConstants: boolean): PlanScope {
  const { graph, size, parent, order } = tree;
  let inCone: Uint8Array | undefined;
  if (cone) {
    // Inputs have smaller ids: one pass down from the focus marks everything that feeds it.
    inCone = new Uint8Array(graph.nodeCount);
    inCone[focus] = 1;
    const { inputs, inputStart } = graph;
    for (let node = focus; node >= 0; node--) {
      if (inCone[node] === 0) continue;
      for (let at = inputStart[node]; at < inputStart[node + 1]; at++) inCone[inputs[at]] = 1;
    }
  }
  const scope = { focus, inCone, showConstants, direct: new Int32Array(size + 1), held: new Float64Array(size), values: cone ? new Float64Array(size) : tree.values, cost: new Int32Array(size + 1) };
  const { direct, held, values, cost } = scope;
  const { code } = graph;
  for (let node = 0; node < graph.nodeCount; node++) {
    // isDrawnNode, inline: this loop runs over every node.
    if (inCone !== undefined && inCone[node] === 0) continue;
    const constant = code[node] === CONST_CODE;
    if (constant && !showConstants && node !== focus) continue;
    const view = tree.viewOfNode(node);
    direct[view + 1]++;
    if (cone && view >= 0 && !constant) values[view]++;
  }
  for (let view = 0; view < size; view++) held[view] = direct[view + 1];
  for (let at = size - 1; at >= 0; at--) {
    const view = order[at];
    if (parent[view] >= 0) {
      held[parent[view]] += held[view];
      if (cone) values[parent[view]] += values[view];
    }
  }
  const { childStart, children } = tree;
  for (let view = -1; view < size; view++) {
    let boxes = direct[view + 1];
    for (let at = childStart[view + 1]; at < childStart[view + 2]; at++) if (held[children[at]] > 0) boxes++;
    cost[view + 1] = boxes;
  }
  return scope;
}

/** Whether every group open (tensors aside) fits the budget, its frames counted as boxes. */
function everythingFits(tree: ViewHierarchy, scope: PlanScope, budget: number): boolean {
  if (budget === Infinity) return true;
  let boxes = scope.cost[0];
  for (let view = 0; view < tree.size && boxes <= budget; view++) {
    if (scope.held[view] > 0 && tree.kind[view] !== TENSOR) boxes += scope.cost[view + 1];
  }
  return boxes <= budget;
}

/** What the user asked, as view ids. */
export interface OpenRequest {
  /** Groups to open whatever the budget: the last one the user opened, and the revealed nodes' groups. */
  readonly forced: readonly number[];
  /** Nodes whose groups must all open (revealed), even closed ones. */
  readonly revealed: readonly number[];
  /** Groups the user had open (the panel's saved plan), to keep if they fit. */
  readonly opened: ReadonlySet<number>;
  /** Groups the user closed: they open only to reveal a node. */
  readonly closed: ReadonlySet<number>;
}

/** The open view groups (1 by view id), in the order they opened, and the boxes drawn. */
export interface OpenSet {
  readonly isOpen: Uint8Array;
  readonly order: readonly number[];
  readonly boxCount: number;
}

export function chooseOpen(tree: ViewHierarchy, scope: PlanScope, request: OpenRequest, budget: number): OpenSet {
  const { parent, size } = tree;
  const isOpen = new Uint8Array(size);
  const order: number[] = [];
  let boxCount = scope.cost[0];
  const open = (view: number) => {
    if (isOpen[view] === 1) return;
    isOpen[view] = 1;
    order.push(view);
    boxCount += scope.cost[view + 1] - 1;
  };
  /** Opens `view` and the groups around it, outermost first; a closed one stops it unless `force`. */
  const openChain = (view: number, force: boolean): number => {
    const chain: number[] = [];
    for (let at = view; at >= 0; at = parent[at]) chain.push(at);
    let innermost = -1;
    for (let at = chain.length - 1; at >= 0; at--) {
      if (!force && request.closed.has(chain[at])) break;
      open(chain[at]);
      innermost = chain[at];
    }
    return innermost;
  };
  const sources: number[] = [];
  for (const view of request.forced) if (!request.closed.has(view)) sources.push(openChain(view, false));
  for (const node of request.revealed) sources.push(openChain(tree.viewOfNode(node), true));
  const focusGroup = openChain(tree.viewOfNode(scope.focus), false);
  sources.push(focusGroup);

  // A frame takes room and attention too: each counts as a box against the budget (not in `boxCount`).
  const fits = (view: number) => boxCount + FRAME_COST * (order.length + 1) + scope.cost[view + 1] - 1 <= budget;
  // Unless the whole graph fits, what opens besides is bounded by calls, so that the picture reads at once
  // (frames nested eight deep, an MLP opened down to each neuron's loop, fill a budget of 60 with a picture
  // nobody can read). The anchors are the groups around the focus and the revealed nodes. A call opens
  // only right inside an anchor or at the top level: the calls it makes are boxes. A loop, its runs and its
  // iterations open where a call could, and inside the group the user opened, so that opening `layer(…)`
  // shows its `neuron(…)` boxes.
  const anchor = new Uint8Array(size);
  const markChain = (view: number) => { for (let at = view; at >= 0 && anchor[at] === 0; at = parent[at]) if (isOpen[at] === 1) anchor[at] = 1; };
  markChain(focusGroup);
  for (const node of request.revealed) markChain(tree.viewOfNode(node));
  const userGroup = new Uint8Array(size);
  for (const view of request.forced) if (anchor[view] === 0) userGroup[view] = 1;
  const whole = everythingFits(tree, scope, budget);
  const callAround = (view: number) => {
    let at = parent[view];
    while (at >= 0 && tree.kind[at] !== CALL && tree.kind[at] !== TENSOR) at = parent[at];
    return at;
  };
  const nearAnchor = (view: number) => {
    if (whole || request.opened.has(view)) return true;
    if (tree.kind[view] === CALL) return parent[view] < 0 || anchor[parent[view]] === 1;
    const call = callAround(view);
    return call < 0 || anchor[call] === 1 || userGroup[call] === 1;
  };
  // Inside the group the user opened, a short loop (no runs of iterations) and its iterations open whatever
  // the budget: opening `layer(…)` shows its neurons, not a `for (…)` box to open next.
  const throughLoop = (view: number): boolean => {
    if (userGroup[callAround(view)] !== 1) return false;
    if (tree.kind[view] === ITERATION) return tree.kind[parent[view]] === LOOP;
    return tree.kind[view] === LOOP && childrenOf(tree, view).every((child) => tree.kind[child] !== BUCKET);
  };
  // A tensor opens only when asked (or when everything is drawn): its matrix already says what its leaves would.
  const mayOpen = (view: number) => !request.closed.has(view) && scope.held[view] > 0 && (tree.kind[view] !== TENSOR || budget === Infinity) && nearAnchor(view);
  // Breadth-first from the sources through the tree, a level (a distance) at a time; within a level the
  // groups the user had open come first, so that a re-plan keeps them when the budget allows.
  const seen = new Uint8Array(size + 1);
  let level: number[] = [];
  for (const view of sources) {
    if (seen[view + 1] === 0) level.push(view);
    seen[view + 1] = 1;
  }
  while (level.length > 0) {
    const kept = level.filter((view) => view >= 0 && isOpen[view] === 0 && request.opened.has(view));
    for (const view of [...kept, ...level.filter((view) => view < 0 || isOpen[view] === 1 || !request.opened.has(view))]) {
      if (view >= 0 && isOpen[view] === 0 && mayOpen(view) && (fits(view) || throughLoop(view))) open(view);
    }
    const next: number[] = [];
    for (const view of level) {
      if (view >= 0 && isOpen[view] === 0) continue;
      // Later children first: the output is usually made last, so they are the nearer.
      for (let at = tree.childStart[view + 2] - 1; at >= tree.childStart[view + 1]; at--) {
        const child = tree.children[at];
        if (seen[child + 1] === 0 && scope.held[child] > 0) {
          seen[child + 1] = 1;
          next.push(child);
        }
      }
      const up = view >= 0 ? parent[view] : -1;
      if (view >= 0 && seen[up + 1] === 0) {
        seen[up + 1] = 1;
        next.push(up);
      }
    }
    level = next;
  }
  return { isOpen, order, boxCount };
}
