/**
 * The result frame's payload, made in the sandbox process from what the runtime hands back: the whole
 * graph (its header and the tape's columns, sent as they are), or only the leaves and the output
 * (`detail: 'leaves'`, for the CLI's table and `--grads`). The runtime's columns live in the snippet's vm
 * context, so they are read only through the host realm's own typed-array getters, which read internal
 * slots and run no code of the snippet's; and every count is checked before it is used.
 */
import { types } from 'node:util';
import { CONST, LEAF } from '../engine/ops.ts';
import { columnBytes, columnLength, leavesPayload, resultPieces, type ResultCounts } from './frames.ts';
import { encodeNumber } from '../graph/codec.ts';
import { fingerprint } from './fingerprint.ts';
import { COLUMNS, type ColumnName, type GroupSite, type LeavesHeader, type ResultHeader, type Site, type ValueResult } from './protocol.ts';

const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
// eslint-disable-next-line @typescript-eslint/unbound-method -- each getter is called with .call on an array
const getter = (name: string) => Object.getOwnPropertyDescriptor(typedArrayPrototype, name)!.get as (this: unknown) => unknown;
const bufferOf = getter('buffer');
const byteOffsetOf = getter('byteOffset');
const lengthOf = getter('length');
const IS_TYPE = { float64: types.isFloat64Array, int32: types.isInt32Array, uint8: types.isUint8Array } as const;
const ARRAY_OF = { float64: Float64Array, int32: Int32Array, uint8: Uint8Array } as const;

export type ColumnReader = (name: ColumnName) => unknown;
export type Payload = { readonly pieces: readonly Uint8Array[]; readonly total: number } | { readonly problem: string };

interface Shared {
  readonly labels: readonly string[];
  readonly evaluated: readonly [number, number];
  readonly logs: readonly string[];
  readonly timings: ResultHeader['timings'];
}

const encoder = new TextEncoder();
const count = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : -1);
const unreadable = { problem: 'the runtime gave a result that cannot be read' } as const;

/** A host-realm view of the runtime's column `name`, of `length` elements; undefined if it is not one. */
function view<T extends keyof typeof IS_TYPE>(column: ColumnReader, name: ColumnName, type: T, length: number): InstanceType<(typeof ARRAY_OF)[T]> | undefined {
  const array: unknown = column(name);
  if (!IS_TYPE[type](array) || (lengthOf.call(array) as number) < length) return undefined;
  return new ARRAY_OF[type](bufferOf.call(array) as ArrayBuffer, byteOffsetOf.call(array) as number, length) as InstanceType<(typeof ARRAY_OF)[T]>;
}

/** The whole graph: the header, then every column of the tape in `COLUMNS` order (no copy). */
export function graphResult(parsed: Record<string, unknown>, column: ColumnReader, shared: Shared & { readonly sites: readonly Site[]; readonly groupSites: readonly GroupSite[] }): Payload {
  const counts: ResultCounts = {
    nodeCount: count(parsed.nodeCount), naryLength: count(parsed.naryLength), groupCount: count(parsed.groupCount),
    stepCount: count(parsed.stepCount), entryCount: count(parsed.entryCount),
  };
  const output = count(parsed.output);
  const outputLabel = typeof parsed.outputLabel === 'number' ? parsed.outputLabel : -1;
  if (Object.values(counts).some((value) => value < 0) || output < 0) return unreadable;
  const parts: Uint8Array[] = [];
  for (const [name, type, per] of COLUMNS) {
    const array = view(column, name, type, columnLength(counts, per));
    if (!array) return { problem: `the runtime's ${name} column is not what it should be` };
    parts.push(new Uint8Array(array.buffer, array.byteOffset, array.length * columnBytes(type)));
  }
  const header: ResultHeader = {
    ...counts, output, outputLabel, labels: shared.labels, sites: shared.sites.flatMap((site) => [site[0], site[1]]),
    groupSites: shared.groupSites, evaluated: shared.evaluated, logs: shared.logs, timings: shared.timings,
  };
  return resultPieces(counts, encoder.encode(JSON.stringify(header)), parts);
}

