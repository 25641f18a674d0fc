/**
 * Collapsing large graphs: a function call or a loop iteration (a group of the model) can be drawn as one
 * box, so that a graph of thousands of values stays readable and quick to lay out. This module decides what
 * is visible, which groups start collapsed, and which are collapsed after the user expands or collapses
 * one; `mermaid.ts` draws it and the panel keeps the set.
 */
import { groupId, valueId } from './labels.ts';
import type { GraphGroup, GraphModel, GraphNode } from './model.ts';
import { groupOf, inputsOf, isConstant, nodeAt, valueCount } from './reader.ts';

export interface CollapsedGroup extends GraphGroup {
  /** How many nodes the box stands for, its nested groups' included. */
  readonly nodeCount: number;
}

export interface VisibleGraph {
  /** Nodes drawn as boxes of their own, in id order. */
  readonly nodes: readonly GraphNode[];
  /** Collapsed groups drawn as one box each (only the outermost of nested collapsed groups). */
  readonly groups: readonly CollapsedGroup[];
  /** Edges into collapsed boxes from what is outside them, deduplicated, by mermaid id. */
  readonly groupEdges: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  /** The mermaid id that stands for a node as an edge's source (its box, or its group's), if drawn at all. */
  sourceOf(node: number): string | undefined;
}

/** The collapsed group that hides what was made in `group`, if any (the outermost collapsed one around it). */
export function hiddenIn(graph: GraphModel, group: number | undefined, collapsed: ReadonlySet<number>): number | undefined {
  let found: number | undefined;
  // At most as many steps as there are groups, so that a malformed model whose parents loop cannot hang a view.
  for (let current = group, steps = 0; current !== undefined && steps <= graph.groups.length; current = graph.groups[current]?.parent, steps++) {
    if (collapsed.has(current)) found = current;
  }
  return found;
}

/** Whether `group` is `ancestor` or nested in it. */
function within(graph: GraphModel, group: number | undefined, ancestor: number): boolean {
  for (let current = group, steps = 0; current !== undefined && steps <= graph.groups.length; current = graph.groups[current]?.parent, steps++) {
    if (current === ancestor) return true;
  }
  return false;
}

/** What a view draws with `collapsed` groups folded into boxes, and constants drawn or not. */
export function visibleGraph(graph: GraphModel, collapsed: ReadonlySet<number>, showConstants: boolean): VisibleGraph {
  const hidden = new Map<number, number>();
  const counts = new Map<number, number>();
  if (collapsed.size > 0) {
    for (let id = 0; id < graph.nodeCount; id++) {
      const group = hiddenIn(graph, groupOf(graph, id), collapsed);
      if (group !== undefined) {
        hidden.set(id, group);
        counts.set(group, (counts.get(group) ?? 0) + 1);
      }
    }
  }
  const isDrawn = (id: number) => !hidden.has(id) && (showConstants || !isConstant(graph, id) || id === graph.output);
  const sourceOf = (id: number): string | undefined => {
    const group = hidden.get(id);
    if (group !== undefined) return groupId(group);
    return isDrawn(id) ? valueId(id) : undefined;
  };
  const groupEdges: Array<{ from: string; to: string }> = [];
  const seen = new Set<string>();
  for (const [id, group] of hidden) {
    for (const input of inputsOf(graph, id)) {
      if (hidden.get(input) === group) continue;
      const from = sourceOf(input);
      const key = `${from} ${group}`;
      if (from === undefined || seen.has(key)) continue;
      seen.add(key);
      groupEdges.push({ from, to: groupId(group) });
    }
  }
  groupEdges.sort((a, b) => (a.to === b.to ? a.from.localeCompare(b.from) : a.to.localeCompare(b.to)));
  return {
    nodes: drawnNodes(graph, isDrawn),
    groups: [...counts.keys()].sort((a, b) => a - b).map((id) => ({ ...graph.groups[id], nodeCount: counts.get(id)! })),
    groupEdges,
    sourceOf,
  };
}

