/**
 * The sandbox process: evaluates one snippet and exits. The host starts it (see `sandboxLaunch.ts`) under
 * Node's permission model, with no network where the platform allows, so that even code that got out of
 * the vm context could read only the extension's own files and could write nothing and start nothing.
 *
 * On start it loads TypeScript and makes the vm context with the runtime in it, then says it is ready; the
 * host sends one request (`SandboxRequest`) on standard input. The process rewrites the snippet, runs it
 * in the context, and writes frames on standard output (`frames.ts`): `rewritten`, then a `result` or a
 * `failure`. It treats whatever the context hands back as the snippet's: it reads only strings and numbers
 * it checks, and typed arrays through the host realm's own getters, and it never passes a value of the
 * context to Node (no `util.inspect`, no property read, no `instanceof`).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { types } from 'node:util';
import * as vm from 'node:vm';
import { frameHeader, FrameReader } from './frames.ts';
import { LineMap } from './lineMap.ts';
import { deepestPoint } from './nesting.ts';
import { FRAME, MAX_REQUEST_BYTES, RUNTIME_FILE_NAME, SCRIPT_FILE_NAME, type ChunkMap, type ColumnName, type RuntimeConfig, type SandboxFailure, type SandboxRequest } from './protocol.ts';
import { rewriteSnippet, scriptKindOf, SnippetError, type RewriteResult } from './rewrite.ts';
import type { RuntimeHost } from './sandboxRuntime.ts';
import { graphResult, leavesResult, valueResult, withAdded } from './sandboxResult.ts';
import { decodeMappings, originalPosition } from './sourceMap.ts';
import { statementAt } from './statementAt.ts';
import { loadTypeScript, makeTypeScriptCache, typeScriptCacheUse } from './typescriptLoader.ts';


const out = process.stdout;
const exit = process.exit.bind(process);

function send(kind: number, parts: readonly Uint8Array[]): void {
  let length = 0;
  for (const part of parts) length += part.length;
  out.write(frameHeader(kind, length));
  for (const part of parts) out.write(part);
}

const encoder = new TextEncoder();
const sendJson = (kind: number, value: unknown) => send(kind, [encoder.encode(JSON.stringify(value))]);

function sendFailure(failure: SandboxFailure): void {
  sendJson(FRAME.failure, failure);
}

// Nothing of the snippet's may reach Node's own handlers, which format what they get with util.inspect.
process.on('unhandledRejection', () => undefined);
process.on('uncaughtException', () => {
  const failure = encoder.encode(JSON.stringify({ kind: 'error', message: 'the evaluation process failed', start: -1, end: -1, logs: [] }));
  out.write(frameHeader(FRAME.failure, failure.length));
  out.write(failure, () => exit(70));
});

/*
 * In a vm context every global lookup goes through the context's interceptor, about ten times slower than
 * a local variable. So the runtime is wrapped in a function whose parameters are the built-ins it uses:
 * inside, they are locals, and they are the realm's originals whatever the snippet assigns later.
 */
const BUILT_INS = ['globalThis', 'Math', 'Number', 'Object', 'Array', 'JSON', 'String', 'Boolean', 'Symbol', 'RegExp', 'Map', 'Set', 'WeakMap',
  'Reflect', 'Error', 'TypeError', 'RangeError', 'Float64Array', 'Int32Array', 'Uint8Array'];
const runtimeSource = `(function (${BUILT_INS.join(', ')}) {\n"use strict";\n${readFileSync(path.join(__dirname, 'sandboxRuntime.js'), 'utf8')}\nreturn __gradientGraphRuntime;\n})(${BUILT_INS.join(', ')})`;

/** The editor's code cache for TypeScript, when the host names its file (`--typescript-cache=FILE`). */
const CACHE_ARGUMENT = '--typescript-cache=';
const editorCache = process.argv.slice(2).find((argument) => argument.startsWith(CACHE_ARGUMENT))?.slice(CACHE_ARGUMENT.length);
const typescript = loadTypeScript(editorCache);

