/**
 * Mermaid text for a graph: the text of its plan (`plan.ts`, the picture the panel's first view draws),
 * written by `mermaidText.ts`. `toMermaid` is that text for callers that need only it (the CLI, tests).
 *
 * Until the panel draws plans, it still asks for its own collapsed groups (`collapsed`, see
 * `collapse.ts`): that older drawing is kept here, unchanged, for it alone, and goes with `collapse.ts`.
 */
import type { GraphModel, SourceRange } from './model.ts';
import { visibleGraph, type VisibleGraph } from './collapse.ts';
import { groupId, groupLabelParts, labelParts, labelText, largestGradient, NODE_CLASS, operationId, operationText, valueClasses, valueId } from './labels.ts';
import { escapeLabel } from './mermaidText.ts';
import { NO_CHOICES, planView } from './plan.ts';

export { escapeLabel } from './mermaidText.ts';

export interface MermaidOptions {
  /** Layout direction: left to right (micrograd's) or top to bottom. */
  readonly direction?: 'LR' | 'TB';
  /** Digits after the decimal point. */
  readonly digits?: number;
  /** Draw constants as nodes of their own (default), or fold them into the operation's label (`* 2`). */
  readonly showConstants?: boolean;
  /** The most boxes drawn (the plan's budget, `gradientGraph.maxBoxes`); default: everything. */
  readonly maxBoxes?: number;
  /** The source text of a range, so that unnamed values are named by it (`planLabels.ts`'s `sourceTextIn`). */
  readonly sourceText?: (range: SourceRange) => string | undefined;
  /** The panel's older drawing: these groups drawn as one box each and everything else as it is (see `collapse.ts`). */
  readonly collapsed?: ReadonlySet<number>;
}

/** The mermaid flowchart of a graph: its first picture within `maxBoxes` (or, given `collapsed`, the older drawing). */
export function toMermaid(graph: GraphModel, options: MermaidOptions = {}): string {
  const { direction = 'LR', digits = 4, showConstants = true } = options;
  if (options.collapsed === undefined) {
    return planView(graph, NO_CHOICES, { budget: options.maxBoxes ?? Infinity, showConstants, direction, digits, sourceText: options.sourceText }).mermaid;
  }
  return collapsedMermaid(graph, options.collapsed, direction, digits, showConstants);
}

/** The older drawing, for the panel until it draws plans: every node, `collapsed` groups as one box each. */
function collapsedMermaid(graph: GraphModel, collapsed: ReadonlySet<number>, direction: 'LR' | 'TB', digits: number, showConstants: boolean): string {
  const visible: VisibleGraph = visibleGraph(graph, collapsed, showConstants);
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