/** The nodes drawn, as objects: as many as the view shows. */
function drawnNodes(graph: GraphModel, isDrawn: (id: number) => boolean): GraphNode[] {
  const nodes: GraphNode[] = [];
  for (let id = 0; id < graph.nodeCount; id++) if (isDrawn(id)) nodes.push(nodeAt(graph, id));
  return nodes;
}

/**
 * The most boxes a view sends to mermaid. Its layout takes about 10 s for 1,000 values and overflows the
 * stack somewhere past a few thousand boxes (after half a minute, with the panel frozen meanwhile): above
 * this, the view says so and draws nothing, instead of trying.
 */
export const MAX_DRAWN_BOXES = 1_500;

/** What keeps a view of `boxes` boxes from being drawn, in words that say what to do; undefined if nothing. */
export function tooManyBoxes(boxes: number): string | undefined {
  if (boxes <= MAX_DRAWN_BOXES) return undefined;
  return `${boxes.toLocaleString('en-US')} boxes are too many to draw at once (at most ${MAX_DRAWN_BOXES.toLocaleString('en-US')}): `
    + 'collapse groups, or select less code (a loop of many iterations draws one box per iteration)';
}

/**
 * How many boxes a view's first picture has (`autoCollapse`'s groups folded), counted as `visibleGraph`
 * counts them but in one pass and without building it: the host asks before it sends a graph at all.
 */
export function firstViewBoxes(graph: GraphModel, collapseAbove: number, showConstants: boolean): number {
  const collapsed = autoCollapse(graph, collapseAbove);
  const groupsShown = new Uint8Array(graph.groups.length);
  let boxes = 0;
  for (let id = 0; id < graph.nodeCount; id++) {
    const group = collapsed.size > 0 ? hiddenIn(graph, groupOf(graph, id), collapsed) : undefined;
    if (group !== undefined) {
      if (groupsShown[group] === 0) boxes++;
      groupsShown[group] = 1;
    } else if (showConstants || !isConstant(graph, id) || id === graph.output) {
      boxes++;
    }
  }
  return boxes;
}

/**
 * The groups to collapse so that a view draws about `maxValues` values or fewer: none if the graph is small
 * enough, else the outermost groups, then their children's siblings are left as they are. Mermaid lays out
 * about 50 values in 0.5 s and 1,000 in 10 s, so views collapse well before that.
 */
export function autoCollapse(graph: GraphModel, maxValues: number): Set<number> {
  if (valueCount(graph) <= maxValues) return new Set();
  return new Set(graph.groups.filter((group) => group.parent === undefined).map((group) => group.id));
}

/** Values (non-constant nodes) made inside a group, its nested groups included. */
export function valuesInGroup(graph: GraphModel, group: number): number {
  let count = 0;
  for (let id = 0; id < graph.nodeCount; id++) if (!isConstant(graph, id) && within(graph, groupOf(graph, id), group)) count++;
  return count;
}

/**
 * The collapsed groups after expanding `group`: it opens, and if it holds more than `maxValues` values its
 * direct children start collapsed, so that one click never floods the panel with thousands of boxes.
 */
export function expandGroup(graph: GraphModel, collapsed: ReadonlySet<number>, group: number, maxValues: number): Set<number> {
  const next = new Set(collapsed);
  next.delete(group);
  if (valuesInGroup(graph, group) > maxValues) {
    for (const child of graph.groups) if (child.parent === group) next.add(child.id);
  }
  return next;
}

/** The collapsed groups after collapsing `group`: it and none of its nested groups (the outer box hides them). */
export function collapseGroup(graph: GraphModel, collapsed: ReadonlySet<number>, group: number): Set<number> {
  const next = new Set<number>();
  for (const id of collapsed) if (!within(graph, id, group)) next.add(id);
  next.add(group);
  return next;
}
