/**
 * Finding nodes by source position, and the text a hover shows for them: pure functions over the graph
 * model, shared by the hover and the cursor highlight.
 */
import { formatNumber } from './format.ts';
import type { GraphModel, GraphNode, SourceRange } from './model.ts';
import { isConstant, nodeAt } from './reader.ts';

const before = (line: number, character: number, otherLine: number, otherCharacter: number) =>
  line < otherLine || (line === otherLine && character <= otherCharacter);

/** Whether a position (0-based) lies in a range, its ends included. */
function rangeContains(range: SourceRange, line: number, character: number): boolean {
  return before(range.startLine, range.startCharacter, line, character) && before(line, character, range.endLine, range.endCharacter);
}

function rangeSize(range: SourceRange): number {
  return (range.endLine - range.startLine) * 100_000 + (range.endCharacter - range.startCharacter);
}

/**
 * Ids of the nodes whose source contains the position, smallest source first (then the latest node);
 * constants only if nothing else is there.
 */
export function nodesAt(graph: GraphModel, line: number, character: number): number[] {
  // Sites first (far fewer than nodes), then the nodes made at the sites that contain the position.
  const containing = new Uint8Array(graph.ranges.length);
  graph.ranges.forEach((range, site) => {
    if (rangeContains(range, line, character)) containing[site] = 1;
  });
  const found: number[] = [];
  for (let id = 0; id < graph.nodeCount; id++) if (graph.site[id] >= 0 && containing[graph.site[id]] === 1) found.push(id);
  const values = found.filter((id) => !isConstant(graph, id));
  const size = (id: number) => rangeSize(graph.ranges[graph.site[id]]);
  return (values.length > 0 ? values : found).sort((a, b) => size(a) - size(b) || b - a);
}

/**
 * The nodes the panel highlights for a cursor: the innermost expression under it, with everything made
 * from exactly the same source (a named value and its op). A cursor beside the code of a line (its
 * indentation, `const`, the `;` at its end) stands for the line's outermost expression, so that moving
 * down the lines with the arrow keys follows the values they compute.
 */
export function nodesToHighlight(graph: GraphModel, line: number, character: number): number[] {
  const under = nodesAt(graph, line, character);
  if (under.length > 0) {
    const innermost = graph.ranges[graph.site[under[0]]];
    return under.filter((id) => sameRange(graph.ranges[graph.site[id]], innermost));
  }
  let outermost: SourceRange | undefined;
  for (const range of graph.ranges) {
    if (range.startLine !== line) continue;
    if (!outermost || rangeSize(range) > rangeSize(outermost)) outermost = range;
  }
  if (!outermost) return [];
  const found: number[] = [];
  for (let id = 0; id < graph.nodeCount; id++) if (graph.site[id] >= 0 && sameRange(graph.ranges[graph.site[id]], outermost)) found.push(id);
  const values = found.filter((id) => !isConstant(graph, id));
  return (values.length > 0 ? values : found).sort((a, b) => b - a);
}

const sameRange = (a: SourceRange, b: SourceRange) =>
  a.startLine === b.startLine && a.startCharacter === b.startCharacter && a.endLine === b.endLine && a.endCharacter === b.endCharacter;

/**
 * The node a variable name at a position stands for: among nodes labelled `name`, the last one made at or
 * before the position in the source (the value the variable holds there), else the first one.
 */
export function nodeForName(graph: GraphModel, name: string, line: number, character: number): GraphNode | undefined {
  const label = graph.labels.indexOf(name);
  if (label < 0) return undefined;
  let first = -1;
  let best = -1;
  for (let id = 0; id < graph.nodeCount; id++) {
    if (graph.label[id] !== label) continue;
    if (first < 0) first = id;
    const range = graph.site[id] >= 0 ? graph.ranges[graph.site[id]] : undefined;
    if (range && before(range.startLine, range.startCharacter, line, character)) best = id;
  }
  const found = best >= 0 ? best : first;
  return found >= 0 ? nodeAt(graph, found) : undefined;
}

/** `a = 2.0000 · ∂L/∂a = 6.0000`; `name` defaults to the node's label, or its source text. */
export function describeNode(graph: GraphModel, node: GraphNode, digits: number, name = node.label ?? `#${node.id}`): string {
  return `${name} = ${formatNumber(node.data, digits)} · ∂${graph.outputLabel}/∂${name} = ${formatNumber(node.grad, digits)}`;
}

/** How many nodes carry a label: a reassigned variable's hover says which of its values it shows. */
export function labelCount(graph: GraphModel, name: string): number {
  const label = graph.labels.indexOf(name);
  let count = 0;
  if (label >= 0) for (let id = 0; id < graph.nodeCount; id++) if (graph.label[id] === label) count++;
  return count;
}

/** Whether any node's source contains the position. */
export function anyNodeAt(graph: GraphModel, line: number, character: number): boolean {
  return graph.ranges.some((range) => rangeContains(range, line, character));
}

/** One value a search found: its node, the name it was found by, and its source range. */
export interface FoundNode {
  readonly node: number;
  readonly name: string;
  readonly range?: SourceRange;
}

/**
 * Values whose variable name or source text contains `query` (case-insensitively), at most `limit`: for
 * each name or source that matches, the last value made with it (what the name holds at the end), named
 * values first. One pass over the nodes, whatever the graph's size.
 */
export function findValues(graph: GraphModel, query: string, sourceText: (range: SourceRange) => string | undefined, limit = 50): FoundNode[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const labelMatches = graph.labels.map((label) => label.toLowerCase().includes(needle));
  const siteMatches = graph.ranges.map((range) => (sourceText(range)?.replace(/\s+/g, ' ').toLowerCase().includes(needle) ?? false));
  // The last node of each matching label and of each matching site (constants are not values to find).
  const lastOfLabel = new Int32Array(graph.labels.length).fill(-1);
  const lastOfSite = new Int32Array(graph.ranges.length).fill(-1);
  for (let id = 0; id < graph.nodeCount; id++) {
    if (isConstant(graph, id)) continue;
    const label = graph.label[id];
    if (label >= 0 && labelMatches[label]) lastOfLabel[label] = id;
    else if (graph.site[id] >= 0 && siteMatches[graph.site[id]]) lastOfSite[graph.site[id]] = id;
  }
  const found: FoundNode[] = [];
  const seen = new Set<number>();
  const add = (node: number, name: string) => {
    if (node < 0 || seen.has(node) || found.length >= limit) return;
    seen.add(node);
    const site = graph.site[node];
    found.push({ node, name, range: site >= 0 ? graph.ranges[site] : undefined });
  };
  lastOfLabel.forEach((node, label) => add(node, graph.labels[label]));
  lastOfSite.forEach((node, site) => add(node, (sourceText(graph.ranges[site]) ?? '').replace(/\s+/g, ' ').trim()));
  return found;
}
