/**
 * What the evaluator's main side, the worker and the sandbox runtime exchange. The runtime runs inside a
 * vm context that must receive no host object, so everything that enters it is a string.
 */

/**
 * A source site the rewriter numbered: a range of document offsets, and for a binary operation the
 * sites of its operands (so that a literal operand's constant node gets the literal's own range).
 * Encoded as `[start, end]` or `[start, end, leftSite, rightSite]` to keep the table small.
 */
export type Site = readonly [start: number, end: number, left?: number, right?: number];

/** A function or a loop the rewriter found, for grouping: its name and its site. */
export interface GroupSite {
  readonly kind: 'call' | 'loop';
  readonly name: string;
  readonly site: number;
}

/** What the runtime needs, sent into the sandbox as a JSON string. */
export interface RuntimeConfig {
  readonly maxNodes: number;
  readonly sites: readonly Site[];
  readonly groupSites: readonly GroupSite[];
  /** Seed of `Math.random` in the sandbox, so that a snippet gives the same graph every time. */
  readonly randomSeed: number;
}

/** The runtime's result, apart from the tape's columns: a JSON string leaves the sandbox. */
export interface RuntimeMeta {
  readonly output: number;
  readonly outputLabel: string;
  readonly outputSite: number;
  readonly labels: ReadonlyArray<readonly [node: number, label: string]>;
  readonly groups: ReadonlyArray<{ readonly kind: 'call' | 'iteration'; readonly groupSite: number; readonly index: number; readonly parent: number }>;
  readonly logs: readonly string[];
  readonly forwardMs: number;
  readonly backwardMs: number;
}

/** The tape's columns, copied out of the sandbox and transferred to the main thread. */
export interface RuntimeColumns {
  readonly length: number;
  readonly data: Float64Array;
  readonly grad: Float64Array;
  readonly code: Uint8Array;
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly naryInputs: Int32Array;
  /** Site of each node (-1: none). */
  readonly site: Int32Array;
  /** Group of each node (-1: none). */
  readonly group: Int32Array;
}

/** A failure inside the sandbox, located by the worker with the generated code's position. */
export interface RuntimeFailure {
  /** `error`: the snippet threw; `output`: the output is not a number; `limit`: the node limit. */
  readonly kind: 'error' | 'output' | 'limit';
  readonly name: string;
  readonly message: string;
  /** 1-based lines and columns in the generated script, innermost first, from the error's stack. */
  readonly frames?: ReadonlyArray<readonly [line: number, column: number]>;
  /** The site the runtime was at (the output's site for `output` errors), -1 if none. */
  readonly site: number;
}

export interface WorkerRequest {
  readonly script: string;
  readonly config: RuntimeConfig;
}

export type WorkerResponse =
  | { readonly ok: true; readonly columns: RuntimeColumns; readonly meta: RuntimeMeta }
  | { readonly ok: false; readonly failure: RuntimeFailure; readonly logs: readonly string[] };

/** Name of the runtime's object in the sandbox; the rewriter emits calls on it, user code may not use it. */
export const RUNTIME_GLOBAL = '__gg';
/** File name of the generated script, as it appears in the stacks of errors thrown by the snippet. */
export const SCRIPT_FILE_NAME = 'gradient-graph-snippet.js';