/** A fresh vm context with the runtime in it, and the runtime's functions, read before any code of a snippet's runs. */
function makeSandbox(): { context: vm.Context } & RuntimeHost {
  const context = vm.createContext(Object.create(null) as object, {
    name: 'gradient-graph snippet',
    codeGeneration: { strings: false, wasm: false },
    // The snippet's promise jobs run inside its own evaluation, within the time limit, and never after it.
    microtaskMode: 'afterEvaluate',
  });
  const runtimeModule = vm.runInContext(runtimeSource, context, { filename: RUNTIME_FILE_NAME }) as { create(): RuntimeHost };
  const { configure, finish, column, runningSite, inLoop } = runtimeModule.create();
  return { context, configure, finish, column, runningSite, inLoop };
}

let sandbox = makeSandbox();


const permission = (process as unknown as { permission?: { has(scope: string): boolean } }).permission;
const sendReady = () => sendJson(FRAME.ready, {
  permission: permission !== undefined && !permission.has('fs.write') && !permission.has('child'),
  typescriptCache: typeScriptCacheUse(),
});

const warmUp = 'const a = 2;\nfunction f(x: number) { for (let i = 0; i < 2; i++) x += i; return x; }\nf(a) * Math.tanh(a)';
const warmUpRewrite = () => rewriteSnippet({ text: warmUp, fileName: 'warm-up.ts', start: 0, end: warmUp.length });

// No cache V8 accepted and the host names the editor's: make one for it, after a rewrite so that the
// functions a rewrite runs are in it. Before `ready`, while no code of a snippet's has run in this
// process: the host takes the cache only then, so no snippet can hand it code for later processes.
if (editorCache !== undefined && typeScriptCacheUse() !== 'accepted') {
  try {
    warmUpRewrite();
    const cache = makeTypeScriptCache();
    if (cache !== undefined) send(FRAME.typescriptCache, [cache]);
  } catch {
    // Without a cache the next process loads TypeScript more slowly, and tries again.
  }
}
sendReady();

let requests = 0;
/** Whether the host may send another request: only when the last one asked to reuse the process. */
let accepting = true;
const reader = new FrameReader((kind) => (kind === FRAME.request && accepting ? MAX_REQUEST_BYTES : -1), (_kind, payload) => {
  requests++;
  accepting = false;
  const request = JSON.parse(new TextDecoder().decode(payload)) as SandboxRequest;
  evaluate(request);
  if (request.reuse === true) {
    // The next file of the same CLI call: a fresh context, so that nothing of this snippet's is left in it.
    sandbox = makeSandbox();
    accepting = true;
    sendReady();
  }
});
process.stdin.on('data', (chunk: Buffer) => {
  if (reader.push(chunk) !== undefined) exit(65);
});
// The host closed the pipe (it is done with this process, or it exited): so is this process.
process.stdin.on('end', () => exit(0));

// While idle, a first rewrite, so that the one the user waits for runs on warm code; a request that is
// already waiting (the first evaluation of a CLI call) goes first.
setImmediate(() => {
  if (requests === 0) warmUpRewrite();
});

/**
 * The last rewrite, kept for the next request of a reused process: the gradient check's runs send the same
 * snippet many times with a leaf moved. It is this process's own object, and the snippet's context only
 * ever receives it as JSON.
 */
let lastRewrite: { readonly text: string; readonly fileName: string; readonly start: number; readonly end: number; readonly result: RewriteResult } | undefined;