/** Only the leaves (data, grad, id, name) and the output's data and grad, with the graph's counts. */
export function leavesResult(parsed: Record<string, unknown>, column: ColumnReader, shared: Shared): Payload {
  const nodeCount = count(parsed.nodeCount);
  const groupCount = count(parsed.groupCount);
  const stepCount = count(parsed.stepCount);
  const output = count(parsed.output);
  const outputLabel = typeof parsed.outputLabel === 'number' ? parsed.outputLabel : -1;
  if (nodeCount < 1 || groupCount < 0 || stepCount < 0 || output < 0 || output >= nodeCount) return unreadable;
  const code = view(column, 'code', 'uint8', nodeCount);
  const data = view(column, 'data', 'float64', nodeCount);
  const grad = view(column, 'grad', 'float64', nodeCount);
  const label = view(column, 'label', 'int32', nodeCount);
  const losses = view(column, 'stepLoss', 'float64', stepCount);
  if (!code || !data || !grad || !label || !losses) return unreadable;
  let leafCount = 0;
  let constantCount = 0;
  for (let id = 0; id < nodeCount; id++) {
    if (code[id] === LEAF) leafCount++;
    else if (code[id] === CONST) constantCount++;
  }
  const values = new Float64Array(leafCount + 1);
  const grads = new Float64Array(leafCount + 1);
  const ids = new Int32Array(leafCount);
  const names = new Int32Array(leafCount);
  for (let id = 0, leaf = 0; id < nodeCount; id++) {
    if (code[id] !== LEAF) continue;
    values[leaf] = data[id];
    grads[leaf] = grad[id];
    ids[leaf] = id;
    names[leaf++] = label[id];
  }
  values[leafCount] = data[output];
  grads[leafCount] = grad[output];
  const header: LeavesHeader = {
    nodeCount, leafCount, constantCount, groupCount, stepCount, output, outputLabel,
    labels: shared.labels, evaluated: shared.evaluated, logs: shared.logs, timings: shared.timings,
  };
  const payload = leavesPayload(encoder.encode(JSON.stringify(header)), values, grads, ids, names, losses);
  return { pieces: [payload], total: payload.length };
}

/** Only the output's value and the run's fingerprint (`detail: 'value'`, the gradient check's runs). */
export function valueResult(parsed: Record<string, unknown>, column: ColumnReader): Payload {
  const nodeCount = count(parsed.nodeCount);
  const naryLength = count(parsed.naryLength);
  const output = count(parsed.output);
  if (nodeCount < 1 || naryLength < 0 || output < 0 || output >= nodeCount) return unreadable;
  const code = view(column, 'code', 'uint8', nodeCount);
  const data = view(column, 'data', 'float64', nodeCount);
  const first = view(column, 'first', 'int32', nodeCount);
  const second = view(column, 'second', 'int32', nodeCount);
  const naryInputs = view(column, 'naryInputs', 'int32', naryLength);
  if (!code || !data || !first || !second || !naryInputs) return unreadable;
  const result: ValueResult = { value: encodeNumber(data[output]), ...fingerprint({ nodeCount, code, data, first, second, naryInputs, output }) };
  const payload = encoder.encode(JSON.stringify(result));
  return { pieces: [payload], total: payload.length };
}

/**
 * The rewriter's labels and group sites, followed by those the runtime added (`addedLabels`,
 * `addedGroupSites`: nn's weights and module calls, see sandboxAdded.ts); undefined if what was added
 * is not a list of names and call groups at known sites.
 */
export function withAdded(parsed: Record<string, unknown>, labels: readonly string[], groupSites: readonly GroupSite[], siteCount: number): { labels: string[]; groupSites: GroupSite[] } | undefined {
  const addedLabels = parsed.addedLabels ?? [];
  const addedGroups = parsed.addedGroupSites ?? [];
  if (!Array.isArray(addedLabels) || !addedLabels.every((label) => typeof label === 'string')) return undefined;
  const isGroup = (group: unknown): group is GroupSite => {
    const { kind, name, site } = (group ?? {}) as Partial<GroupSite>;
    return kind === 'call' && typeof name === 'string' && typeof site === 'number' && Number.isInteger(site) && site >= 0 && site < siteCount;
  };
  if (!Array.isArray(addedGroups) || !addedGroups.every(isGroup)) return undefined;
  return { labels: [...labels, ...addedLabels], groupSites: [...groupSites, ...addedGroups.map(({ kind, name, site }) => ({ kind, name, site }))] };
}
