/**
 * The graph model: the one contract between evaluation and every view (panel, hover, CLI).
 *
 * Version 2 is columnar: one typed array per field, indexed by node id, so that its cost grows like the
 * engine's (a few dozen bytes a node, no object per node) from one value to millions. Views read it
 * through `reader.ts`, which answers per node (and makes a `GraphNode` object for the few nodes a view
 * shows). Its JSON form (`codec.ts`) is documented for users of `gradient-graph --json` in
 * docs/graph-model.md; a change here is a change of `GRAPH_MODEL_VERSION` and of that document.
 */

export const GRAPH_MODEL_VERSION = 3;

import type { SourceRange } from '../engine/tape.ts';

/** A range in the evaluated document (the engine's, where every node's range starts). */
export type { SourceRange } from '../engine/tape.ts';

/** `leaf`: a value the user declared (`const a = 2`); `const`: a literal inside an expression; `op`: an operation's result. */
export type NodeKind = 'leaf' | 'const' | 'op';

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
  readonly nodeCount: number;
  /**
   * Each node's kind and operation: 0 a leaf, 1 a constant, from 2 on an operation, its index in the
   * engine's op table (`OP_BY_CODE[code - 2]`). Nodes are in creation order, so inputs come before.
   */
  readonly code: Uint8Array;
  readonly data: Float64Array;
  /** ∂output/∂node. 0 for constants and for nodes the output does not depend on. */
  readonly grad: Float64Array;
  /** The inputs of node k are `inputs[inputStart[k] … inputStart[k + 1] - 1]`, in order (`x * x` lists `x` twice). */
  readonly inputStart: Int32Array;
  readonly inputs: Int32Array;
  /** Index in `labels` of the variable that holds the node (`a`, `w[0]`, `loss`), -1 if none. */
  readonly label: Int32Array;
  /** Index in `ranges` of the source that made the node, -1 if none. */
  readonly site: Int32Array;
  /** The innermost group (call or loop iteration) that made the node, -1 if none. */
  readonly group: Int32Array;
  readonly labels: readonly string[];
  readonly ranges: readonly SourceRange[];
  readonly groups: readonly GraphGroup[];
  /** Id of the node that was differentiated. */
  readonly output: number;
  /** The output's name for display (`L`), from its variable or its expression. */
  readonly outputLabel: string;
  /** Ids of the leaves, in declaration order. */
  readonly leaves: readonly number[];
  /** What was evaluated: the document's name and the range of the selection. */
  readonly source: { readonly fileName: string; readonly range: SourceRange };
  readonly counts: { readonly nodes: number; readonly leaves: number; readonly constants: number; readonly operations: number; readonly groups: number };
  /** Milliseconds: rewriting the TypeScript, running it (forward), backward, and all of it end to end. */
  readonly timings: { readonly rewriteMs: number; readonly forwardMs: number; readonly backwardMs: number; readonly totalMs: number };
  /** What the snippet printed with `console.log`, in order (see the log limits). */
  readonly logs: readonly string[];
  /** The snippet's training steps, when it called `backward()` itself; absent when it did not. */
  readonly steps?: TrainingSteps;
}

/**
 * The snippet's training steps: each `x.backward()` it called, in order. Step k started from node
 * `output[k]`, whose value then was `loss[k]` (the loss curve). Its entries, `entryStart[k]` …
 * `entryStart[k + 1] - 1`, are nodes that pass reached, ascending, with the pass's own gradient
 * (∂loss_k/∂node: never a sum over passes), the `.grad` the snippet saw just after it (accumulated, as
 * PyTorch and micrograd accumulate), and the node's value then (a parameter's `.data` changes from step to
 * step; every other value is fixed when it is made). `full[k]` is 1 when the entries are every node the
 * pass reached, 0 when, to bound memory, an older step kept its leaves only.
 */
export interface TrainingSteps {
  readonly count: number;
  readonly output: Int32Array;
  readonly loss: Float64Array;
  readonly entryStart: Int32Array;
  readonly full: Uint8Array;
  readonly node: Int32Array;
  readonly grad: Float64Array;
  readonly accumulated: Float64Array;
  readonly data: Float64Array;
}

/** One node as a plain object: what `reader.nodeAt` makes for the nodes a view shows. */
export interface GraphNode {
  readonly id: number;
  readonly kind: NodeKind;
  /** The operation as drawn (`+`, `*`, `tanh`, `max`); absent for leaves and constants. */
  readonly op?: string;
  /** The variable that holds this value, if any. */
  readonly label?: string;
  readonly data: number;
  readonly grad: number;
  readonly inputs: readonly number[];
  /**
   * The local derivatives ∂node/∂input, one per input (absent for leaves and constants). An input's share
   * of its gradient through this node is `grad × local[k]`.
   */
  readonly local?: readonly number[];
  /** The operation is deliberately not differentiated (`Math.floor`, `Number(x)`, …): drawn as a cut. */
  readonly cut?: true;
  readonly range?: SourceRange;
  readonly group?: number;
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
