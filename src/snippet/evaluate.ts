/**
 * `evaluateSnippet`: TypeScript source to a graph model. Rewrites on the calling thread, runs in a worker
 * with time, node and heap limits, and turns every failure into a located error.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CONST, FIRST_OP_CODE, LEAF, OP_BY_CODE } from '../engine/ops.ts';
import { GRAPH_MODEL_VERSION, type GraphGroup, type GraphModel, type GraphNode, type SnippetErrorInfo, type SourceRange } from '../graph/model.ts';
import type { RuntimeColumns, RuntimeFailure, RuntimeMeta, WorkerResponse } from './protocol.ts';
import { rewriteSnippet, SnippetError, type RewriteResult } from './rewrite.ts';
import { decodeMappings, originalPosition } from './sourceMap.ts';

export interface SnippetSource {
  /** The whole document. */
  readonly text: string;
  /** Shown in errors and in the model; its extension picks TypeScript or JavaScript. */
  readonly fileName: string;
  /** Offsets of the selection; the whole document when absent. */
  readonly start?: number;
  readonly end?: number;
}

export interface EvaluateOptions {
  /** Wall-clock limit in milliseconds (default 2,000). */
  readonly timeLimitMs?: number;
  /** Most nodes the snippet may record (default 2,000,000). */
  readonly maxNodes?: number;
  /** The worker's heap limit in megabytes (default 1,024). */
  readonly memoryLimitMb?: number;
  /** Aborting terminates the evaluation at once; the result is a "cancelled" error. */
  readonly signal?: AbortSignal;
}

export const DEFAULT_LIMITS = { timeLimitMs: 2000, maxNodes: 2_000_000, memoryLimitMb: 1024 } as const;

/** The settings (and CLI options) that raise each limit, named in the errors. */
export const LIMIT_SETTINGS = {
  time: 'gradientGraph.timeLimit (CLI: --timeout)',
  nodes: 'gradientGraph.maxNodes (CLI: --max-nodes)',
  memory: 'gradientGraph.memoryLimit (CLI: --max-memory)',
} as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type EvaluationResult =
  | { readonly ok: true; readonly graph: GraphModel }
  | { readonly ok: false; readonly error: SnippetErrorInfo; readonly logs?: readonly string[] };

/** The bundled worker: beside this file once built, or in dist/ when running from source (tests). */
function workerFile(): string {
  const candidates = [path.join(__dirname, 'snippetWorker.js'), path.join(__dirname, '..', '..', 'dist', 'snippetWorker.js')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`the snippet worker is not built (looked for ${candidates.join(', ')}): run npm run build`);
  return found;
}

/** Lines and characters of offsets in one document. */
class LineMap {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) === 10) this.starts.push(index + 1);
  }

  position(offset: number): { line: number; character: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - this.starts[low] };
  }

  range(start: number, end: number): SourceRange {
    const from = this.position(start);
    const to = this.position(end);
    return { startLine: from.line, startCharacter: from.character, endLine: to.line, endCharacter: to.character };
  }

  offset(line: number, character: number): number {
    return (this.starts[line] ?? this.starts[this.starts.length - 1]) + character;
  }
}

function located(lines: LineMap, message: string, start: number, end = start, setting?: string): SnippetErrorInfo {
  const range = lines.range(start, end);
  return { message, line: range.startLine + 1, column: range.startCharacter + 1, range, ...(setting ? { setting } : {}) };
}

