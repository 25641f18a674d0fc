// What a sandbox process sends is checked before the host builds anything from it: forged sizes, indices
// and op codes give a "malformed result" error, never an exception, a hang or a large allocation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONST, LEAF, OP_CODE } from '../../src/engine/ops.ts';
import { FrameReader, frameHeader, leavesPayload, resultPieces } from '../../src/snippet/frames.ts';
import { COLUMNS, type ColumnName } from '../../src/snippet/protocol.ts';
import { checkFailure, checkLeaves, checkResult } from '../../src/snippet/resultCheck.ts';

const TEXT_LENGTH = 40;
const MAX_NODES = 100;

type Columns = Record<ColumnName, number[]>;

/** `const a = 2, b = -3; a * b * 1` as a sandbox process would send it, before `change` is applied. */
function payload(change: (header: Record<string, unknown>, columns: Columns) => void = () => undefined): Uint8Array {
  const header: Record<string, unknown> = {
    nodeCount: 5, naryLength: 0, groupCount: 1, stepCount: 1, entryCount: 4, output: 4, outputLabel: 2, labels: ['a', 'b', 'out'],
    sites: [6, 11, 13, 19, 21, 26, 21, 30, 29, 30], groupSites: [{ kind: 'call', name: 'f', site: 2 }], evaluated: [0, 31], logs: ['hello'],
    timings: { rewriteMs: 1, forwardMs: 0.5, backwardMs: 0.1 },
  };
  const columns: Columns = {
    data: [2, -3, -6, 1, -6], grad: [-3, 2, 1, 0, 1], first: [-1, -1, 0, -1, 2], second: [-1, -1, 1, -1, 3],
    site: [0, 1, 2, 4, 3], group: [-1, -1, 0, 0, -1], label: [0, 1, -1, -1, 2], naryInputs: [],
    groupKind: [0], groupSite: [0], groupIndex: [0], groupParent: [-1],
    code: [LEAF, LEAF, OP_CODE.mul, CONST, OP_CODE.mul],
    // The snippet ran `out.backward()` once: a step from node 4, which reached every node but the constant.
    stepOutput: [4], stepLoss: [-6], stepEntryCount: [4], stepFull: [1],
    entryNode: [0, 1, 2, 4], entryGrad: [-3, 2, 1, 1], entryAccumulated: [-3, 2, 1, 1], entryData: [2, -3, -6, -6],
  };
  change(header, columns);
  const typed = { float64: Float64Array, int32: Int32Array, uint8: Uint8Array } as const;
  const parts = COLUMNS.map(([name, type]) => new Uint8Array(new typed[type](columns[name]).buffer));
  const counts = {
    nodeCount: header.nodeCount as number, naryLength: header.naryLength as number, groupCount: header.groupCount as number,
    stepCount: header.stepCount as number, entryCount: header.entryCount as number,
  };
  const { pieces, total } = resultPieces(counts, new TextEncoder().encode(JSON.stringify(header)), parts);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return bytes;
}

function assertMalformed(bytes: Uint8Array, what: RegExp): void {
  const checked = checkResult(bytes, MAX_NODES, TEXT_LENGTH);
  assert.equal(checked.ok, false);
  if (!checked.ok) assert.match(checked.problem, what);
}

