/**
 * `evaluateSnippet`: TypeScript source to a graph model. The rewrite and the run both happen in a sandbox
 * process (`sandboxPool.ts`) with time, node and memory limits; this side checks what comes back
 * (`resultCheck.ts`), builds the model and turns every failure into a located error. Nothing here blocks
 * on the snippet, and nothing of it can throw for bad input.
 */
import { CONST, FIRST_OP_CODE, LEAF, OP_BY_CODE } from '../engine/ops.ts';
import { GRAPH_MODEL_VERSION, type GraphGroup, type GraphModel, type SnippetErrorInfo, type SourceRange, type TrainingSteps } from '../graph/model.ts';
import { limitSetting, numberProblem, SETTINGS } from '../shared/settings.ts';
import { LineMap } from './lineMap.ts';
import type { LeafShift, ResultHeader, RuntimeColumns } from './protocol.ts';
import { checkFailure, checkLeaves, checkResult } from './resultCheck.ts';
import { REWRITE_TIME_LIMIT_MS, runSandboxed, type SandboxLimits } from './sandboxPool.ts';

export { prepareSandbox, sandboxWalls, stopSpareProcess, useTypeScriptCacheFolder } from './sandboxPool.ts';

export interface SnippetSource {
  /** The whole document. */
  readonly text: string;
  /** Shown in errors and in the model; its extension picks TypeScript or JavaScript. */
  readonly fileName: string;
  /**
   * Offsets of the selection; the whole document when absent. An empty selection (`start === end`) means
   * the top-level statement at that offset, as when the cursor is in it.
   */
  readonly start?: number;
  readonly end?: number;
}

export interface EvaluateOptions {
  /** Wall-clock limit in milliseconds for running the snippet, forward and backward (default 2,000). */
  readonly timeLimitMs?: number;
  /** Most nodes the snippet may record (default 2,000,000). */
  readonly maxNodes?: number;
  /** Memory in megabytes the evaluation may add to its process, typed arrays included (default 1,024). */
  readonly memoryLimitMb?: number;
  /** Aborting ends the evaluation at once; the result is a "cancelled" error. */
  readonly signal?: AbortSignal;
  /** The rewrite's own time limit in milliseconds (default 10,000): a file so large that rewriting takes longer is refused. */
  readonly rewriteTimeLimitMs?: number;
  /**
   * Let the sandbox process serve the next evaluation too, in a fresh vm context (the files of one CLI
   * call: starting a process and TypeScript costs 150 ms). The second wall then holds for the call as a
   * whole rather than for each file. The editor leaves it off.
   */
  readonly reuseProcess?: boolean;
}

const DEFAULT_LIMITS: SandboxLimits = {
  timeLimitMs: SETTINGS.timeLimit.default, maxNodes: SETTINGS.maxNodes.default, memoryLimitMb: SETTINGS.memoryLimit.default,
};

export type EvaluationResult =
  | { readonly ok: true; readonly graph: GraphModel }
  | { readonly ok: false; readonly error: SnippetErrorInfo; readonly logs?: readonly string[] };

function located(lines: LineMap, message: string, start: number, end = start, setting?: string): SnippetErrorInfo {
  const range = lines.range(start, end);
  return { message, line: range.startLine + 1, column: range.startCharacter + 1, range, ...(setting ? { setting } : {}) };
}

/** Evaluates a snippet: its graph with values and gradients, or a located error. Never throws for bad input. */
export async function evaluateSnippet(source: SnippetSource, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const run = await runEvaluation(source, options, 'graph');
  if (!run.ok) return run;
  const { lines, limits, payload, started } = run;
  const checked = checkResult(payload, limits.maxNodes, source.text.length);
  if (!checked.ok) return { ok: false, error: located(lines, checked.problem, run.start) };
  const { header, columns } = checked.value;
  const graph = buildGraph(lines, header, columns, { fileName: source.fileName, range: lines.range(header.evaluated[0], header.evaluated[1]) });
  return { ok: true, graph: { ...graph, timings: { ...header.timings, totalMs: performance.now() - started } } };
}

/** A leaf of a snippet's graph, as `evaluateGradients` gives it. */
export interface LeafGradient {
  readonly id: number;
  /** The variable it was declared as, if any. */
  readonly label: string | undefined;
  readonly data: number;
  readonly grad: number;
}

/** What the CLI's table and `--grads` print: the output, the leaves with their gradients, and counts. */
export interface SnippetGradients {
  readonly output: { readonly id: number; readonly label: string; readonly data: number; readonly grad: number };
  /** In the order they were made. */
  readonly leaves: readonly LeafGradient[];
  readonly counts: { readonly nodes: number; readonly leaves: number; readonly constants: number; readonly operations: number; readonly groups: number };
  readonly logs: readonly string[];
  readonly timings: GraphModel['timings'];
  /** The value each of the snippet's own `backward()` calls started from, in order (the loss curve). */
  readonly steps: readonly number[];
}