function evaluate(request: SandboxRequest): void {
  const { text } = request;
  const lines = new LineMap(text);
  const logsNone: string[] = [];
  const started = performance.now();
  let { start, end } = request;
  if (start === end) {
    const statement = statementAt(text, request.fileName, start);
    if (!statement) return sendFailure({ kind: 'error', message: 'nothing to evaluate: select the code to differentiate, or put the cursor in a statement', start, end, logs: logsNone });
    ({ start, end } = statement);
  }
  let rewritten: RewriteResult;
  try {
    const same = lastRewrite && lastRewrite.text === text && lastRewrite.fileName === request.fileName && lastRewrite.start === start && lastRewrite.end === end;
    rewritten = same ? lastRewrite!.result : rewriteSnippet({ text, fileName: request.fileName, start, end });
    lastRewrite = { text, fileName: request.fileName, start, end, result: rewritten };
  } catch (error) {
    if (error instanceof SnippetError) return sendFailure({ kind: 'error', message: error.message, start: error.start, end: error.end, logs: logsNone });
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      const deepest = deepestPoint(typescript, text, start, end, scriptKindOf(typescript, request.fileName));
      return sendFailure({
        kind: 'error', start: deepest.offset, end: deepest.offset, logs: logsNone,
        message: `this code is nested too deeply to rewrite (${deepest.depth} levels here): split it into smaller expressions or statements`,
      });
    }
    return sendFailure({ kind: 'error', message: `internal error while rewriting: ${String((error as Error).message)}`, start, end: start, logs: logsNone });
  }
  const rewriteMs = performance.now() - started;
  sendJson(FRAME.rewritten, { rewriteMs });

  const chunks: ChunkMap[] = rewritten.chunks.map((chunk) => {
    const at = lines.position(chunk.offset);
    return { firstLine: chunk.firstLine, lineCount: chunk.lineCount, mappings: chunk.mappings, line: at.line, character: at.character };
  });
  const config: RuntimeConfig = {
    maxNodes: request.maxNodes, sites: rewritten.sites, groupSites: rewritten.groupSites, labels: rewritten.labels, chunks,
    fileName: path.basename(request.fileName), randomSeed: request.randomSeed,
    ...(isLeafShift(request.leafShift) ? { leafShift: { ordinal: request.leafShift.ordinal, by: request.leafShift.by } } : {}),
  };
  const { context, configure, finish, runningSite, inLoop } = sandbox;
  configure(JSON.stringify(config));

  /** A site's document range, or the selection's start when the site is unknown. */
  const siteRange = (site: unknown): [number, number] => {
    const entry = typeof site === 'number' && Number.isInteger(site) ? rewritten.sites[site] : undefined;
    return entry ? [entry[0], entry[1]] : [start, start];
  };

  let script: vm.Script;
  try {
    script = new vm.Script(rewritten.script, { filename: SCRIPT_FILE_NAME });
  } catch (error) {
    // V8 compiled the script in this (the host's) realm: the error is ours to read.
    const offset = compileErrorOffset(error, rewritten, lines) ?? start;
    return sendFailure({ kind: 'error', message: `${String((error as Error).name)}: ${String((error as Error).message)}`, start: offset, end: offset, logs: logsNone });
  }

  const forwardStart = performance.now();
  let escaped = false;
  try {
    script.runInContext(context, { timeout: request.timeLimitMs });
  } catch (error) {
    // The runtime catches what the snippet throws, so this is the time limit (or something that got past
    // the runtime, which is not read: it may be the snippet's).
    if (isTimeout(error) || performance.now() - forwardStart >= request.timeLimitMs) {
      const [siteStart, siteEnd] = siteRange(runningSite());
      return sendFailure({ kind: 'time', message: inLoop() === true ? 'loop' : '', start: siteStart, end: siteEnd, logs: logsNone });
    }
    escaped = true;
  }
  const forwardMs = performance.now() - forwardStart;
  if (escaped) return sendFailure({ kind: 'error', message: 'the snippet stopped the evaluation in a way that cannot be reported', start, end: start, logs: logsNone });

  const backwardStart = performance.now();
  const status: unknown = finish();
  const backwardMs = performance.now() - backwardStart;
  if (typeof status !== 'string') return sendFailure({ kind: 'error', message: 'the runtime gave no result', start, end: start, logs: logsNone });
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(status) as Record<string, unknown>;
  } catch {
    return sendFailure({ kind: 'error', message: 'the runtime gave a result that cannot be read', start, end: start, logs: logsNone });
  }
  const logs = stringList(parsed.logs);
  const failure = parsed.failure as Record<string, unknown> | undefined;
  if (failure !== undefined) {
    const kind = failure.kind === 'nodes' ? 'nodes' : 'error';
    const message = typeof failure.message === 'string' ? failure.message : 'the snippet failed';
    if (typeof failure.line === 'number' && typeof failure.character === 'number') {
      const offset = lines.offset(failure.line, failure.character);
      return sendFailure({ kind, message, start: offset, end: offset, logs });
    }
    const [siteStart, siteEnd] = siteRange(failure.site);
    return sendFailure({ kind, message, start: siteStart, end: siteEnd, logs });
  }
  const timings = { rewriteMs, forwardMs, backwardMs };
  const column = (name: ColumnName) => sandbox.column(name);
  const tables = withAdded(parsed, rewritten.labels, rewritten.groupSites, rewritten.sites.length);
  if (tables === undefined) return sendFailure({ kind: 'error', message: 'the runtime gave a result that cannot be read', start, end: start, logs });
  const result = request.detail === 'value'
    ? valueResult(parsed, column)
    : request.detail === 'leaves'
    ? leavesResult(parsed, column, { labels: tables.labels, evaluated: [start, end], logs, timings })
    : graphResult(parsed, column, { labels: tables.labels, sites: rewritten.sites, groupSites: tables.groupSites, evaluated: [start, end], logs, timings });
  if ('problem' in result) return sendFailure({ kind: 'error', message: result.problem, start, end: start, logs });
  out.write(frameHeader(FRAME.result, result.total));
  for (const piece of result.pieces) out.write(piece);
}

