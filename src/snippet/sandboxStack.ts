/**
 * Errors inside the sandbox: how their stacks read and how a thrown value is described to the user.
 * Part of the sandbox runtime, so it runs inside the vm context.
 *
 * V8 asks the error's own realm how to format a stack (Node calls that realm's `Error.prepareStackTrace`),
 * so the runtime installs a formatter there and locks it (and the global `Error`) before the snippet runs:
 * a stack then shows only frames of the user's code, at their place in the user's document, and never a
 * path of the extension or of Node. The same formatter records where each error was thrown, which is how
 * an exception is located. Everything that reads a thrown value is guarded: the value is the snippet's, and
 * its getters, traps and `toString` may throw (a getter that never returns is ended by the time limit).
 */
import { SCRIPT_FILE_NAME, type ChunkMap } from './protocol.ts';
import { apply, jsonStringify, originalMethod, stringSlice, symbolText } from './sandboxIntrinsics.ts';
import { decodeMappings, originalPosition, type Mapping } from './sourceMap.ts';

/** A 0-based place in the user's document. */
export interface DocumentPosition {
  readonly line: number;
  readonly character: number;
}

/**
 * A thrown value as the user should read it, and where it was thrown if that is known. Every field is an
 * own property, even when undefined: the runtime reads it after the snippet ran, when a getter of the
 * snippet's on `Object.prototype` would otherwise answer for a missing one.
 */
export interface ThrownDescription {
  readonly name: string;
  readonly message: string;
  readonly position: DocumentPosition | undefined;
}

interface CallSite {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getFunctionName(): string | null;
}

/** The call-site methods as they are before the snippet runs: the snippet may replace them on the prototype. */
function captureCallSiteMethods(): Record<keyof CallSite, (site: CallSite) => unknown> {
  let sample: CallSite | undefined;
  const original = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  Error.prepareStackTrace = (_error: unknown, sites: CallSite[]) => { sample = sites[0]; return ''; };
  void new Error().stack;
  if (original) Object.defineProperty(Error, 'prepareStackTrace', original);
  else delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  if (!sample) throw new TypeError('V8 gave no call site');
  const prototype = Object.getPrototypeOf(sample) as CallSite;
  const method = (name: keyof CallSite) => {
    const fn = originalMethod(prototype, name);
    return (site: CallSite) => apply(fn, site, []);
  };
  return { getFileName: method('getFileName'), getLineNumber: method('getLineNumber'), getColumnNumber: method('getColumnNumber'), getFunctionName: method('getFunctionName') };
}

/**
 * Installs the locked stack formatter in this realm and returns what the runtime needs of it. Called once,
 * before the snippet's first line. `configure` gives it the chunks' source maps once the snippet is rewritten.
 */
