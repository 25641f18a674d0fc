/**
 * The tree of view groups: what a picture of the graph can show as one box or open as a frame. The model's
 * groups are calls (`neuron(…)`) and loop iterations (`for #3`); a reader also thinks in whole loops, so a
 * run of iterations of one loop becomes a **loop** group, and a long loop is split into **buckets**
 * (`for #0–#99`) nested so that no level has more than `MAX_CHILDREN` children: a loop of a million
 * iterations is six levels of at most ten. A top-level array of leaves is a **tensor** (`tensors.ts`).
 *
 * Everything is columns indexed by view group id, built in one pass over the nodes and their inputs and a
 * few over the groups, so that a graph of millions of nodes costs tens of milliseconds (a few hundred when
 * it has millions of groups: scripts/plan-timing.ts). Each view group has a stable string key (`keyOf`):
 * the same evaluation, planned again or reloaded, gives the same keys.
 */
import { CONST, LEAF } from '../engine/ops.ts';
import type { GraphModel } from './model.ts';
import { findTensors, type Tensor } from './tensors.ts';
import { MAX_CHILDREN, nestLoops } from './loops.ts';

/** A view group's kind: the model's two, and the three this tree adds. */
export type ViewGroupKind = 'call' | 'iteration' | 'loop' | 'bucket' | 'tensor';
export const VIEW_KINDS = ['call', 'iteration', 'loop', 'bucket', 'tensor'] as const satisfies readonly ViewGroupKind[];
export const CALL = 0, ITERATION = 1, LOOP = 2, BUCKET = 3, TENSOR = 4;

// Copies of the engine's codes: hot loops read these, not the import (a getter when tsx runs the tests).
const CONST_CODE: number = CONST;
const LEAF_CODE: number = LEAF;

export { MAX_CHILDREN };

/** The tree, as columns indexed by view group id. The top level is not a group: its id is -1. */
export interface ViewHierarchy {
  readonly graph: GraphModel;
  readonly size: number;
  /** Index in `VIEW_KINDS`. */
  readonly kind: Uint8Array;
  /** The enclosing view group, -1 for the top level. */
  readonly parent: Int32Array;
  /** The children of view group v are `children[childStart[v + 1] … childStart[v + 2] - 1]`; the top level's from `childStart[0]`. */
  readonly childStart: Int32Array;
  readonly children: Int32Array;
  /** Every view group, each after its parent (a top-down order; reversed, bottom-up). */
  readonly order: Int32Array;
  /** The model group of a call or iteration; a loop's first iteration's; -1 for buckets and tensors. */
  readonly modelGroup: Int32Array;
  /** A bucket's first and last iteration index (as its iterations' labels count); a tensor's index in `tensors`. */
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Values (non-constant nodes) held, nested groups included. */
  readonly values: Float64Array;
  /** The node that stands for the group: what it returns (see `returnedValues`). */
  readonly returned: Int32Array;
  /** Model group id → view group id. */
  readonly viewOfGroup: Int32Array;
  /** Label index → tensor view group id, -1 if none (only top-level leaves belong to tensors). */
  readonly tensorOfLabel: Int32Array;
  readonly tensors: readonly Tensor[];
  /** The view group a node belongs to directly (-1: the top level). */
  viewOfNode(node: number): number;
  keyOf(view: number): string;
  /** The view group of a key, undefined if this graph has none. */
  viewOfKey(key: string): number | undefined;
  labelOf(view: number): string;
}

/** The children of `view` (-1: the top level), as a view of the column. */
export const childrenOf = (tree: ViewHierarchy, view: number): Int32Array => tree.children.subarray(tree.childStart[view + 1], tree.childStart[view + 2]);

const cache = new WeakMap<GraphModel, ViewHierarchy>();

/** The view groups of a graph, built once per graph (a plan asks again on each click). */
export function hierarchyOf(graph: GraphModel): ViewHierarchy {
  let tree = cache.get(graph);
  if (tree === undefined) {
    tree = buildHierarchy(graph);
    cache.set(graph, tree);
  }
  return tree;
}

