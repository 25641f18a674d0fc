/**
 * The evaluation worker: runs one rewritten snippet in a vm context that holds no host object, then sends
 * the tape's columns back. The main thread terminates this worker on the time limit, and V8 ends it on the
 * heap limit (`resourceLimits`), so nothing the snippet does can hang or crash the editor.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { SCRIPT_FILE_NAME, type RuntimeFailure, type RuntimeMeta, type WorkerRequest, type WorkerResponse } from './protocol.ts';

/** What `sandboxRuntime.create` returns: the worker's handle on the runtime, which the snippet never sees. */
interface RuntimeHost {
  backward(): void;
  columns(): Record<'data' | 'grad' | 'code' | 'first' | 'second' | 'naryInputs' | 'site' | 'group', ArrayBufferView> & { length: number; naryLength: number };
  meta(): string;
  logs(): string;
  describeError(error: unknown): string;
}

/**
 * In a vm context every global lookup goes through the context's interceptor, about ten times slower than
 * a local variable. So the runtime is wrapped in a function whose parameters are the built-ins it uses:
 * inside, they are locals. Its result is the runtime's module, never a global.
 */
const BUILT_INS = ['Math', 'Number', 'Object', 'Array', 'JSON', 'String', 'Boolean', 'Symbol', 'RegExp', 'Map', 'Set', 'Error', 'TypeError', 'RangeError', 'Float64Array', 'Int32Array', 'Uint8Array'];
const runtimeSource = `(function (${BUILT_INS.join(', ')}) {\n${readFileSync(path.join(__dirname, 'sandboxRuntime.js'), 'utf8')}\nreturn __gradientGraphRuntime;\n})(${BUILT_INS.join(', ')})`;

// The host realm's own getter, so that reading a sandbox typed array runs none of the sandbox's code.
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call on each array
const bufferOf = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, 'buffer')!.get as (this: ArrayBufferView) => ArrayBufferLike;
function copyOut<T extends Float64Array | Int32Array | Uint8Array>(Kind: { new (buffer: ArrayBufferLike, offset: number, length: number): T }, array: ArrayBufferView, length: number): T {
  return new Kind(bufferOf.call(array), 0, length).slice() as T;
}

function evaluate(request: WorkerRequest): { response: WorkerResponse; transfer: ArrayBuffer[] } {
  // A null-prototype global: `this.constructor` inside the sandbox finds the sandbox's own Object, never the host's.
  const context = vm.createContext(Object.create(null) as object, { name: 'gradient-graph snippet', codeGeneration: { strings: false, wasm: false } });
  const runtime = vm.runInContext(runtimeSource, context, { filename: 'gradient-graph-runtime.js' }) as { create(config: string): RuntimeHost };
  const host = runtime.create(JSON.stringify(request.config));

  const fail = (error: unknown): { response: WorkerResponse; transfer: ArrayBuffer[] } => {
    let failure: RuntimeFailure;
    if (error instanceof Error) {
      // An error of the host realm (none is expected): read here, so that it never enters the sandbox.
      failure = { kind: 'error', name: error.name, message: error.message, site: -1 };
    } else {
      try {
        failure = JSON.parse(host.describeError(error)) as RuntimeFailure;
      } catch {
        failure = { kind: 'error', name: 'Error', message: 'the snippet threw a value that cannot be read', site: -1 };
      }
    }
    let logs: string[] = [];
    try {
      logs = JSON.parse(host.logs()) as string[];
    } catch { /* the logs are a courtesy */ }
    return { response: { ok: false, failure, logs }, transfer: [] };
  };

  let script: vm.Script;
  try {
    script = new vm.Script(request.script, { filename: SCRIPT_FILE_NAME });
  } catch (error) {
    return fail(error);
  }
  const forwardStart = performance.now();
  try {
    script.runInContext(context);
  } catch (error) {
    return fail(error);
  }
  const backwardStart = performance.now();
  try {
    host.backward();
  } catch (error) {
    return fail(error);
  }
  const backwardEnd = performance.now();
  const raw = host.columns();
  const length = raw.length;
  const columns = {
    length,
    data: copyOut(Float64Array, raw.data, length),
    grad: copyOut(Float64Array, raw.grad, length),
    code: copyOut(Uint8Array, raw.code, length),
    first: copyOut(Int32Array, raw.first, length),
    second: copyOut(Int32Array, raw.second, length),
    naryInputs: copyOut(Int32Array, raw.naryInputs, raw.naryLength),
    site: copyOut(Int32Array, raw.site, length),
    group: copyOut(Int32Array, raw.group, length),
  };
  const meta: RuntimeMeta = { ...(JSON.parse(host.meta()) as Omit<RuntimeMeta, 'forwardMs' | 'backwardMs'>), forwardMs: backwardStart - forwardStart, backwardMs: backwardEnd - backwardStart };
  const transfer = [columns.data, columns.grad, columns.code, columns.first, columns.second, columns.naryInputs, columns.site, columns.group].map((array) => array.buffer);
  return { response: { ok: true, columns, meta }, transfer };
}

parentPort!.once('message', (request: WorkerRequest) => {
  const { response, transfer } = evaluate(request);
  parentPort!.postMessage(response, transfer);
});
