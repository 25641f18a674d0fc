/**
 * TEMPORARY adapter: the planner's API over today's collapse.ts, until the planner of issue 11 lands.
 */
import { collapseGroup, expandGroup, autoCollapse, hiddenIn, visibleGraph } from './collapse.ts';
import { groupId, groupLabelParts, labelParts, labelText, operationId, valueId, type LabelPart } from './labels.ts';
import { toMermaid } from './mermaid.ts';
import type { GraphModel, SourceRange } from './model.ts';
import { groupOf } from './reader.ts';

export interface ViewChoices {
  readonly opened: readonly string[];
  readonly closed: readonly string[];
  readonly reveal?: readonly number[];
  readonly cone?: number;
}
export interface PlanOptions {
  readonly budget: number;
  readonly showConstants: boolean;
  readonly direction: 'LR' | 'TB';
  readonly digits: number;
  readonly sourceText?: (range: SourceRange) => string | undefined;
}
export interface DrawnBox {
  readonly id: string;
  readonly kind: 'value' | 'operation' | 'group' | 'tensor';
  readonly node?: number;
  readonly group?: string;
  readonly lines: readonly (readonly LabelPart[])[];
  readonly ariaLabel: string;
}
export interface DrawnFrame { readonly id: string; readonly group: string; readonly label: string }
export interface ViewPlan {
  readonly mermaid: string;
  readonly boxes: readonly DrawnBox[];
  readonly frames: readonly DrawnFrame[];
  readonly boxCount: number;
  readonly outputBox: string;
  readonly open: readonly string[];
  boxOf(node: number): string | undefined;
}

export function planView(graph: GraphModel, choices: ViewChoices, options: PlanOptions): ViewPlan {
  let collapsed = autoCollapse(graph, options.budget);
  for (const key of choices.opened) collapsed = expandGroup(graph, collapsed, Number(key.slice(1)), options.budget);
  for (const key of choices.closed) collapsed = collapseGroup(graph, collapsed, Number(key.slice(1)));
  for (const node of choices.reveal ?? []) {
    for (let group = groupOf(graph, node); group !== undefined; group = graph.groups[group]?.parent) collapsed.delete(group);
  }
  const visible = visibleGraph(graph, collapsed, options.showConstants);
  const boxes: DrawnBox[] = [];
  for (const group of visible.groups) {
    const parts = groupLabelParts(group.label, group.nodeCount);
    boxes.push({ id: groupId(group.id), kind: 'group', group: `g${group.id}`, lines: [parts], ariaLabel: `${group.label}: ${group.nodeCount} nodes, collapsed; press Enter to expand` });
  }
  for (const node of visible.nodes) {
    const parts = labelParts(node, options.digits);
    boxes.push({ id: valueId(node.id), kind: 'value', node: node.id, lines: [parts], ariaLabel: labelText(parts) });
    if (node.op !== undefined) boxes.push({ id: operationId(node.id), kind: 'operation', node: node.id, lines: [], ariaLabel: `operation ${node.op}` });
  }
  const open = graph.groups.filter((group) => !collapsed.has(group.id) && hiddenIn(graph, group.id, collapsed) === undefined).map((group) => `g${group.id}`);
  return {
    mermaid: toMermaid(graph, { direction: options.direction, digits: options.digits, showConstants: options.showConstants, collapsed }),
    boxes,
    frames: [],
    boxCount: visible.nodes.length + visible.groups.length,
    outputBox: visible.sourceOf(graph.output) ?? valueId(graph.output),
    open,
    boxOf: (node) => visible.sourceOf(node),
  };
}