export function buildHierarchy(graph: GraphModel): ViewHierarchy {
  // Tensor t is view group t, so a label's tensor index is its view id.
  const { tensors, tensorOfLabel } = findTensors(graph);
  // Tensors first (ids 0…), then a view per model group in id order, with loops and buckets among them.
  const nested = nestLoops(graph, tensors.length);
  const size = nested.size;
  const { kind, parent, modelGroup, from, to, viewOfGroup } = nested;
  for (let tensor = 0; tensor < tensors.length; tensor++) {
    kind[tensor] = TENSOR;
    parent[tensor] = -1;
    modelGroup[tensor] = -1;
    from[tensor] = tensor;
  }
  const { code, group, label } = graph;
  const viewOfNode = (node: number): number => {
    const model = group[node];
    if (model >= 0) return viewOfGroup[model];
    return code[node] === LEAF_CODE && label[node] >= 0 ? tensorOfLabel[label[node]] : -1;
  };

  // Children in id order (counts, then places), and a top-down order from them.
  const childStart = new Int32Array(size + 2);
  for (let view = 0; view < size; view++) childStart[parent[view] + 2]++;
  for (let at = 1; at < size + 2; at++) childStart[at] += childStart[at - 1];
  const children = new Int32Array(size);
  const fill = childStart.slice(0, size + 1);
  for (let view = 0; view < size; view++) children[fill[parent[view] + 1]++] = view;
  const order = new Int32Array(size);
  let head = 0;
  let tail = 0;
  for (let at = childStart[0]; at < childStart[1]; at++) order[tail++] = children[at];
  while (head < tail) {
    const view = order[head++];
    for (let at = childStart[view + 1]; at < childStart[view + 2]; at++) order[tail++] = children[at];
  }

  // Values held: counted where made (with what groups return, in one pass), then added up the tree.
  const made = returnedValues(graph, nested.groupParent);
  const values = new Float64Array(size);
  const madeValues = made.values;
  for (let model = 0; model < madeValues.length; model++) values[viewOfGroup[model]] = madeValues[model];
  for (let tensor = 0; tensor < tensors.length; tensor++) values[tensor] = tensors[tensor].elements.length;
  for (let at = size - 1; at >= 0; at--) if (parent[order[at]] >= 0) values[parent[order[at]]] += values[order[at]];

  const returnedOfGroup = made.returned;
  const returned = new Int32Array(size).fill(-1);
  for (let at = size - 1; at >= 0; at--) {
    const view = order[at];
    if (kind[view] === TENSOR) returned[view] = tensors[from[view]].elements.at(-1)!;
    else if (kind[view] === CALL || kind[view] === ITERATION) returned[view] = returnedOfGroup[modelGroup[view]];
    // A loop or a bucket returns what its last iteration returns (its children are done: bottom-up).
    else returned[view] = returned[children[childStart[view + 2] - 1]];
  }

  const keyOf = (view: number): string => {
    switch (kind[view]) {
      case TENSOR: return `T${tensors[from[view]].name}`;
      case LOOP: return `L${graph.groups[modelGroup[view]].parent ?? 'top'}:${modelGroup[view]}`;
      case BUCKET: return `B${keyOf(loopOf(view))}:${from[view]}-${to[view]}`;
      default: return `g${modelGroup[view]}`;
    }
  };
  /** The loop of a bucket or a loop (-1 if neither). */
  const loopOf = (view: number): number => {
    let loop = view;
    while (loop >= 0 && kind[loop] === BUCKET) loop = parent[loop];
    return loop >= 0 && kind[loop] === LOOP ? loop : -1;
  };
  const labelOf = (view: number): string => {
    switch (kind[view]) {
      case TENSOR: return tensors[from[view]].name;
      case LOOP: return `${loopName(graph.groups[modelGroup[view]].label)} (…)`;
      case BUCKET: return `${loopName(graph.groups[modelGroup[loopOf(view)]].label)} #${from[view]}–#${to[view]}`;
      default: return graph.groups[modelGroup[view]].label;
    }
  };
  let tensorByName: Map<string, number> | undefined;
  /** Read back from the key itself (no table of every key: a graph may have millions of groups). */
  const viewOfKey = (key: string): number | undefined => {
    const found = ((): number => {
      const number = (text: string) => (/^\d+$/.test(text) ? Number(text) : -1);
      switch (key[0]) {
        case 'T':
          tensorByName ??= new Map(tensors.map((tensor, view) => [tensor.name, view]));
          return tensorByName.get(key.slice(1)) ?? -1;
        case 'g': {
          const model = number(key.slice(1));
          return model >= 0 && model < viewOfGroup.length ? viewOfGroup[model] : -1;
        }
        case 'L': {
          const model = number(key.slice(key.lastIndexOf(':') + 1));
          return model >= 0 && model < viewOfGroup.length ? loopOf(parent[viewOfGroup[model]]) : -1;
        }
        case 'B': {
          const at = key.lastIndexOf(':');
          const range = /^(\d+)-(\d+)$/.exec(key.slice(at + 1));
          const loop = viewOfKey(key.slice(1, at));
          if (range === null || loop === undefined) return -1;
          // Down from the loop: the child bucket that covers the range, until one is exactly it.
          for (let view = loop; ;) {
            let next = -1;
            for (let child = childStart[view + 1]; child < childStart[view + 2]; child++) {
              const bucket = children[child];
              if (kind[bucket] === BUCKET && from[bucket] <= Number(range[1]) && to[bucket] >= Number(range[2])) next = bucket;
            }
            if (next < 0) return -1;
            if (from[next] === Number(range[1]) && to[next] === Number(range[2])) return next;
            view = next;
          }
        }
        default: return -1;
      }
    })();
    return found >= 0 && keyOf(found) === key ? found : undefined;
  };
  return {
    graph, size, kind, parent, childStart, children, order, modelGroup, from, to, values, returned, viewOfGroup, tensorOfLabel, tensors,
    viewOfNode, keyOf, labelOf,
    viewOfKey: (key) => viewOfKey(key),
  };
}

