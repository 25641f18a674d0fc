/**
 * The graph model: the one contract between evaluation and every view (panel, hover, CLI).
 *
 * Plain JSON, versioned. Documented for users of `gradient-graph --json` in docs/graph-model.md; a
 * change here is a change of `GRAPH_MODEL_VERSION` and of that document.
 */

import { decodeGraph, encodeGraph, type EncodedGraph } from './codec.ts';

export const GRAPH_MODEL_VERSION = 1;

/** A range in the evaluated document: 0-based lines and characters, end exclusive (VS Code's `Range`). */
export interface SourceRange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

/** `leaf`: a value the user declared (`const a = 2`); `const`: a literal inside an expression; `op`: an operation's result. */
export type NodeKind = 'leaf' | 'const' | 'op';

export interface GraphNode {
  /** Index in `GraphModel.nodes`: nodes are in creation order, so inputs always have smaller ids. */
  readonly id: number;
  readonly kind: NodeKind;
  /** The operation as drawn (`+`, `*`, `tanh`, `max`); absent for leaves and constants. */
  readonly op?: string;
  /** The variable that holds this value (`a`, `w[0]`, `loss`), if any. */
  readonly label?: string;
  readonly data: number;
  /** ∂output/∂node. 0 for constants and for nodes the output does not depend on. */
  readonly grad: number;
  /** Ids of the operation's inputs, in order; `x * x` lists `x` twice. */
  readonly inputs: readonly number[];
  /**
   * The local derivatives ∂node/∂input, one per input (absent for leaves and constants). An input's share
   * of its gradient through this node is `grad × local[k]`.
   */
  readonly local?: readonly number[];
  /**
   * The operation is deliberately not differentiated (`Math.floor`, `Number(x)`, `Math.fround`, …): its
   * local derivatives are 0 by definition, and views draw it as a cut in the graph.
   */
  readonly cut?: true;
  /** The source of the expression that made the node. */
  readonly range?: SourceRange;
  /** Id of the innermost group (function call or loop iteration) that made the node. */
  readonly group?: number;
}

/** A function call or a loop iteration, so that views can collapse it into one box. */
export interface GraphGroup {
  readonly id: number;
  readonly kind: 'call' | 'iteration';
  /** `neuron(…)` for a call, `for #3` for the fourth iteration of a loop (counting from 0). */
  readonly label: string;
  /** The enclosing group, if any. */
  readonly parent?: number;
  /** The function's or the loop's source. */
  readonly range?: SourceRange;
}

export interface GraphModel {
  readonly version: typeof GRAPH_MODEL_VERSION;
  readonly nodes: readonly GraphNode[];
  /** Id of the node that was differentiated. */
  readonly output: number;
  /** The output's name for display (`L`), from its variable or its expression. */
  readonly outputLabel: string;
  /** Ids of the leaves, in declaration order. */
  readonly leaves: readonly number[];
  readonly groups: readonly GraphGroup[];
  /** What was evaluated: the document's name and the range of the selection. */
  readonly source: { readonly fileName: string; readonly range: SourceRange };
  readonly counts: { readonly nodes: number; readonly leaves: number; readonly constants: number; readonly operations: number; readonly groups: number };
  /** Milliseconds: rewriting the TypeScript, running it (forward), backward, and all of it end to end. */
  readonly timings: { readonly rewriteMs: number; readonly forwardMs: number; readonly backwardMs: number; readonly totalMs: number };
  /** What the snippet printed with `console.log`, in order (at most 1,000 lines). */
  readonly logs: readonly string[];
}

/** A located error, 1-based as editors print positions. */
export interface SnippetErrorInfo {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  /** The same place 0-based, with its end, for a diagnostic squiggle. */
  readonly range?: SourceRange;
  /** The setting (and CLI option) that raises the limit this error hit, if any. */
  readonly setting?: string;
}

/** The graph as one line of JSON, non-finite numbers as strings (see `codec.ts`). */
export function serializeGraph(graph: GraphModel): string {
  return JSON.stringify(encodeGraph(graph));
}

/** A graph from `serializeGraph`'s JSON, its numbers restored; a graph of another version is refused. */
export function parseGraph(text: string): GraphModel {
  const graph = JSON.parse(text) as EncodedGraph;
  const version: unknown = graph.version;
  if (version !== GRAPH_MODEL_VERSION) throw new Error(`graph model version ${String(version)} is not ${GRAPH_MODEL_VERSION}`);
  return decodeGraph(graph);
}
