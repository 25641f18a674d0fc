/**
 * What a sandbox process sends is checked before anything is built from it: the process ran the snippet,
 * so if the snippet had got out of its vm context, this is what it could forge. Every size is checked
 * against the limits before it is used, every index against what it indexes, so that a forged result
 * gives an error, never a crash, a hang or a huge allocation in the host.
 */
import { CONST, FIRST_OP_CODE, LEAF, OP_BY_CODE } from '../engine/ops.ts';
import { leavesLayout, resultLayout } from './frames.ts';
import { ENTRY_BUDGET } from './sandboxSteps.ts';
import { COLUMNS, type GroupSite, type LeavesHeader, type ResultHeader, type RuntimeColumns, type SandboxFailure, type ValueResult } from './protocol.ts';
import { decodeNumber } from '../graph/codec.ts';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const isIndex = (value: unknown, below: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < below;
const isCount = (value: unknown, atMost: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= atMost;
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

/** A failure frame's payload, with its offsets kept within the document (else at `fallback`). */
export function checkFailure(payload: Uint8Array, textLength: number, fallback: number): SandboxFailure {
  const parsed = parseJson(payload) as Partial<Record<keyof SandboxFailure, unknown>> | undefined;
  const kind = parsed?.kind === 'time' || parsed?.kind === 'nodes' ? parsed.kind : 'error';
  const message = typeof parsed?.message === 'string' && (parsed.message !== '' || kind === 'time') ? parsed.message : 'the evaluation failed';
  const inDocument = isCount(parsed?.start, textLength) && isCount(parsed?.end, textLength) && parsed.start <= parsed.end;
  return {
    kind, message: message.length > 2000 ? `${message.slice(0, 2000)}…` : message,
    start: inDocument ? parsed.start as number : fallback, end: inDocument ? parsed.end as number : fallback,
    logs: isStringList(parsed?.logs) ? parsed.logs : [],
  };
}

const malformed = (problem: string): Checked<never> => ({ ok: false, problem: `the evaluation sent a malformed result (${problem})` });

/**
 * The JSON header that both kinds of result frame begin with (8 bytes of its length, then the JSON), with
 * what they share checked: the evaluated range, the node count, the output and its name, the names and
 * logs, the timings. Each kind checks the rest of its own.
 */
function readHeader(payload: Uint8Array, maxNodes: number, textLength: number): Checked<{ header: Record<string, unknown>; jsonBytes: number; nodeCount: number }> {
  if (payload.length < 8 || payload.byteOffset % 8 !== 0) return malformed('too short');
  const jsonBytes = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getFloat64(0, true);
  if (!isCount(jsonBytes, payload.length - 8)) return malformed('header length');
  const header = parseJson(payload.subarray(8, 8 + jsonBytes)) as Record<string, unknown> | undefined;
  if (typeof header !== 'object' || header === null) return malformed('header');
  const { nodeCount, output, outputLabel, labels, evaluated, logs, timings } = header;
  if (!Array.isArray(evaluated) || evaluated.length !== 2 || !isCount(evaluated[0], textLength) || !isCount(evaluated[1], textLength) || evaluated[0] > evaluated[1]) {
    return malformed('evaluated range');
  }
  if (!isCount(nodeCount, maxNodes) || nodeCount === 0) return malformed('node count');
  if (!isIndex(output, nodeCount)) return malformed('output');
  if (!isStringList(labels) || !isStringList(logs)) return malformed('labels or logs');
  if (!isIndex(outputLabel, labels.length)) return malformed('output label');
  const times = timings as Record<string, unknown> | undefined;
  const isDuration = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  if (!times || !isDuration(times.rewriteMs) || !isDuration(times.forwardMs) || !isDuration(times.backwardMs)) return malformed('timings');
  return { ok: true, value: { header, jsonBytes, nodeCount } };
}

/** A result frame's payload: its header and its columns (views into the payload), or what is wrong with it. */
export function checkResult(payload: Uint8Array, maxNodes: number, textLength: number): Checked<{ header: ResultHeader; columns: RuntimeColumns }> {
  const read = readHeader(payload, maxNodes, textLength);
  if (!read.ok) return read;
  const { header, jsonBytes, nodeCount } = read.value;
  const { naryLength, groupCount, stepCount, entryCount, labels, sites, groupSites } = header as Record<keyof ResultHeader, unknown> & { labels: string[] };
  if (!isCount(naryLength, 4 * maxNodes) || !isCount(groupCount, nodeCount)) return malformed('counts');
  // A step is a backward pass from a node, and keeps at most the budget's entries in all.
  if (!isCount(stepCount, maxNodes) || !isCount(entryCount, ENTRY_BUDGET + maxNodes)) return malformed('step counts');
  if (!Array.isArray(sites) || sites.length % 2 !== 0) return malformed('sites');
  for (let index = 0; index < sites.length; index += 2) {
    if (!isCount(sites[index], textLength) || !isCount(sites[index + 1], textLength) || (sites[index] as number) > (sites[index + 1] as number)) return malformed('site range');
  }
  const siteCount = sites.length / 2;
  if (!Array.isArray(groupSites) || !groupSites.every((site: Partial<GroupSite>) => (site.kind === 'call' || site.kind === 'loop') && typeof site.name === 'string' && isIndex(site.site, siteCount))) {
    return malformed('group sites');
  }
  const counts = { nodeCount, naryLength, groupCount, stepCount, entryCount };
  const layout = resultLayout(counts, jsonBytes);
  if (layout.total !== payload.length) return malformed('size');
  const at = (name: (typeof COLUMNS)[number][0]) => payload.byteOffset + layout.offsets[name];
  const buffer = payload.buffer;
  const columns: RuntimeColumns = {
    length: nodeCount,
    data: new Float64Array(buffer, at('data'), nodeCount),
    grad: new Float64Array(buffer, at('grad'), nodeCount),
    first: new Int32Array(buffer, at('first'), nodeCount),
    second: new Int32Array(buffer, at('second'), nodeCount),
    site: new Int32Array(buffer, at('site'), nodeCount),
    group: new Int32Array(buffer, at('group'), nodeCount),
    label: new Int32Array(buffer, at('label'), nodeCount),
    naryInputs: new Int32Array(buffer, at('naryInputs'), naryLength),
    groupKind: new Int32Array(buffer, at('groupKind'), groupCount),
    groupSite: new Int32Array(buffer, at('groupSite'), groupCount),
    groupIndex: new Int32Array(buffer, at('groupIndex'), groupCount),
    groupParent: new Int32Array(buffer, at('groupParent'), groupCount),
    code: new Uint8Array(buffer, at('code'), nodeCount),
    stepOutput: new Int32Array(buffer, at('stepOutput'), stepCount),
    stepLoss: new Float64Array(buffer, at('stepLoss'), stepCount),
    stepEntryCount: new Int32Array(buffer, at('stepEntryCount'), stepCount),
    stepFull: new Uint8Array(buffer, at('stepFull'), stepCount),
    entryNode: new Int32Array(buffer, at('entryNode'), entryCount),
    entryGrad: new Float64Array(buffer, at('entryGrad'), entryCount),
    entryAccumulated: new Float64Array(buffer, at('entryAccumulated'), entryCount),
    entryData: new Float64Array(buffer, at('entryData'), entryCount),
  };
  const problem = checkColumns(columns, siteCount, labels.length, groupSites.length) ?? checkSteps(columns);
  if (problem) return malformed(problem);
  return { ok: true, value: { header: header as unknown as ResultHeader, columns } };
}

/** A leaves-only result: the leaves' data, gradients, ids and names, with the output's data and gradient last. */
export interface LeavesColumns {
  readonly data: Float64Array;
  readonly grad: Float64Array;
  readonly ids: Int32Array;
  readonly labels: Int32Array;
  /** The value each of the snippet's `backward()` calls started from, in order. */
  readonly losses: Float64Array;
}

/** A leaves-only result frame's payload (`detail: 'leaves'`): its header and its columns, or what is wrong with it. */
export function checkLeaves(payload: Uint8Array, maxNodes: number, textLength: number): Checked<{ header: LeavesHeader; columns: LeavesColumns }> {
  const read = readHeader(payload, maxNodes, textLength);
  if (!read.ok) return read;
  const { header, jsonBytes, nodeCount } = read.value;
  const { leafCount, constantCount, groupCount, stepCount, labels } = header as Record<keyof LeavesHeader, unknown> & { labels: string[] };
  if (!isCount(leafCount, nodeCount) || !isCount(constantCount, nodeCount - leafCount) || !isCount(groupCount, nodeCount) || !isCount(stepCount, maxNodes)) return malformed('counts');
  const layout = leavesLayout(leafCount, stepCount, jsonBytes);
  if (layout.total !== payload.length) return malformed('size');
  const at = (offset: number) => payload.byteOffset + offset;
  const columns: LeavesColumns = {
    data: new Float64Array(payload.buffer, at(layout.data), leafCount + 1),
    grad: new Float64Array(payload.buffer, at(layout.grad), leafCount + 1),
    ids: new Int32Array(payload.buffer, at(layout.ids), leafCount),
    labels: new Int32Array(payload.buffer, at(layout.labels), leafCount),
    losses: new Float64Array(payload.buffer, at(layout.losses), stepCount),
  };
  for (let leaf = 0; leaf < leafCount; leaf++) {
    const id = columns.ids[leaf];
    if (id < 0 || id >= nodeCount || (leaf > 0 && id <= columns.ids[leaf - 1])) return malformed('leaf ids');
    if (columns.labels[leaf] < -1 || columns.labels[leaf] >= labels.length) return malformed('leaf names');
  }
  return { ok: true, value: { header: header as unknown as LeavesHeader, columns } };
}

/**
 * Every step's node and entries: a step's entries are nodes up to the one it ran from, ascending, and a
 * step that kept its leaves only has leaves only; the entries of all steps add up to the entry count.
 */
function checkSteps(columns: RuntimeColumns): string | undefined {
  const { stepOutput, stepEntryCount, stepFull, entryNode, code } = columns;
  let entry = 0;
  for (let step = 0; step < stepOutput.length; step++) {
    const from = stepOutput[step];
    const count = stepEntryCount[step];
    if (from < 0 || from >= columns.length || count < 0 || count > entryNode.length - entry || stepFull[step] > 1) return `step ${step}`;
    for (let end = entry + count, previous = -1; entry < end; entry++) {
      const node = entryNode[entry];
      if (node <= previous || node > from || (stepFull[step] === 0 && code[node] !== LEAF)) return `entries of step ${step}`;
      previous = node;
    }
  }
  return entry === entryNode.length ? undefined : 'step entries';
}

/** Every node's op code and inputs (inputs come before the node), and every index into a side table. */
function checkColumns(columns: RuntimeColumns, siteCount: number, labelCount: number, groupSiteCount: number): string | undefined {
  const { code, first, second, naryInputs, site, group, label, groupKind, groupSite, groupIndex, groupParent } = columns;
  const opCount = OP_BY_CODE.length;
  const groupCount = groupKind.length;
  for (let id = 0; id < columns.length; id++) {
    const op = code[id];
    if (op >= FIRST_OP_CODE) {
      if (op - FIRST_OP_CODE >= opCount) return `op code of node ${id}`;
      const arity = OP_BY_CODE[op - FIRST_OP_CODE].arity;
      if (arity === 'n') {
        const offset = first[id];
        const count = second[id];
        if (offset < 0 || count < 1 || offset + count > naryInputs.length) return `inputs of node ${id}`;
        for (let k = offset; k < offset + count; k++) if (naryInputs[k] < 0 || naryInputs[k] >= id) return `inputs of node ${id}`;
      } else if (first[id] < 0 || first[id] >= id || (arity === 2 && (second[id] < 0 || second[id] >= id))) {
        return `inputs of node ${id}`;
      }
    } else if (op !== LEAF && op !== CONST) {
      return `kind of node ${id}`;
    }
    if (site[id] < -1 || site[id] >= siteCount || group[id] < -1 || group[id] >= groupCount || label[id] < -1 || label[id] >= labelCount) return `tables of node ${id}`;
  }
  for (let id = 0; id < groupCount; id++) {
    if ((groupKind[id] !== 0 && groupKind[id] !== 1) || groupSite[id] < 0 || groupSite[id] >= groupSiteCount || groupIndex[id] < 0 || groupParent[id] < -1 || groupParent[id] >= id) {
      return `group ${id}`;
    }
  }
  return undefined;
}

const isHash = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;

/** A value-only result's payload (`detail: 'value'`): the output's value and the run's fingerprint. */
export function checkValue(payload: Uint8Array, maxNodes: number): Checked<{ value: number; nodeCount: number; flow: number; pieces: number; detached: number }> {
  if (payload.length > 4096) return malformed('too long');
  const parsed = parseJson(payload) as Partial<Record<keyof ValueResult, unknown>> | undefined;
  if (typeof parsed !== 'object' || parsed === null) return malformed('value');
  const { value, nodeCount, flow, pieces, detached } = parsed;
  if (typeof value !== 'number' && value !== 'NaN' && value !== 'Infinity' && value !== '-Infinity') return malformed('value');
  if (!isCount(nodeCount, maxNodes) || nodeCount === 0) return malformed('node count');
  if (!isHash(flow) || !isHash(pieces) || !isHash(detached)) return malformed('fingerprint');
  return { ok: true, value: { value: decodeNumber(value), nodeCount, flow, pieces, detached } };
}
