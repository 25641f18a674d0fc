// The graph model's JSON form and its one codec for the numbers JSON cannot hold, used by --json, the
// panel's messages and its saved state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeGraph, decodeNumber, encodeGraph, encodeNumber, parseGraph, serializeGraph, writeGraphJson } from '../../src/graph/codec.ts';
import { localOf, nodesOf } from '../../src/graph/reader.ts';
import { model } from './model.fixture.ts';

/** `y = sqrt(x)` at x = 0: the gradient is Infinity, and so is the local derivative. */
const sqrtAtZero = model([
  { id: 0, kind: 'leaf', label: 'x', data: 0, grad: Infinity, inputs: [] },
  { id: 1, kind: 'op', op: 'sqrt', label: 'y', data: 0, grad: 1, inputs: [0] },
  { id: 2, kind: 'op', op: 'log', data: -Infinity, grad: NaN, inputs: [1] },
], 1);

describe('the graph model JSON and its number codec', () => {
  it('writes NaN and the infinities as strings, and reads them back', () => {
    assert.deepEqual([NaN, Infinity, -Infinity, 0, -2.5].map(encodeNumber), ['NaN', 'Infinity', '-Infinity', 0, -2.5]);
    assert.deepEqual(['NaN', 'Infinity', '-Infinity', 0, -2.5].map(decodeNumber), [NaN, Infinity, -Infinity, 0, -2.5]);
    assert.ok(Number.isNaN(decodeNumber(null)));
  });

  it('a graph crosses JSON (as postMessage and setState do) with its infinities, and its local derivatives follow', () => {
    const crossed = decodeGraph(JSON.parse(JSON.stringify(encodeGraph(sqrtAtZero))) as ReturnType<typeof encodeGraph>);
    const nodes = nodesOf(crossed);
    assert.equal(nodes[0].grad, Infinity);
    assert.deepEqual(localOf(crossed, 1), [Infinity]);
    assert.equal(nodes[2].data, -Infinity);
    assert.ok(Number.isNaN(nodes[2].grad));
    assert.ok(crossed.data instanceof Float64Array && crossed.inputs instanceof Int32Array, 'columns typed again');
    // Without the codec, JSON turns Infinity into null, which reads as NaN.
    assert.equal((JSON.parse(JSON.stringify({ grad: Array.from(sqrtAtZero.grad) })) as { grad: unknown[] }).grad[0], null);
  });

  it('--json writes columns as arrays with the same strings, and parseGraph restores them', () => {
    const text = serializeGraph(sqrtAtZero);
    assert.match(text, /"grad":\["Infinity",1,"NaN"\]/);
    assert.match(text, /"inputStart":\[0,0,1,2\],"inputs":\[0,1\]/);
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(encodeGraph(sqrtAtZero))));
    assert.deepEqual(nodesOf(parseGraph(text)), nodesOf(sqrtAtZero));
    assert.throws(() => parseGraph(text.replace('"version":3', '"version":1')), /version 1 is not 3/);
  });

  it('writes a large graph in pieces, none of them the whole', () => {
    const count = 200_000;
    const large = model(Array.from({ length: count }, (_, id) => ({ id, kind: 'leaf' as const, data: id, grad: 1, inputs: [] })), 0);
    const pieces: string[] = [];
    writeGraphJson(large, (piece) => pieces.push(piece));
    const longest = Math.max(...pieces.map((piece) => piece.length));
    assert.ok(pieces.length > 10 && longest < 2_000_000, `${pieces.length} pieces, the longest ${longest} characters`);
    assert.equal(parseGraph(pieces.join('')).nodeCount, count);
  });
});