/** Evaluates a snippet: its graph with values and gradients, or a located error. Never throws for bad input. */
export async function evaluateSnippet(source: SnippetSource, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const started = performance.now();
  const lines = new LineMap(source.text);
  const start = source.start ?? 0;
  const end = source.end ?? source.text.length;
  const limits = { ...DEFAULT_LIMITS, ...definedOnly(options) };
  // The worker starts up on its own thread while this one rewrites: the two overlap.
  const worker = startWorker(limits);
  let rewritten: RewriteResult;
  try {
    rewritten = rewriteSnippet({ text: source.text, fileName: source.fileName, start, end });
  } catch (error) {
    void worker.terminate();
    if (error instanceof SnippetError) return { ok: false, error: located(lines, error.message, error.start, error.end, error.setting) };
    throw error;
  }
  const rewriteMs = performance.now() - started;
  const response = await runWorker(worker, rewritten, limits, options.signal);
  if ('limit' in response) {
    const message = response.limit === 'time'
      ? `the snippet ran longer than ${limits.timeLimitMs} ms: raise ${LIMIT_SETTINGS.time}, or make it do less`
      : response.limit === 'memory'
        ? `the snippet used more than ${limits.memoryLimitMb} MB of memory: raise ${LIMIT_SETTINGS.memory}, or make it do less`
        : response.limit === 'cancelled' ? 'the evaluation was cancelled' : `the evaluation failed: ${response.message}`;
    const setting = response.limit === 'time' ? LIMIT_SETTINGS.time : response.limit === 'memory' ? LIMIT_SETTINGS.memory : undefined;
    return { ok: false, error: located(lines, message, start, end, setting) };
  }
  if (!response.ok) return { ok: false, error: locateFailure(lines, rewritten, response.failure, start, limits.maxNodes), logs: response.logs };
  const graph = buildGraph(lines, rewritten, response.columns, response.meta, {
    fileName: source.fileName, range: lines.range(start, end), rewriteMs, totalMs: 0,
  });
  return { ok: true, graph: { ...graph, timings: { ...graph.timings, totalMs: performance.now() - started } } };
}

function definedOnly(options: EvaluateOptions): Partial<typeof DEFAULT_LIMITS> {
  const result: Record<string, number> = {};
  for (const key of ['timeLimitMs', 'maxNodes', 'memoryLimitMb'] as const) if (options[key] !== undefined) result[key] = options[key];
  return result;
}

type WorkerOutcome = WorkerResponse | { readonly limit: 'time' | 'memory' | 'cancelled' | 'crash'; readonly message?: string };

/**
 * A worker for the next evaluation, started as soon as the previous one took its own: starting a worker
 * costs tens of milliseconds, which a user would otherwise wait for at every command. It is unreferenced, so
 * an idle spare never keeps a process (the CLI) alive. Each worker evaluates one snippet only.
 */
let spare: { readonly worker: Worker; readonly memoryLimitMb: number } | undefined;

/** Ends the spare worker (the extension's `deactivate`). */
export function stopSpareWorker(): void {
  void spare?.worker.terminate();
  spare = undefined;
}

function spawnWorker(memoryLimitMb: number): Worker {
  return new Worker(workerFile(), {
    // Only the old generation is limited: a young generation as large as the old one makes V8 abort the whole
    // process instead of ending the worker (seen with 64 and 64).
    resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb, stackSizeMb: 8 },
    stdout: true, stderr: true, env: {}, argv: [], execArgv: [],
  });
}

function startWorker(limits: typeof DEFAULT_LIMITS): Worker {
  let worker: Worker;
  if (spare && spare.memoryLimitMb === limits.memoryLimitMb) {
    worker = spare.worker;
  } else {
    void spare?.worker.terminate();
    worker = spawnWorker(limits.memoryLimitMb);
  }
  worker.ref();
  const next = spawnWorker(limits.memoryLimitMb);
  next.unref();
  // A spare that fails to start is simply not used.
  next.once('error', () => { if (spare?.worker === next) spare = undefined; });
  spare = { worker: next, memoryLimitMb: limits.memoryLimitMb };
  return worker;
}

function runWorker(worker: Worker, rewritten: RewriteResult, limits: typeof DEFAULT_LIMITS, signal: AbortSignal | undefined): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      void worker.terminate();
      return resolve({ limit: 'cancelled' });
    }
    let settled = false;
    const finish = (outcome: WorkerOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      void worker.terminate();
      resolve(outcome);
    };
    const abort = () => finish({ limit: 'cancelled' });
    const timer = setTimeout(() => finish({ limit: 'time' }), limits.timeLimitMs);
    signal?.addEventListener('abort', abort);
    worker.once('message', (response: WorkerResponse) => finish(response));
    worker.once('error', (error: Error & { code?: string }) =>
      finish(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { limit: 'memory' } : { limit: 'crash', message: error.message }));
    worker.once('exit', (code) => finish({ limit: 'crash', message: `the worker stopped (exit code ${code})` }));
    worker.postMessage({ script: rewritten.script, config: { maxNodes: limits.maxNodes, sites: rewritten.sites, groupSites: rewritten.groupSites, randomSeed: 1337 } });
  });
}

