/**
 * Collapsing large graphs: a function call or a loop iteration (a group of the model) can be drawn as one
 * box, so that a graph of thousands of values stays readable and quick to lay out. This module decides what
 * is visible; `mermaid.ts` draws it.
 */
import type { GraphGroup, GraphModel, GraphNode } from './model.ts';

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
  /** The collapsed group a node is hidden in, if any. */
  hiddenIn(node: number): number | undefined;
}

/** The outermost collapsed group containing `group` (itself included), if any. */
function outermostCollapsed(graph: GraphModel, group: number | undefined, collapsed: ReadonlySet<number>): number | undefined {
  let found: number | undefined;
  for (let current = group; current !== undefined; current = graph.groups[current]?.parent) if (collapsed.has(current)) found = current;
  return found;
}

export function visibleGraph(graph: GraphModel, collapsed: ReadonlySet<number>, showConstants: boolean): VisibleGraph {
  const hidden = new Map<number, number>();
  const counts = new Map<number, number>();
  if (collapsed.size > 0) {
    for (const node of graph.nodes) {
      const group = outermostCollapsed(graph, node.group, collapsed);
      if (group !== undefined) {
        hidden.set(node.id, group);
        counts.set(group, (counts.get(group) ?? 0) + 1);
      }
    }
  }
  const isDrawn = (node: GraphNode) => !hidden.has(node.id) && (showConstants || node.kind !== 'const' || node.id === graph.output);
  const sourceOf = (id: number): string | undefined => {
    const group = hidden.get(id);
    if (group !== undefined) return `g${group}`;
    return isDrawn(graph.nodes[id]) ? `v${id}` : undefined;
  };
  const groupEdges: Array<{ from: string; to: string }> = [];
  const seen = new Set<string>();
  for (const [id, group] of hidden) {
    for (const input of graph.nodes[id].inputs) {
      if (hidden.get(input) === group) continue;
      const from = sourceOf(input);
      const key = `${from} ${group}`;
      if (from === undefined || seen.has(key)) continue;
      seen.add(key);
      groupEdges.push({ from, to: `g${group}` });
    }
  }
  groupEdges.sort((a, b) => (a.to === b.to ? a.from.localeCompare(b.from) : a.to.localeCompare(b.to)));
  return {
    nodes: graph.nodes.filter(isDrawn),
    groups: [...counts.keys()].sort((a, b) => a - b).map((id) => ({ ...graph.groups[id], nodeCount: counts.get(id)! })),
    groupEdges,
    sourceOf,
    hiddenIn: (id) => hidden.get(id),
  };
}

/** Values (non-constant nodes) a view would draw with nothing collapsed. */
export function valueCount(graph: GraphModel): number {
  let count = 0;
  for (const node of graph.nodes) if (node.kind !== 'const') count++;
  return count;
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