export type GradientsResult =
  | { readonly ok: true; readonly gradients: SnippetGradients }
  | { readonly ok: false; readonly error: SnippetErrorInfo; readonly logs?: readonly string[] };

/**
 * Evaluates a snippet for its leaves' gradients only: the same evaluation as `evaluateSnippet`, but the
 * sandbox sends the leaves and the output instead of the graph, so that a snippet of millions of nodes
 * costs no more than its run.
 */
export async function evaluateGradients(source: SnippetSource, options: EvaluateOptions = {}): Promise<GradientsResult> {
  const run = await runEvaluation(source, options, 'leaves');
  if (!run.ok) return run;
  const { lines, limits, payload, started } = run;
  const checked = checkLeaves(payload, limits.maxNodes, source.text.length);
  if (!checked.ok) return { ok: false, error: located(lines, checked.problem, run.start) };
  const { header, columns } = checked.value;
  const leaves: LeafGradient[] = Array.from(columns.ids, (id, leaf) => ({
    id, label: columns.labels[leaf] >= 0 ? header.labels[columns.labels[leaf]] : undefined, data: columns.data[leaf], grad: columns.grad[leaf],
  }));
  const { nodeCount, leafCount, constantCount, groupCount } = header;
  return {
    ok: true,
    gradients: {
      output: { id: header.output, label: header.labels[header.outputLabel], data: columns.data[leafCount], grad: columns.grad[leafCount] },
      leaves,
      counts: { nodes: nodeCount, leaves: leafCount, constants: constantCount, operations: nodeCount - leafCount - constantCount, groups: groupCount },
      logs: header.logs,
      timings: { ...header.timings, totalMs: performance.now() - started },
      steps: Array.from(columns.losses),
    },
  };
}

export type Run =
  | { readonly ok: true; readonly payload: Uint8Array; readonly lines: LineMap; readonly limits: SandboxLimits; readonly start: number; readonly started: number }
  | { readonly ok: false; readonly error: SnippetErrorInfo; readonly logs?: readonly string[] };

/** Runs the snippet in the sandbox (a leaf moved by `leafShift`, if given): the result frame's payload, or the located error. */
export async function runEvaluation(source: SnippetSource, options: EvaluateOptions, detail: 'graph' | 'leaves' | 'value', leafShift?: LeafShift): Promise<Run> {
  const started = performance.now();
  const lines = new LineMap(source.text);
  const start = clampOffset(source.start ?? 0, source.text.length);
  const end = Math.max(start, clampOffset(source.end ?? source.text.length, source.text.length));
  const limits: SandboxLimits = {
    timeLimitMs: options.timeLimitMs ?? DEFAULT_LIMITS.timeLimitMs,
    maxNodes: options.maxNodes ?? DEFAULT_LIMITS.maxNodes,
    memoryLimitMb: options.memoryLimitMb ?? DEFAULT_LIMITS.memoryLimitMb,
    rewriteTimeLimitMs: options.rewriteTimeLimitMs ?? REWRITE_TIME_LIMIT_MS,
  };
  const problem = numberProblem('timeLimit', limits.timeLimitMs) ?? numberProblem('maxNodes', limits.maxNodes) ?? numberProblem('memoryLimit', limits.memoryLimitMb);
  if (problem) return { ok: false, error: located(lines, problem, start) };

  const outcome = await runSandboxed({
    text: source.text, fileName: source.fileName, start, end, maxNodes: limits.maxNodes, timeLimitMs: limits.timeLimitMs, randomSeed: 1337,
    ...(options.reuseProcess === true ? { reuse: true } : {}), ...(detail !== 'graph' ? { detail } : {}), ...(leafShift ? { leafShift } : {}),
  }, limits, options.signal);
  switch (outcome.kind) {
    case 'stopped': {
      const message = {
        time: timeMessage(limits.timeLimitMs, 'snippet'),
        rewriteTime: `rewriting the snippet took longer than ${limits.rewriteTimeLimitMs! / 1000} s: select less code`,
        rewriteMemory: `rewriting the snippet needed more than ${limits.memoryLimitMb} MB of memory: select less code, or raise ${limitSetting('memoryLimit')}`,
        memory: `the snippet used more than ${limits.memoryLimitMb} MB of memory: make it do less, or raise ${limitSetting('memoryLimit')}`,
        cancelled: 'the evaluation was cancelled',
        crash: `the evaluation failed: ${outcome.detail ?? 'the evaluation process stopped'}`,
      }[outcome.reason];
      const setting = outcome.reason === 'time' ? limitSetting('timeLimit') : outcome.reason === 'memory' || outcome.reason === 'rewriteMemory' ? limitSetting('memoryLimit') : undefined;
      return { ok: false, error: located(lines, message, start, end, setting) };
    }
    case 'failure': {
      const failure = checkFailure(outcome.payload, source.text.length, start);
      if (failure.kind === 'time') {
        const message = timeMessage(limits.timeLimitMs, failure.message === 'loop' ? 'loop' : 'snippet');
        return { ok: false, error: located(lines, message, failure.start, failure.end, limitSetting('timeLimit')), logs: failure.logs };
      }
      if (failure.kind === 'nodes') {
        return { ok: false, error: located(lines, `the snippet made more than ${limits.maxNodes} nodes: make it do less, or raise ${limitSetting('maxNodes')}`, failure.start, failure.end, limitSetting('maxNodes')), logs: failure.logs };
      }
      return { ok: false, error: located(lines, failure.message, failure.start, failure.end), logs: failure.logs };
    }
    case 'result':
      return { ok: true, payload: outcome.payload, lines, limits, start, started };
  }
}

