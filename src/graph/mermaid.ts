/**
 * Mermaid text for a graph, in the look of micrograd's `draw_dot`: a box per value with
 * `label | data | grad`, a small round node per operation, edges left to right. What each box says, its id
 * and its classes come from `labels.ts`; this module only writes them in mermaid's syntax.
 *
 * Every label goes through `escapeLabel`, which keeps a short list of safe characters and writes every
 * other one as a mermaid entity (`#60;`), so no name or value can inject mermaid syntax or HTML. Output is
 * deterministic: the same graph and options give the same text.
 */
import type { GraphModel } from './model.ts';
import { visibleGraph, type VisibleGraph } from './collapse.ts';
import { groupId, groupLabelParts, labelParts, labelText, largestGradient, NODE_CLASS, operationId, operationText, valueClasses, valueId } from './labels.ts';

export interface MermaidOptions {
  /** Layout direction: left to right (micrograd's) or top to bottom. */
  readonly direction?: 'LR' | 'TB';
  /** Digits after the decimal point. */
  readonly digits?: number;
  /** Draw constants as nodes of their own (default), or fold them into the operation's label (`* 2`). */
  readonly showConstants?: boolean;
  /** Groups drawn as one box each (see `collapse.ts`). */
  readonly collapsed?: ReadonlySet<number>;
}

const SAFE = /[A-Za-z0-9 _.,:()[\]+\-*/%=·∂∞|]/;

/** A label as mermaid text: safe characters as they are, every other one as an entity such as `#35;`. */
export function escapeLabel(text: string): string {
  let escaped = '';
  for (const character of text) escaped += SAFE.test(character) ? character : `#${character.codePointAt(0)};`;
  return escaped;
}

/** The mermaid flowchart of a graph. */
export function toMermaid(graph: GraphModel, options: MermaidOptions = {}): string {
  const { direction = 'LR', digits = 4, showConstants = true } = options;
  const visible: VisibleGraph = visibleGraph(graph, options.collapsed ?? new Set(), showConstants);
  const largest = largestGradient(graph);
  const lines = [`flowchart ${direction}`];
  // Mermaid's `class a,b name` takes a list of node ids and one class: gather the ids of each class.
  const classes = new Map<string, string[]>();
  const addClass = (id: string, name: string) => {
    const ids = classes.get(name);
    if (ids) ids.push(id);
    else classes.set(name, [id]);
  };
  const edges: string[] = [];
  for (const group of visible.groups) {
    lines.push(`  ${groupId(group.id)}[["${escapeLabel(labelText(groupLabelParts(group.label, group.nodeCount)))}"]]`);
    addClass(groupId(group.id), NODE_CLASS.group);
  }
  for (const node of visible.nodes) {
    lines.push(`  ${valueId(node.id)}["${escapeLabel(labelText(labelParts(node, digits)))}"]`);
    for (const name of valueClasses(node, graph, largest)) addClass(valueId(node.id), name);
    if (node.op !== undefined) {
      lines.push(`  ${operationId(node.id)}(("${escapeLabel(operationText(graph, node, digits, showConstants))}"))`);
      addClass(operationId(node.id), NODE_CLASS.operation);
      // A cut's inputs are drawn dotted: no gradient goes back along them.
      if (node.cut) addClass(operationId(node.id), NODE_CLASS.cut);
      edges.push(`  ${operationId(node.id)} --> ${valueId(node.id)}`);
      for (const input of node.inputs) {
        const source = visible.sourceOf(input);
        if (source !== undefined) edges.push(`  ${source} ${node.cut ? '-.->' : '-->'} ${operationId(node.id)}`);
      }
    }
  }
  for (const edge of visible.groupEdges) edges.push(`  ${edge.from} --> ${edge.to}`);
  const classLines = [...classes].map(([name, ids]) => `  class ${ids.join(',')} ${name}`);
  return [...lines, ...edges, ...classLines].join('\n') + '\n';
}
