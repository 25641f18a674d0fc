/**
 * Finding nodes by source position, and the text a hover shows for them: pure functions over the graph
 * model, shared by the hover and the cursor highlight.
 */
import { formatNumber } from './mermaid.ts';
import type { GraphModel, GraphNode, SourceRange } from './model.ts';

const before = (line: number, character: number, otherLine: number, otherCharacter: number) =>
  line < otherLine || (line === otherLine && character <= otherCharacter);

/** Whether a position (0-based) lies in a range, its ends included. */
export function rangeContains(range: SourceRange, line: number, character: number): boolean {
  return before(range.startLine, range.startCharacter, line, character) && before(line, character, range.endLine, range.endCharacter);
}

function rangeSize(range: SourceRange): number {
  return (range.endLine - range.startLine) * 100_000 + (range.endCharacter - range.startCharacter);
}

/** Nodes whose source contains the position, smallest source first; constants only if nothing else is there. */
export function nodesAt(graph: GraphModel, line: number, character: number): GraphNode[] {
  const found = graph.nodes.filter((node) => node.range !== undefined && rangeContains(node.range, line, character));
  const values = found.filter((node) => node.kind !== 'const');
  return (values.length > 0 ? values : found).sort((a, b) => rangeSize(a.range!) - rangeSize(b.range!) || b.id - a.id);
}

/**
 * The node a variable name at a position stands for: among nodes labelled `name`, the last one made at or
 * before the position in the source (the value the variable holds there), else the first one.
 */
export function nodeForName(graph: GraphModel, name: string, line: number, character: number): GraphNode | undefined {
  let first: GraphNode | undefined;
  let best: GraphNode | undefined;
  for (const node of graph.nodes) {
    if (node.label !== name) continue;
    first ??= node;
    if (node.range && before(node.range.startLine, node.range.startCharacter, line, character)) best = node;
  }
  return best ?? first;
}

/** `a = 2.0000 · ∂L/∂a = 6.0000`; `name` defaults to the node's label, or its source text. */
export function describeNode(graph: GraphModel, node: GraphNode, digits: number, name = node.label ?? `#${node.id}`): string {
  return `${name} = ${formatNumber(node.data, digits)} · ∂${graph.outputLabel}/∂${name} = ${formatNumber(node.grad, digits)}`;
}

/** How many nodes carry a label: a reassigned variable's hover says which of its values it shows. */
export function labelCount(graph: GraphModel, name: string): number {
  let count = 0;
  for (const node of graph.nodes) if (node.label === name) count++;
  return count;
}