/** The time limit's words: what did not finish, the first remedy, then the setting. */
function timeMessage(timeLimitMs: number, what: 'loop' | 'snippet'): string {
  return `${what === 'loop' ? 'this loop' : 'the snippet'} did not finish within ${timeLimitMs} ms: make it do less, or raise ${limitSetting('timeLimit')}`;
}

const clampOffset = (offset: number, length: number) => (Number.isInteger(offset) ? Math.min(Math.max(offset, 0), length) : 0);

/**
 * The graph model from the columns the sandbox sent: the per-node columns as they arrived (views into the
 * received frame, no copy), the inputs gathered into one flat list, and the side tables. One pass over the
 * nodes, no object per node.
 */
function buildGraph(lines: LineMap, header: ResultHeader, columns: RuntimeColumns, source: { fileName: string; range: SourceRange }): Omit<GraphModel, 'timings'> {
  const { code, first, second, naryInputs } = columns;
  const count = columns.length;
  const inputStart = new Int32Array(count + 1);
  let edges = 0;
  let leafCount = 0;
  let constants = 0;
  for (let id = 0; id < count; id++) {
    inputStart[id] = edges;
    const op = code[id];
    if (op >= FIRST_OP_CODE) {
      const arity = OP_BY_CODE[op - FIRST_OP_CODE].arity;
      edges += arity === 'n' ? second[id] : arity;
    } else if (op === LEAF) {
      leafCount++;
    } else if (op === CONST) {
      constants++;
    }
  }
  inputStart[count] = edges;
  const inputs = new Int32Array(edges);
  const leaves: number[] = new Array<number>(leafCount);
  let leaf = 0;
  for (let id = 0; id < count; id++) {
    const op = code[id];
    if (op === LEAF) leaves[leaf++] = id;
    if (op < FIRST_OP_CODE) continue;
    const at = inputStart[id];
    const arity = OP_BY_CODE[op - FIRST_OP_CODE].arity;
    if (arity === 'n') inputs.set(naryInputs.subarray(first[id], first[id] + second[id]), at);
    else {
      inputs[at] = first[id];
      if (arity === 2) inputs[at + 1] = second[id];
    }
  }
  const siteCount = header.sites.length / 2;
  const ranges: SourceRange[] = new Array<SourceRange>(siteCount);
  for (let site = 0; site < siteCount; site++) ranges[site] = lines.range(header.sites[2 * site], header.sites[2 * site + 1]);
  const groups: GraphGroup[] = Array.from({ length: columns.groupKind.length }, (_, id) => {
    const groupSite = header.groupSites[columns.groupSite[id]];
    const kind = columns.groupKind[id] === 0 ? 'call' : 'iteration';
    const parent = columns.groupParent[id];
    return {
      id, kind,
      label: kind === 'call' ? `${groupSite.name}(…)` : `${groupSite.name} #${columns.groupIndex[id]}`,
      ...(parent >= 0 ? { parent } : {}),
      range: ranges[groupSite.site],
    };
  });
  return {
    version: GRAPH_MODEL_VERSION,
    nodeCount: count, code, data: columns.data, grad: columns.grad, inputStart, inputs,
    label: columns.label, site: columns.site, group: columns.group,
    labels: header.labels, ranges, groups,
    output: header.output, outputLabel: header.labels[header.outputLabel], leaves,
    source: { fileName: source.fileName, range: source.range },
    counts: { nodes: count, leaves: leafCount, constants, operations: count - leafCount - constants, groups: groups.length },
    logs: header.logs,
    ...(columns.stepOutput.length > 0 ? { steps: stepsOf(columns) } : {}),
  };
}

/** The training steps from their columns (checked by `checkSteps`): the entries' starts summed up. */
function stepsOf(columns: RuntimeColumns): TrainingSteps {
  const count = columns.stepOutput.length;
  const entryStart = new Int32Array(count + 1);
  for (let step = 0; step < count; step++) entryStart[step + 1] = entryStart[step] + columns.stepEntryCount[step];
  return {
    count, output: columns.stepOutput, loss: columns.stepLoss, entryStart, full: columns.stepFull,
    node: columns.entryNode, grad: columns.entryGrad, accumulated: columns.entryAccumulated, data: columns.entryData,
  };
}