describe('checkResult', () => {
  it('accepts a well-formed result and reads its columns in place', () => {
    const checked = checkResult(payload(), MAX_NODES, TEXT_LENGTH);
    assert.ok(checked.ok, checked.ok ? '' : checked.problem);
    const { header, columns } = checked.value;
    assert.equal(header.output, 4);
    assert.deepEqual(Array.from(columns.data), [2, -3, -6, 1, -6]);
    assert.deepEqual(Array.from(columns.code), [LEAF, LEAF, OP_CODE.mul, CONST, OP_CODE.mul]);
    assert.deepEqual(Array.from(columns.groupKind), [0]);
    assert.deepEqual(Array.from(columns.stepOutput), [4]);
    assert.deepEqual(Array.from(columns.entryNode), [0, 1, 2, 4]);
    assert.deepEqual(Array.from(columns.entryData), [2, -3, -6, -6]);
  });

  const forgeries: Array<[name: string, change: (header: Record<string, unknown>, columns: Columns) => void, problem: RegExp]> = [
    ['more nodes than the limit', (header) => { header.nodeCount = MAX_NODES + 1; }, /node count/],
    ['a node count that is not a whole number', (header) => { header.nodeCount = 4.5; }, /node count/],
    ['a node count given as a string', (header) => { header.nodeCount = '5'; }, /node count/],
    ['an output beyond the nodes', (header) => { header.output = 5; }, /output/],
    ['an output label beyond the labels', (header) => { header.outputLabel = 3; }, /output label/],
    ['an input that comes after its node', (_header, columns) => { columns.first[2] = 3; }, /inputs of node 2/],
    ['a negative input', (_header, columns) => { columns.second[4] = -1; }, /inputs of node 4/],
    ['an unknown op code', (_header, columns) => { columns.code[2] = 250; }, /op code of node 2/],
    ['an unknown node kind', (_header, columns) => { columns.code[3] = 2; }, /kind of node 3|op code of node 3|inputs of node 3/],
    ['a site beyond the sites', (_header, columns) => { columns.site[0] = 9; }, /tables of node 0/],
    ['a label beyond the labels', (_header, columns) => { columns.label[1] = 7; }, /tables of node 1/],
    ['a group beyond the groups', (_header, columns) => { columns.group[2] = 1; }, /tables of node 2/],
    ['a site beyond the document', (header) => { header.sites = [6, 11, 13, 19, 21, 26, 21, 30, 29, TEXT_LENGTH + 1]; }, /site range/],
    ['a site that ends before it starts', (header) => { header.sites = [6, 11, 13, 19, 21, 26, 30, 21, 29, 30]; }, /site range/],
    ['a group site beyond the sites', (header) => { header.groupSites = [{ kind: 'call', name: 'f', site: 99 }]; }, /group sites/],
    ['a group whose parent comes after it', (_header, columns) => { columns.groupParent[0] = 0; }, /group 0/],
    ['a group of an unknown kind', (_header, columns) => { columns.groupKind[0] = 2; }, /group 0/],
    ['more n-ary inputs than allowed', (header) => { header.naryLength = 4 * MAX_NODES + 1; }, /counts/],
    ['an evaluated range beyond the document', (header) => { header.evaluated = [0, TEXT_LENGTH + 1]; }, /evaluated range/],
    ['labels that are not strings', (header) => { header.labels = ['a', 1, 'out']; }, /labels or logs/],
    ['a negative time', (header) => { header.timings = { rewriteMs: -1, forwardMs: 0, backwardMs: 0 }; }, /timings/],
    ['more steps than nodes allowed', (header) => { header.stepCount = MAX_NODES + 1; }, /step counts/],
    ['a step from beyond the nodes', (_header, columns) => { columns.stepOutput[0] = 5; }, /step 0/],
    ['a step entry past the node it ran from', (_header, columns) => { columns.stepOutput[0] = 2; }, /entries of step 0/],
    ['step entries out of order', (_header, columns) => { columns.entryNode = [0, 2, 1, 4]; }, /entries of step 0/],
    ['a step that kept its leaves only with an operation among them', (_header, columns) => { columns.stepFull[0] = 0; }, /entries of step 0/],
    ['a step with more entries than there are', (_header, columns) => { columns.stepEntryCount[0] = 5; }, /step 0/],
    ['entries no step owns', (_header, columns) => { columns.stepEntryCount[0] = 3; }, /step entries/],
  ];
  for (const [name, change, problem] of forgeries) {
    it(`refuses ${name}`, () => assertMalformed(payload(change), problem));
  }

  it('refuses a payload whose length does not match its counts', () => {
    const good = payload();
    assertMalformed(good.subarray(0, good.length - 8), /size/);
    const longer = new Uint8Array(good.length + 8);
    longer.set(good);
    assertMalformed(longer, /size/);
  });

  it('refuses a header that is not JSON, or longer than the payload', () => {
    const bytes = payload();
    const garbled = bytes.slice();
    garbled[9] = 0xff;
    assertMalformed(garbled, /header/);
    const view = new DataView(bytes.buffer);
    view.setFloat64(0, bytes.length, true);
    assertMalformed(bytes, /header length/);
    assertMalformed(new Uint8Array(4), /too short/);
  });

  it('never throws, whatever the bytes', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const good = payload();
    for (let round = 0; round < 500; round++) {
      const bytes = good.slice();
      for (let flips = 0; flips < 1 + Math.floor(random() * 8); flips++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const checked = checkResult(bytes, MAX_NODES, TEXT_LENGTH);
      if (checked.ok) assert.ok(checked.value.columns.length <= MAX_NODES);
    }
  });
});

describe('checkFailure', () => {
  it('keeps a failure within the document, and says something when it cannot be read', () => {
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    assert.deepEqual(checkFailure(encode({ kind: 'nodes', message: 'm', start: 3, end: 5, logs: ['x'] }), TEXT_LENGTH, 0), { kind: 'nodes', message: 'm', start: 3, end: 5, logs: ['x'] });
    assert.deepEqual(checkFailure(encode({ kind: 'other', message: 7, start: 30, end: 99, logs: [1] }), TEXT_LENGTH, 2), { kind: 'error', message: 'the evaluation failed', start: 2, end: 2, logs: [] });
    assert.deepEqual(checkFailure(new Uint8Array([0xff, 0x00]), TEXT_LENGTH, 1), { kind: 'error', message: 'the evaluation failed', start: 1, end: 1, logs: [] });
  });
});

