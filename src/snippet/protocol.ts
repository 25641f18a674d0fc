/**
 * What the three parties of an evaluation exchange: the host (the extension or the CLI), the sandbox
 * process it starts (`sandboxProcess.ts`), and the runtime inside that process's vm context
 * (`sandboxRuntime.ts`). Between the process and the runtime only strings, numbers and the runtime's typed
 * arrays cross; between the host and the process, frames on a pipe (`frames.ts`). The host trusts nothing
 * it receives: `resultCheck.ts` checks every field and size.
 */
import type { CacheUse } from './typescriptLoader.ts';

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

/** Where a piece of the generated script came from, so that positions in it map back to the document. */
export interface ChunkMap {
  /** First line of the piece in the generated script, 1-based, and its number of lines. */
  readonly firstLine: number;
  readonly lineCount: number;
  /** The source map's `mappings` (generated piece to the piece's own text). */
  readonly mappings: string;
  /** Where the piece's text starts in the document: 0-based line and character. */
  readonly line: number;
  readonly character: number;
}

/** What the runtime needs, sent into the vm context as a JSON string once the snippet is rewritten. */
export interface RuntimeConfig {
  readonly maxNodes: number;
  readonly sites: readonly Site[];
  readonly groupSites: readonly GroupSite[];
  /** The names the rewriter found, which the rewritten code refers to by index. */
  readonly labels: readonly string[];
  readonly chunks: readonly ChunkMap[];
  /** The document's name as stacks show it (its base name). */
  readonly fileName: string;
  /** Seed of `Math.random` in the sandbox, so that a snippet gives the same graph every time. */
  readonly randomSeed: number;
  /** A leaf's value moved (the gradient check's runs, `gradientCheck.ts`). */
  readonly leafShift?: LeafShift;
}

/**
 * Moves the value of the leaf made `ordinal`-th (0-based, in the order the runtime makes leaves: the
 * order of `graph.leaves` and of `--grads`) by `by`, as it is made.
 */
export interface LeafShift {
  readonly ordinal: number;
  readonly by: number;
}

/** Most lines and characters of `console` output kept; what is beyond is counted in a last line. */
export const LOG_LIMITS = { lines: 1000, characters: 1_000_000, lineCharacters: 10_000 } as const;

/** The host's request to a sandbox process: the document, the selection and the limits the process applies itself. */
export interface SandboxRequest {
  readonly text: string;
  readonly fileName: string;
  /** The selection; an empty one means the top-level statement at `start`. */
  readonly start: number;
  readonly end: number;
  readonly maxNodes: number;
  readonly timeLimitMs: number;
  readonly randomSeed: number;
  /**
   * After this evaluation, make a fresh context and take another request (the files of one CLI call),
   * instead of being ended. The editor never asks it: each of its evaluations has a process of its own.
   */
  readonly reuse?: boolean;
  /**
   * `'leaves'`: the result holds only the leaves' values and gradients and the output's value (a
   * `LeavesHeader` frame): what the CLI's table and `--grads` print, without sending and checking a graph
   * of millions of nodes. `'value'`: only the output's value and the run's fingerprint (a `ValueResult`
   * frame), for the gradient check. Default `'graph'`.
   */
  readonly detail?: 'graph' | 'leaves' | 'value';
  readonly leafShift?: LeafShift;
}

/**
 * The payload of a value-only result (`detail: 'value'`), JSON. `value` is the output's, NaN and the
 * infinities as strings (`codec.ts`). The fingerprint tells whether two runs took the same path through
 * the code: `flow` hashes the op codes of every node in order (a branch taken differently records other
 * operations), `pieces` which piece each piecewise operation (|x|, relu, max, min, floor…) was on,
 * `detached` the values that left the graph (`fingerprint.ts`).
 */
export interface ValueResult {
  readonly value: number | string;
  readonly nodeCount: number;
  readonly flow: number;
  readonly pieces: number;
  readonly detached: number;
}

/** The kinds of frame a sandbox process writes. */
export const FRAME = {
  /** TypeScript is loaded and the vm context made: payload `ReadyInfo`. */
  ready: 1,
  /** The rewrite is done and the snippet starts: payload `{ rewriteMs }`. */
  rewritten: 2,
  /** The graph: a `ResultHeader` and the columns (`frames.ts` has the layout). */
  result: 3,
  /** A located failure: payload `SandboxFailure`. */
  failure: 4,
  /** Before `ready`, V8's code cache for TypeScript made by this process, for the host to keep (`typescriptLoader.ts`). */
  typescriptCache: 5,
  /** Host to process: payload `SandboxRequest`. */
  request: 9,
} as const;

/** The largest request the process reads: a document of a few hundred megabytes. */
export const MAX_REQUEST_BYTES = 512 * 1024 * 1024;

export interface ReadyInfo {
  /** Whether Node's permission model is in force in the process (writes and child processes denied). */
  readonly permission: boolean;
  /** Whether V8 accepted the code cache TypeScript was loaded with. */
  readonly typescriptCache?: CacheUse;
}

/** A failure the sandbox process located in the document (offsets). The host words the limit errors. */
export interface SandboxFailure {
  /**
   * `error`: a syntax error, an exception or a bad output; `time`: the time limit (its message is `loop`
   * when a loop was running, which the range is then); `nodes`: the node limit.
   */
  readonly kind: 'error' | 'time' | 'nodes';
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly logs: readonly string[];
}