/** Places a runtime failure: by the generated position through the source maps, else by the runtime's last site. */
function locateFailure(lines: LineMap, rewritten: RewriteResult, failure: RuntimeFailure, start: number, maxNodes: number): SnippetErrorInfo {
  if (failure.kind === 'limit') {
    const where = rewritten.sites[failure.site] ?? [start, start];
    return located(lines, `the snippet made more than ${maxNodes} nodes: raise ${LIMIT_SETTINGS.nodes}, or make it do less`, where[0], where[1], LIMIT_SETTINGS.nodes);
  }
  if (failure.kind === 'output') {
    const where = rewritten.sites[failure.site] ?? [start, start];
    return located(lines, failure.message, where[0], where[1]);
  }
  const message = failure.name === 'EvalError'
    ? 'eval and new Function are not available in a snippet: write the code itself'
    : `${failure.name}: ${failure.message}`;
  // The innermost frame that maps to the user's code: code the rewriter added (a `finally` that ends a
  // call's group) has no mapping, and a stack overflow passes through it.
  for (const [line, column] of failure.frames ?? []) {
    const chunk = rewritten.chunks.find((item) => line >= item.firstLine && line < item.firstLine + item.lineCount);
    if (!chunk) continue;
    const position = originalPosition(decodeMappings(chunk.mappings), line - chunk.firstLine, column - 1);
    if (position) return located(lines, message, chunk.offset + new LineMap(chunk.text).offset(position.line, position.column));
  }
  const where = rewritten.sites[failure.site] ?? [start, start];
  return located(lines, message, where[0], where[1]);
}

function buildGraph(lines: LineMap, rewritten: RewriteResult, columns: RuntimeColumns, meta: RuntimeMeta,
  source: { fileName: string; range: SourceRange; rewriteMs: number; totalMs: number }): GraphModel {
  const labels = new Map(meta.labels);
  const ranges = rewritten.sites.map((site) => lines.range(site[0], site[1]));
  const nodes: GraphNode[] = new Array<GraphNode>(columns.length);
  const leaves: number[] = [];
  let constants = 0;
  // Hot for large graphs (hundreds of thousands of nodes): one object per node, its fields assigned
  // directly, and no intermediate arrays.
  const { code: codes, data, grad, first, second, naryInputs } = columns;
  const local = new Float64Array(2);
  for (let id = 0; id < columns.length; id++) {
    const code = codes[id];
    const node: Mutable<GraphNode> = { id, kind: code === LEAF ? 'leaf' : code === CONST ? 'const' : 'op', data: data[id], grad: grad[id], inputs: [] };
    if (code >= FIRST_OP_CODE) {
      // The local derivatives are the op's backward rule with an upstream gradient of 1.
      const spec = OP_BY_CODE[code - FIRST_OP_CODE];
      node.op = spec.name;
      if (spec.arity === 1) {
        spec.backward(1, data[first[id]], data[id], local);
        node.inputs = [first[id]];
        node.local = [local[0]];
      } else if (spec.arity === 2) {
        spec.backward(1, data[first[id]], data[second[id]], data[id], local);
        node.inputs = [first[id], second[id]];
        node.local = [local[0], local[1]];
      } else {
        node.inputs = Array.from(naryInputs.subarray(first[id], first[id] + second[id]));
        const into = new Float64Array(node.inputs.length);
        spec.backward(1, node.inputs.map((input) => data[input]), data[id], into);
        node.local = Array.from(into);
      }
    } else if (code === LEAF) {
      leaves.push(id);
    } else {
      constants++;
    }
    const label = labels.get(id);
    if (label !== undefined) node.label = label;
    if (columns.site[id] >= 0) node.range = ranges[columns.site[id]];
    if (columns.group[id] >= 0) node.group = columns.group[id];
    nodes[id] = node;
  }
  const groups: GraphGroup[] = meta.groups.map((group, id) => {
    const groupSite = rewritten.groupSites[group.groupSite];
    return {
      id, kind: group.kind,
      label: group.kind === 'call' ? `${groupSite.name}(…)` : `${groupSite.name} #${group.index}`,
      ...(group.parent >= 0 ? { parent: group.parent } : {}),
      range: ranges[groupSite.site],
    };
  });
  return {
    version: GRAPH_MODEL_VERSION,
    nodes, output: meta.output, outputLabel: meta.outputLabel, leaves, groups,
    source: { fileName: source.fileName, range: source.range },
    counts: { nodes: nodes.length, leaves: leaves.length, constants, operations: nodes.length - leaves.length - constants, groups: groups.length },
    timings: { rewriteMs: source.rewriteMs, forwardMs: meta.forwardMs, backwardMs: meta.backwardMs, totalMs: source.totalMs },
    logs: meta.logs,
  };
}
