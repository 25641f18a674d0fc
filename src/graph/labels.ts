/**
 * What a node looks like, once for every view: the text of its box (`a | data 2.0000 | grad 6.0000`), its
 * mermaid ids (`v7`, `o7`, `g3`) and the CSS classes the panel colours it by. `mermaid.ts` writes the
 * diagram from these functions and the panel reads mermaid's SVG back through them, so the two cannot
 * disagree on a label or an id.
 */
import { formatNumber } from './format.ts';
import type { GraphModel, GraphNode } from './model.ts';
import { isConstant } from './reader.ts';

// ---------------------------------------------------------------------------------------------- ids

/** The letter that starts each kind's mermaid id. */
const ID_PREFIX = { value: 'v', operation: 'o' } as const;

/** Mermaid node ids: `v7` for the value of node 7, `o7` for the operation that made it (the plan numbers the rest). */
export const valueId = (id: number) => `${ID_PREFIX.value}${id}`;
export const operationId = (id: number) => `${ID_PREFIX.operation}${id}`;

/** Every mermaid id a picture uses: a letter for its kind, then a number. */
const MERMAID_ID = '[a-z]\\d+';
const DOM_ID = new RegExp(`-flowchart-(${MERMAID_ID})-\\d+$`);
const EDGE_ID = new RegExp(`^L_(${MERMAID_ID})_(${MERMAID_ID})_\\d+$`);

/** The mermaid id (`v7`) behind a mermaid node element's DOM id (`<svg id>-flowchart-v7-12`). */
export function mermaidIdOf(domId: string): string | undefined {
  return DOM_ID.exec(domId)?.[1];
}

/** The ends of an edge from its `data-id` (`L_v0_o4_0`: from `v0` to `o4`), as mermaid ids. */
export function parseEdgeId(dataId: string): { readonly from: string; readonly to: string } | undefined {
  const match = EDGE_ID.exec(dataId);
  return match === null ? undefined : { from: match[1], to: match[2] };
}

// ---------------------------------------------------------------------------------------------- box text

/** One part of a box's label (`a`, `data 2.0000`, `grad 6.0000`); the panel styles each part. */
export interface LabelPart {
  readonly role: 'name' | 'data' | 'grad' | 'constant' | 'count' | 'hint';
  /** `data`, `grad`, or empty. */
  readonly key: string;
  readonly text: string;
}

/** The parts of a value box's label: its name (if any), data and grad; a constant shows only its value. */
export function labelParts(node: GraphNode, digits: number): LabelPart[] {
  if (node.kind === 'const') return [{ role: 'constant', key: '', text: formatNumber(node.data, digits) }];
  const parts: LabelPart[] = [];
  if (node.label !== undefined && node.label !== '') parts.push({ role: 'name', key: '', text: node.label });
  parts.push({ role: 'data', key: 'data', text: formatNumber(node.data, digits) });
  parts.push({ role: 'grad', key: 'grad', text: formatNumber(node.grad, digits) });
  return parts;
}

/** The label text the parts make, as mermaid draws it (and as the panel finds it in the SVG). */
export function labelText(parts: readonly LabelPart[]): string {
  return parts.map((part) => (part.key === '' ? part.text : `${part.key} ${part.text}`)).join(' | ');
}

/** An operation circle's text: the op (`*`), and its constants when they are not drawn as nodes (`* 2`). */
export function operationText(graph: GraphModel, node: GraphNode, digits: number, showConstants: boolean): string {
  const folded = showConstants ? [] : node.inputs.filter((input) => isConstant(graph, input)).map((input) => formatNumber(graph.data[input], digits));
  return [node.op, ...folded].join(' ');
}

// ---------------------------------------------------------------------------------------------- classes

/** The classes of a node's shapes, which the panel's CSS (and its legend) colours. */
export const NODE_CLASS = {
  leaf: 'leaf',
  value: 'value',
  constant: 'constant',
  output: 'output',
  group: 'group',
  operation: 'operation',
  cut: 'cut',
  /** A top-level array of leaves drawn as one box with its matrix (`tensors.ts`). */
  tensor: 'tensor',
  /** An open group's subgraph (`plan.ts`). */
  frame: 'frame',
} as const;

/** The classes a value's box gets from its kind and its gradient. */
export function valueClasses(node: GraphNode, graph: GraphModel, largestGradient: number): string[] {
  const classes: string[] = [node.kind === 'leaf' ? NODE_CLASS.leaf : node.kind === 'const' ? NODE_CLASS.constant : NODE_CLASS.value];
  if (node.id === graph.output) classes.push(NODE_CLASS.output);
  if (node.kind !== 'const') classes.push(gradientClass(node.grad, largestGradient));
  return classes;
}

/** `positive`, `negative` or `zero`: the sign a gradient is coloured by (NaN counts as zero). */
export function gradientSign(grad: number): 'positive' | 'negative' | 'zero' {
  return grad > 0 ? 'positive' : grad < 0 ? 'negative' : 'zero';
}

/** `gradPositive2`: the gradient's sign and its size in thirds of the largest one; `gradZero` for 0. */
export function gradientClass(grad: number, largestGradient: number): string {
  if (grad === 0 || Number.isNaN(grad)) return 'gradZero';
  const share = largestGradient > 0 && Number.isFinite(largestGradient) ? Math.abs(grad) / largestGradient : 1;
  const size = share > 2 / 3 ? 3 : share > 1 / 3 ? 2 : 1;
  return `${grad > 0 ? 'gradPositive' : 'gradNegative'}${size}`;
}

/** The largest finite gradient of a non-constant node: what `gradientClass` measures sizes against. */
export function largestGradient(graph: GraphModel): number {
  let largest = 0;
  for (let id = 0; id < graph.nodeCount; id++) {
    const grad = graph.grad[id];
    if (!isConstant(graph, id) && Number.isFinite(grad)) largest = Math.max(largest, Math.abs(grad));
  }
  return largest;
}
