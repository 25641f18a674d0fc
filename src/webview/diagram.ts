/**
 * The pure side of drawing: which mermaid theme a VS Code theme gets, which graph node an SVG element
 * stands for, which groups are collapsed after a click, and the parts of a value box's label.
 */
import type { GraphModel, GraphNode } from '../graph/model.ts';
import { formatNumber } from '../graph/mermaid.ts';
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

/** What an SVG node element stands for: a value box, an operation circle, or a collapsed group. */
export interface DiagramRef {
  readonly kind: 'value' | 'operation' | 'group';
  readonly id: number;
}

const DOM_ID = /-flowchart-([vog])(\d+)-\d+$/;

/** The node behind a mermaid node element's id (`<svg id>-flowchart-v7-12`). */
export function parseDomId(domId: string): DiagramRef | undefined {
  const match = DOM_ID.exec(domId);
  if (match === null) return undefined;
  const kind = match[1] === 'v' ? 'value' : match[1] === 'o' ? 'operation' : 'group';
  return { kind, id: Number(match[2]) };
}

const EDGE_ID = /^L_([vog]\d+)_([vog]\d+)_\d+$/;

/** The ends of an edge from its `data-id` (`L_v0_o4_0`: from `v0` to `o4`), as mermaid ids. */
export function parseEdgeId(dataId: string): { readonly from: string; readonly to: string } | undefined {
  const match = EDGE_ID.exec(dataId);
  return match === null ? undefined : { from: match[1], to: match[2] };
}

/**
 * Whether an edge carries the selected node's value or gradient: into its operation, from its operation to
 * its box, or out of its box.
 */
export function isSelectedEdge(edge: { readonly from: string; readonly to: string }, selected: number): boolean {
  return edge.to === `o${selected}` || edge.from === `o${selected}` || edge.from === `v${selected}`;
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

/** One part of a box's label (`a`, `data 2.0000`, `grad 6.0000`), as `toMermaid` writes it. */
export interface LabelPart {
  readonly role: 'name' | 'data' | 'grad' | 'constant' | 'count' | 'hint';
  /** `data`, `grad`, or empty. */
  readonly key: string;
  readonly text: string;
}

/** The parts of a value box's label, the same text as `toMermaid`'s, so that mermaid's measured box still fits. */
export function labelParts(node: GraphNode, digits: number): LabelPart[] {
  if (node.kind === 'const') return [{ role: 'constant', key: '', text: formatNumber(node.data, digits) }];
  const parts: LabelPart[] = [];
  if (node.label !== undefined && node.label !== '') parts.push({ role: 'name', key: '', text: node.label });
  parts.push({ role: 'data', key: 'data', text: formatNumber(node.data, digits) });
  parts.push({ role: 'grad', key: 'grad', text: formatNumber(node.grad, digits) });
  return parts;
}

/** The parts of a collapsed group's label (`neuron(…) | 7 nodes | click to expand`), as `toMermaid` writes it. */
export function groupLabelParts(label: string, nodeCount: number): LabelPart[] {
  return [
    { role: 'name', key: '', text: label },
    { role: 'count', key: '', text: `${nodeCount} nodes` },
    { role: 'hint', key: '', text: 'click to expand' },
  ];
}

/** The label text the parts make, as mermaid draws it. */
export function labelText(parts: readonly LabelPart[]): string {
  return parts.map((part) => (part.key === '' ? part.text : `${part.key} ${part.text}`)).join(' | ');
}

/** `+`, `-` or `0`: the sign a gradient is coloured by. */
export function gradientSign(grad: number): 'positive' | 'negative' | 'zero' {
  return grad > 0 ? 'positive' : grad < 0 ? 'negative' : 'zero';
}