export function installStacks() {
  const callSite = captureCallSiteMethods();
  // A WeakMap's methods as they are now, for the same reason.
  const weakMapGet = originalMethod(WeakMap.prototype, 'get');
  const weakMapSet = originalMethod(WeakMap.prototype, 'set');
  const positions = new WeakMap<object, DocumentPosition>();
  const objectToString = originalMethod(Object.prototype, 'toString');
  const functionToString = originalMethod(Function.prototype, 'toString');
  let chunks: readonly ChunkMap[] = [];
  let decoded: Array<Mapping[][] | undefined> = [];
  let fileName = 'snippet';

  /** A 1-based line and column of the generated script, in the document; undefined for code the rewriter added. */
  function documentPosition(line: number, column: number): DocumentPosition | undefined {
    for (let index = 0; index < chunks.length; index++) {
      const chunk = chunks[index];
      if (line < chunk.firstLine || line >= chunk.firstLine + chunk.lineCount) continue;
      const mappings = (decoded[index] ??= decodeMappings(chunk.mappings));
      const position = originalPosition(mappings, line - chunk.firstLine, column - 1);
      if (!position) return undefined;
      return position.line === 0
        ? { line: chunk.line, character: chunk.character + position.column }
        : { line: chunk.line + position.line, character: position.column };
    }
    return undefined;
  }

  function formatStack(error: unknown, sites: readonly CallSite[]): string {
    let text = errorHeader(error);
    let first: DocumentPosition | undefined;
    for (let index = 0; index < sites.length; index++) {
      const site = sites[index];
      try {
        if (callSite.getFileName(site) !== SCRIPT_FILE_NAME) continue;
        const position = documentPosition(callSite.getLineNumber(site) as number, callSite.getColumnNumber(site) as number);
        if (!position) continue;
        first ??= position;
        const name = callSite.getFunctionName(site);
        const place = `${fileName}:${position.line + 1}:${position.character + 1}`;
        text += typeof name === 'string' && name !== '' ? `\n    at ${name} (${place})` : `\n    at ${place}`;
      } catch {
        // A call site that cannot be read is left out.
      }
    }
    if (first && (typeof error === 'object' || typeof error === 'function') && error !== null) apply(weakMapSet, positions, [error, first]);
    return text;
  }

  /** `Name: message` as V8 writes it, from guarded reads. */
  function errorHeader(error: unknown): string {
    const name = readString(error, 'name') ?? 'Error';
    const message = readString(error, 'message') ?? '';
    return message === '' ? name : name === '' ? message : `${name}: ${message}`;
  }

  Object.defineProperty(Error, 'prepareStackTrace', { value: formatStack, writable: false, configurable: false, enumerable: false });
  // Node reads `Error.prepareStackTrace` through the realm's global `Error`: lock that binding too.
  Object.defineProperty(globalThis, 'Error', { value: Error, writable: false, configurable: false, enumerable: false });
  // Node makes its time-limit error in this realm and assigns its `code` with an ordinary assignment, after
  // the clock has stopped: a setter of the snippet's there could crash the process or never return. So
  // `code` is the runtime's on the prototypes such an error inherits from: assigning it defines an own
  // property, as an assignment would have.
  const defineProperty = Object.defineProperty;
  for (const prototype of [Object.prototype, Error.prototype]) {
    defineProperty(prototype, 'code', {
      configurable: false, enumerable: false,
      get: () => undefined,
      set(this: object, value: unknown) { defineProperty(this, 'code', { value, writable: true, enumerable: true, configurable: true }); },
    });
  }

  return {
    configure(configChunks: readonly ChunkMap[], configFileName: string): void {
      chunks = configChunks;
      decoded = [];
      fileName = configFileName;
    },

    /** Describes a value the snippet threw: an error's name and message and its place, anything else as it is. */
    describeThrown(thrown: unknown): ThrownDescription {
      if ((typeof thrown !== 'object' && typeof thrown !== 'function') || thrown === null) {
        return { name: 'Error', message: `the snippet threw ${describePrimitive(thrown)}`, position: undefined };
      }
      // Reading `stack` makes V8 format it (through `formatStack`), which records the place.
      void readString(thrown, 'stack');
      const position = apply(weakMapGet, positions, [thrown]) as DocumentPosition | undefined;
      const name = readString(thrown, 'name');
      const message = readString(thrown, 'message');
      if (message !== undefined) return { name: name ?? 'Error', message, position };
      return { name: 'Error', message: `the snippet threw ${describeObject(thrown)}`, position };
    },
  };

  /** A thrown object as it means to be read: its own `toString`'s text if it has one, else its JSON. */
  function describeObject(value: object): string {
    const cap = (text: string) => (text.length > 200 ? `${stringSlice(text, 0, 200)}…` : text);
    try {
      const toString = (value as { toString?: unknown }).toString;
      if (typeof toString === 'function' && toString !== objectToString && toString !== functionToString) {
        const text = apply(toString as (...args: never[]) => unknown, value, []);
        if (typeof text === 'string') return cap(text);
      }
    } catch {
      // Its toString failed: its JSON, then its kind.
    }
    if (typeof value === 'function') return 'a function';
    try {
      const text = jsonStringify(value);
      if (typeof text === 'string') return cap(text);
    } catch {
      // Not JSON (a cycle, a getter that throws): said by its kind below.
    }
    return 'an object';
  }
}

/** A primitive as `String` writes it (a string quoted), with no code of the snippet's involved. */
function describePrimitive(value: unknown): string {
  if (typeof value === 'string') return jsonStringify(value.length > 200 ? `${stringSlice(value, 0, 200)}…` : value)!;
  if (typeof value === 'symbol') return symbolText(value);
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

/** A property that is a string, or undefined: any getter, trap or exception on the way gives undefined. */
function readString(value: unknown, key: string): string | undefined {
  try {
    const read = (value as Record<string, unknown>)[key];
    return typeof read === 'string' ? read : undefined;
  } catch {
    return undefined;
  }
}