/** `for #3` → `for`; `for…of #0` → `for…of`. */
export const loopName = (iterationLabel: string): string => {
  const at = iterationLabel.lastIndexOf(' #');
  return at < 0 ? iterationLabel : iterationLabel.slice(0, at);
};

/**
 * What each model group returns: its last-made node that is used outside it (an input of a node outside
 * the group, or the output), else its last node; and the values each group makes directly. One pass over the inputs; an edge that leaves several
 * groups at once (a value returned from deep inside) marks each of them, walking up to the common group.
 */
export function returnedValues(graph: GraphModel, groupParent: Int32Array): { readonly returned: Int32Array; readonly values: Int32Array } {
  const groupCount = graph.groups.length;
  // Parents shifted by one, so that the top level (-1) is index 0. A parent is listed before its children,
  // so its id is smaller: the common group of two is found by moving up the larger, with no depths.
  const parentOf = new Int32Array(groupCount + 1);
  for (let model = 0; model < groupCount; model++) parentOf[model + 1] = groupParent[model] + 1;
  // Shifted too: usedOutside[model + 1].
  const usedOutside = new Int32Array(groupCount + 1).fill(-1);
  const last = new Int32Array(groupCount).fill(-1);
  const { code, group, inputs, inputStart } = graph;
  // Values (non-constant nodes) made directly in each group: counted in the same pass.
  const values = new Int32Array(groupCount);
  /** Marks `node` as used outside each group from `inner` up to (not including) the common group with `outer` (both shifted). */
  const markLeaving = (node: number, inner: number, outer: number) => {
    let leaving = inner;
    let staying = outer;
    while (leaving !== staying) {
      if (leaving > staying) {
        if (usedOutside[leaving] < node) usedOutside[leaving] = node;
        leaving = parentOf[leaving];
      } else {
        staying = parentOf[staying];
      }
    }
  };
  for (let node = 0; node < graph.nodeCount; node++) {
    const own = group[node];
    if (own >= 0) {
      last[own] = node;
      if (code[node] !== CONST_CODE) values[own]++;
    }
    for (let at = inputStart[node]; at < inputStart[node + 1]; at++) {
      const input = inputs[at];
      const inner = group[input];
      if (inner < 0 || inner === own) continue;
      // The common case, a value returned to its caller: one group left.
      if (parentOf[inner + 1] === own + 1) {
        if (usedOutside[inner + 1] < input) usedOutside[inner + 1] = input;
      } else {
        markLeaving(input, inner + 1, own + 1);
      }
    }
  }
  if (graph.output >= 0 && graph.output < graph.nodeCount) markLeaving(graph.output, group[graph.output] + 1, 0);
  // A group's last node is its own or its latest child's, whichever was made later (children have larger ids).
  for (let model = groupCount - 1; model >= 0; model--) {
    const parent = parentOf[model + 1] - 1;
    if (parent >= 0 && last[parent] < last[model]) last[parent] = last[model];
  }
  const returned = usedOutside.subarray(1);
  for (let model = 0; model < groupCount; model++) if (returned[model] < 0) returned[model] = last[model];
  return { returned, values };
}