describe('FrameReader', () => {
  it('reassembles frames from any split of the stream', () => {
    const frames: Array<[number, string]> = [];
    const reader = new FrameReader(() => 100, (kind, bytes) => frames.push([kind, new TextDecoder().decode(bytes)]));
    const stream = new Uint8Array([...frameHeader(1, 2), ...new TextEncoder().encode('hi'), ...frameHeader(4, 0), ...frameHeader(2, 3), ...new TextEncoder().encode('abc')]);
    for (let at = 0; at < stream.length; at += 3) assert.equal(reader.push(stream.subarray(at, at + 3)), undefined);
    assert.deepEqual(frames, [[1, 'hi'], [4, ''], [2, 'abc']]);
  });

  it('refuses a frame longer than its kind allows before allocating it, and unknown kinds', () => {
    const reader = new FrameReader((kind) => (kind === 1 ? 10 : -1), () => assert.fail('no frame'));
    assert.match(reader.push(frameHeader(1, 2 ** 40)) ?? '', /at most 10/);
    assert.match(new FrameReader(() => -1, () => undefined).push(frameHeader(77, 1)) ?? '', /unknown kind 77/);
  });
});

/** The leaves-only result of the same snippet (`detail: 'leaves'`), before `change` is applied. */
function leavesPayloadOf(change: (header: Record<string, unknown>, columns: { data: number[]; grad: number[]; ids: number[]; labels: number[] }) => void = () => undefined): Uint8Array {
  const header: Record<string, unknown> = {
    nodeCount: 5, leafCount: 2, constantCount: 1, groupCount: 1, stepCount: 2, output: 4, outputLabel: 2, labels: ['a', 'b', 'out'],
    evaluated: [0, 31], logs: ['hello'], timings: { rewriteMs: 1, forwardMs: 0.5, backwardMs: 0.1 },
  };
  const columns = { data: [2, -3, -6], grad: [-3, 2, 1], ids: [0, 1], labels: [0, 1] };
  change(header, columns);
  return leavesPayload(new TextEncoder().encode(JSON.stringify(header)), new Float64Array(columns.data), new Float64Array(columns.grad), new Int32Array(columns.ids), new Int32Array(columns.labels), new Float64Array([-6, -5.5]));
}

describe('checkLeaves', () => {
  it('accepts a well-formed leaves-only result: the leaves, then the output last', () => {
    const checked = checkLeaves(leavesPayloadOf(), MAX_NODES, TEXT_LENGTH);
    assert.ok(checked.ok, checked.ok ? '' : checked.problem);
    assert.deepEqual(Array.from(checked.value.columns.ids), [0, 1]);
    assert.deepEqual(Array.from(checked.value.columns.grad), [-3, 2, 1]);
    assert.equal(checked.value.header.output, 4);
    assert.deepEqual(Array.from(checked.value.columns.losses), [-6, -5.5]);
  });

  const forgeries: Array<[name: string, change: Parameters<typeof leavesPayloadOf>[0], problem: RegExp]> = [
    ['more steps than nodes allowed', (header) => { header.stepCount = MAX_NODES + 1; }, /counts/],
    ['fewer losses than steps', (header) => { header.stepCount = 3; }, /size/],
    ['more nodes than the limit', (header) => { header.nodeCount = MAX_NODES + 1; }, /node count/],
    ['more leaves than nodes', (header) => { header.leafCount = 6; }, /counts/],
    ['more constants than the nodes left', (header) => { header.constantCount = 4; }, /counts/],
    ['an output past the nodes', (header) => { header.output = 5; }, /output/],
    ['a leaf id past the nodes', (_header, columns) => { columns.ids[1] = 5; }, /leaf ids/],
    ['leaf ids out of order', (_header, columns) => { columns.ids = [1, 0]; }, /leaf ids/],
    ['a name past the labels', (_header, columns) => { columns.labels[0] = 3; }, /leaf names/],
    ['columns shorter than the leaf count says', (header) => { header.leafCount = 1; }, /size/],
    ['a header that is not JSON', (header) => { header.logs = [1]; }, /labels or logs/],
  ];
  for (const [name, change, problem] of forgeries) {
    it(`refuses ${name}`, () => {
      const checked = checkLeaves(leavesPayloadOf(change), MAX_NODES, TEXT_LENGTH);
      assert.equal(checked.ok, false);
      if (!checked.ok) assert.match(checked.problem, problem);
    });
  }
});
