/**
 * The view planner: for a graph of any size (one value to millions), the picture of at most `budget` boxes
 * that follows the code's structure. Calls, loops, buckets of iterations and tensors (`hierarchy.ts`) are
 * boxes or open frames; the first picture opens the groups around the output, then the nearest others
 * while they fit (`planOpen.ts`); the user's opening and closing re-plan within the same budget. It runs on
 * the extension host, and the panel only draws what it returns (`mermaid` and `boxes`).
 *
 * Cost: a couple of passes over the node columns and one over the view groups, with no object per node;
 * objects only for what is drawn.
 */
import { hierarchyOf } from './hierarchy.ts';
import type { LabelPart } from './labels.ts';
import type { GraphModel, SourceRange } from './model.ts';
import { chooseOpen, planScope } from './planOpen.ts';
import { drawPlan } from './planDraw.ts';

export interface ViewChoices {
  /**
   * Keys of view groups the user opened, and closed, in the order they did it. The last key of `opened` is
   * the group being looked at: it opens whatever the budget. A key in both lists stays closed (the panel
   * takes a key out of `closed` when the user opens it again).
   */
  readonly opened: readonly string[];
  readonly closed: readonly string[];
  /** Nodes that must be drawn as boxes of their own (search results, a selection): their groups open. */
  readonly reveal?: readonly number[];
  /** Show only what feeds this node (its ancestors' cone), grouped the same way. */
  readonly cone?: number;
  /**
   * The training step whose graph is shown (`graph/steps.ts`: its loss as the output, its own gradients,
   * its parameters as they were); absent: the evaluation's output. The host plans the step's graph.
   */
  readonly step?: number;
}

export interface PlanOptions {
  /** gradientGraph.maxBoxes, default 60; Infinity = everything. */
  readonly budget: number;
  /** true forces constants as boxes; false folds them into their op (`* 0.9999`). */
  readonly showConstants: boolean;
  readonly direction: 'LR' | 'TB';
  readonly digits: number;
  /** The source text of a range, when the caller has the document (unnamed values are named by it). */
  readonly sourceText?: (range: SourceRange) => string | undefined;
}

export interface DrawnBox {
  /** Mermaid id, matching /^[a-z]\d+$/ (`v7` value of node 7, `o7` its operation, `g3` a collapsed group box, `t2` a tensor, by view group id). */
  readonly id: string;
  readonly kind: 'value' | 'operation' | 'group' | 'tensor';
  /** The node drawn (value, operation), or the node a group/tensor box stands for (its returned value). */
  readonly node?: number;
  /** The view group's key, for group and tensor boxes. */
  readonly group?: string;
  /** The label, line by line; each line's parts are joined by ' | ' (labels.ts's labelText). */
  readonly lines: readonly (readonly LabelPart[])[];
  readonly ariaLabel: string;
  /** The CSS classes the box gets in the mermaid text (labels.ts's `NODE_CLASS` and gradient classes). */
  readonly classes: readonly string[];
  /** The mermaid id of the frame the box is drawn in, if any. */
  readonly frame?: string;
}

export interface DrawnFrame {
  /** Mermaid id of the subgraph, /^f\d+$/ (by view group id). */
  readonly id: string;
  /** The open view group's key. */
  readonly group: string;
  readonly label: string;
  /** The frame it is drawn in, if any. */
  readonly parent?: string;
}

/** An edge between drawn elements, standing for `count` edges of the graph (the mermaid text says `-->|3|`). */
export interface DrawnEdge {
  readonly from: string;
  readonly to: string;
  readonly count: number;
  /** Into a cut operation: no gradient flows back along it (drawn dotted). */
  readonly cut: boolean;
}

export interface ViewPlan {
  readonly mermaid: string;
  readonly boxes: readonly DrawnBox[];
  readonly frames: readonly DrawnFrame[];
  readonly edges: readonly DrawnEdge[];
  /** Value, group and tensor boxes (operation circles not counted; each belongs to its value box). */
  readonly boxCount: number;
  /** The mermaid id of the output's box (with a cone, of the cone's node). */
  readonly outputBox: string;
  /** The keys open in this plan (what the panel saves and sends back as `opened`), the one looked at last. */
  readonly open: readonly string[];
  /** The drawn element that stands for a node: its own box, else the innermost collapsed box around it; undefined if not drawn (a folded constant, outside the cone). */
  boxOf(node: number): string | undefined;
}

/** The first picture's choices: nothing opened or closed. */
export const NO_CHOICES: ViewChoices = { opened: [], closed: [] };

/** The picture of `graph` for the user's choices, within `options.budget` boxes. */
export function planView(graph: GraphModel, choices: ViewChoices, options: PlanOptions): ViewPlan {
  const tree = hierarchyOf(graph);
  const valid = (node: number | undefined): node is number => node !== undefined && Number.isInteger(node) && node >= 0 && node < graph.nodeCount;
  const cone = valid(choices.cone) ? choices.cone : undefined;
  const focus = cone ?? (valid(graph.output) ? graph.output : graph.nodeCount - 1);
  const scope = planScope(tree, focus, cone !== undefined, options.showConstants);
  const views = (keys: readonly string[]) => keys.map((key) => tree.viewOfKey(key)).filter((view): view is number => view !== undefined);
  const opened = views(choices.opened);
  const closed = new Set(views(choices.closed));
  const revealed = (choices.reveal ?? []).filter((node) => valid(node) && (scope.inCone === undefined || scope.inCone[node] === 1));
  const last = opened.at(-1);
  const openSet = chooseOpen(tree, scope, { forced: last === undefined ? [] : [last], revealed, opened: new Set(opened), closed }, Math.max(1, options.budget));
  const drawn = drawPlan(tree, scope, openSet, options);
  // Last in the list, the group a re-plan should look at: the one the user opened last, else the innermost
  // open group around the focus (so that planning again with `open` as `opened` gives the same picture).
  let looked = last !== undefined && openSet.isOpen[last] === 1 ? last : -1;
  for (let view = tree.viewOfNode(focus); looked < 0 && view >= 0; view = tree.parent[view]) if (openSet.isOpen[view] === 1) looked = view;
  // The rest from the least needed: the reverse of the order they opened in.
  const keys = [...openSet.order].reverse().filter((view) => view !== looked).map((view) => tree.keyOf(view));
  if (looked >= 0) keys.push(tree.keyOf(looked));
  return { ...drawn, open: keys, outputBox: drawn.boxOf(focus) ?? '' };
}