/** Whether a request's leaf shift is one the runtime can apply: an ordinal and a finite amount. */
function isLeafShift(shift: unknown): shift is { ordinal: number; by: number } {
  const { ordinal, by } = (shift ?? {}) as Record<string, unknown>;
  return typeof ordinal === 'number' && Number.isInteger(ordinal) && ordinal >= 0 && typeof by === 'number' && Number.isFinite(by);
}

/** Strings of a list from the runtime; anything else is left out. */
function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * Whether the run ended at the vm's time limit. Node makes that error in the context's realm, so it is read
 * without running any code of the snippet's: a genuine error object (not a proxy) with an own `code`.
 */
function isTimeout(error: unknown): boolean {
  if (!types.isNativeError(error) || types.isProxy(error)) return false;
  return Object.getOwnPropertyDescriptor(error, 'code')?.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/**
 * Where V8 placed a compile-time SyntaxError of the generated script, in the document. Node decorates such
 * an error's stack with `file:line`, the line's text and a caret under the column.
 */
function compileErrorOffset(error: unknown, rewritten: RewriteResult, lines: LineMap): number | undefined {
  const stack = String((error as Error).stack ?? '');
  const match = new RegExp(`^${SCRIPT_FILE_NAME.replace(/[.-]/g, '\\$&')}:(\\d+)\\n[^\\n]*\\n( *)\\^`).exec(stack);
  if (!match) return undefined;
  const line = Number(match[1]);
  const column = match[2].length;
  const chunk = rewritten.chunks.find((item) => line >= item.firstLine && line < item.firstLine + item.lineCount);
  if (!chunk) return undefined;
  const position = originalPosition(decodeMappings(chunk.mappings), line - chunk.firstLine, column);
  if (!position) return undefined;
  const at = lines.position(chunk.offset);
  return position.line === 0 ? lines.offset(at.line, at.character + position.column) : lines.offset(at.line + position.line, position.column);
}
