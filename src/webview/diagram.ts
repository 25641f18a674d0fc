/**
 * The pure side of drawing: which mermaid theme a VS Code theme gets, and which groups are collapsed after
 * a click. What a box says and which node an SVG element stands for are `graph/labels.ts`'s.
 */
import type { GraphModel } from '../graph/model.ts';
import { groupOf, isConstant } from '../graph/reader.ts';

export type MermaidTheme = 'dark' | 'default';

/**
 * Mermaid's theme for the body's classes: VS Code sets `vscode-light`, `vscode-dark`, `vscode-high-contrast`
 * and, for the light high-contrast theme, `vscode-high-contrast-light` (beside `vscode-high-contrast`).
 */
export function themeFor(classes: readonly string[]): MermaidTheme {
  const set = new Set(classes);
  return set.has('vscode-light') || set.has('vscode-high-contrast-light') ? 'default' : 'dark';
}

/** Whether `group` is `ancestor` or nested in it. */
function within(graph: GraphModel, group: number | undefined, ancestor: number): boolean {
  for (let current = group, steps = 0; current !== undefined && steps <= graph.groups.length; current = graph.groups[current]?.parent, steps++) {
    if (current === ancestor) return true;
  }
  return false;
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

/** The collapsed group that hides what was made in `group`, if any (the outermost collapsed one around it). */
export function hiddenIn(graph: GraphModel, group: number | undefined, collapsed: ReadonlySet<number>): number | undefined {
  let found: number | undefined;
  for (let current = group, steps = 0; current !== undefined && steps <= graph.groups.length; current = graph.groups[current]?.parent, steps++) {
    if (collapsed.has(current)) found = current;
  }
  return found;
}
