/**
 * Mermaid text for a graph, in the look of micrograd's `draw_dot`: a box per value with
 * `label | data | grad`, a small round node per operation, edges left to right.
 *
 * Every label goes through `escapeLabel`, which keeps a short list of safe characters and writes every
 * other one as a mermaid entity (`#60;`), so no name or value can inject mermaid syntax or HTML. Output is
 * deterministic: the same graph and options give the same text.
 */
import type { GraphModel, GraphNode } from './model.ts';
import { visibleGraph, type VisibleGraph } from './collapse.ts';
import { isConstant } from './reader.ts';

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

/** A number with `digits` decimals, in exponent form when that would hide it (1e-7, 3e12). */
export function formatNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e9 || magnitude < 10 ** -digits)) return value.toExponential(Math.max(1, digits - 1));
  const fixed = value.toFixed(digits);
  return fixed.startsWith('-') && Number(fixed) === 0 ? fixed.slice(1) : fixed;
}

/** Mermaid node ids: `v7` for the value of node 7, `o7` for the operation that made it, `g3` for group 3. */
export const valueId = (id: number) => `v${id}`;
export const operationId = (id: number) => `o${id}`;
export const groupId = (id: number) => `g${id}`;

/** The class a value's box gets from its kind and its gradient, which the panel's CSS colours. */
export function valueClasses(node: GraphNode, graph: GraphModel, largestGradient: number): string[] {
  const classes = [node.kind === 'leaf' ? 'leaf' : node.kind === 'const' ? 'constant' : 'value'];
  if (node.id === graph.output) classes.push('output');
  if (node.kind !== 'const') classes.push(gradientClass(node.grad, largestGradient));
  return classes;
}

/** `gradPositive2`: the gradient's sign and its size in thirds of the largest one; `gradZero` for 0. */
export function gradientClass(grad: number, largestGradient: number): string {
  if (grad === 0 || Number.isNaN(grad)) return 'gradZero';
  const share = largestGradient > 0 && Number.isFinite(largestGradient) ? Math.abs(grad) / largestGradient : 1;
  const size = share > 2 / 3 ? 3 : share > 1 / 3 ? 2 : 1;
  return `${grad > 0 ? 'gradPositive' : 'gradNegative'}${size}`;
}

export function largestGradient(graph: GraphModel): number {
  let largest = 0;
  for (let id = 0; id < graph.nodeCount; id++) {
    const grad = graph.grad[id];
    if (!isConstant(graph, id) && Number.isFinite(grad)) largest = Math.max(largest, Math.abs(grad));
  }
  return largest;
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
    const label = `${group.label} | ${group.nodeCount} nodes | click to expand`;
    lines.push(`  ${groupId(group.id)}[["${escapeLabel(label)}"]]`);
    addClass(groupId(group.id), 'group');
  }
  for (const node of visible.nodes) {
    const name = node.label ?? '';
    const parts = node.kind === 'const'
      ? [formatNumber(node.data, digits)]
      : [name, `data ${formatNumber(node.data, digits)}`, `grad ${formatNumber(node.grad, digits)}`].filter((part) => part !== '');
    lines.push(`  ${valueId(node.id)}["${escapeLabel(parts.join(' | '))}"]`);
    for (const name of valueClasses(node, graph, largest)) addClass(valueId(node.id), name);
    if (node.op !== undefined) {
      const folded = showConstants ? [] : node.inputs.filter((input) => isConstant(graph, input)).map((input) => formatNumber(graph.data[input], digits));
      lines.push(`  ${operationId(node.id)}(("${escapeLabel([node.op, ...folded].join(' '))}"))`);
      addClass(operationId(node.id), 'operation');
      // A cut's inputs are drawn dotted: no gradient goes back along them.
      if (node.cut) addClass(operationId(node.id), 'cut');
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