/**
 * The JSON part of a leaves-only result frame (`detail: 'leaves'`). It is followed, each part starting on
 * a multiple of 8 bytes, by the leaves' data then the output's (float64, `leafCount + 1`), their gradients
 * then the output's (float64, `leafCount + 1`), the leaves' node ids (int32, ascending) and the index in
 * `labels` of each leaf's name (int32, -1: none), then each step's loss (float64, `stepCount`). `frames.ts` has the layout.
 */
export interface LeavesHeader extends Pick<ResultHeader, 'nodeCount' | 'groupCount' | 'stepCount' | 'output' | 'outputLabel' | 'labels' | 'evaluated' | 'logs' | 'timings'> {
  readonly leafCount: number;
  readonly constantCount: number;
}

/** The JSON part of a result frame; the columns follow it. */
export interface ResultHeader {
  readonly nodeCount: number;
  /** Length of the flat inputs list of n-ary nodes. */
  readonly naryLength: number;
  readonly groupCount: number;
  /** The snippet's own backward passes, and the nodes they reached that their entries keep. */
  readonly stepCount: number;
  readonly entryCount: number;
  readonly output: number;
  /** Index in `labels` of the output's name. */
  readonly outputLabel: number;
  /** The names the rewriter found; the `label` column indexes them. */
  readonly labels: readonly string[];
  /** The sites' document ranges, flat: start and end of site k at 2k and 2k + 1. */
  readonly sites: readonly number[];
  readonly groupSites: readonly GroupSite[];
  /** The offsets that were evaluated: the selection, or the statement under the cursor. */
  readonly evaluated: readonly [start: number, end: number];
  readonly logs: readonly string[];
  readonly timings: { readonly rewriteMs: number; readonly forwardMs: number; readonly backwardMs: number };
}

/**
 * The columns of a result, in the order they follow the header: per node (`nodeCount` each), the n-ary
 * inputs, per group, per training step (`stepCount`: each `backward()` the snippet called) and per step
 * entry (`entryCount`: a node a step reached, steps after one another, `sandboxSteps.ts`). 8-byte columns
 * come first, so that every column is aligned in the frame.
 */
export const COLUMNS = [
  ['data', 'float64', 'node'],
  ['grad', 'float64', 'node'],
  ['stepLoss', 'float64', 'step'],
  ['entryGrad', 'float64', 'entry'],
  ['entryAccumulated', 'float64', 'entry'],
  ['entryData', 'float64', 'entry'],
  ['first', 'int32', 'node'],
  ['second', 'int32', 'node'],
  ['site', 'int32', 'node'],
  ['group', 'int32', 'node'],
  ['label', 'int32', 'node'],
  ['naryInputs', 'int32', 'nary'],
  ['groupKind', 'int32', 'group'],
  ['groupSite', 'int32', 'group'],
  ['groupIndex', 'int32', 'group'],
  ['groupParent', 'int32', 'group'],
  ['stepOutput', 'int32', 'step'],
  ['stepEntryCount', 'int32', 'step'],
  ['entryNode', 'int32', 'entry'],
  ['code', 'uint8', 'node'],
  ['stepFull', 'uint8', 'step'],
] as const;

export type ColumnName = (typeof COLUMNS)[number][0];

/** The tape's columns as the host receives them (views into the received frame, no copy). */
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
  /** Index in `ResultHeader.labels` of each node's name (-1: none). */
  readonly label: Int32Array;
  /** Per group: 0 for a call, 1 for a loop iteration; its group site, iteration index and parent (-1: none). */
  readonly groupKind: Int32Array;
  readonly groupSite: Int32Array;
  readonly groupIndex: Int32Array;
  readonly groupParent: Int32Array;
  /** Per step: the node `backward()` ran from, its value then, how many entries it keeps, and 1 if they are every node it reached (0: its leaves only). */
  readonly stepOutput: Int32Array;
  readonly stepLoss: Float64Array;
  readonly stepEntryCount: Int32Array;
  readonly stepFull: Uint8Array;
  /** Per entry: the node, the step's own gradient of it, the `.grad` the snippet saw after the step, and its value then. */
  readonly entryNode: Int32Array;
  readonly entryGrad: Float64Array;
  readonly entryAccumulated: Float64Array;
  readonly entryData: Float64Array;
}

/** Name of the runtime's object in the sandbox; the rewriter emits calls on it, user code may not use it. */
export const RUNTIME_GLOBAL = '__gg';
/** File name of the generated script, as V8 records it in call sites. */
export const SCRIPT_FILE_NAME = 'gradient-graph-snippet.js';
/** File name the runtime is compiled with. */
export const RUNTIME_FILE_NAME = 'gradient-graph-runtime.js';

/**
 * The globals the runtime adds for micrograd's `nn` (sandboxNnGlobals.ts). The rewriter routes `new` of the
 * classes, and calls of `mseLoss` and of variables holding a module, through the runtime with their site.
 */
export const NN_CLASSES = ['Neuron', 'Layer', 'MLP'] as const;
export const NN_GLOBALS = [...NN_CLASSES, 'mseLoss', 'SGD', 'Adam'] as const;
