// One codec for the numbers JSON cannot hold, used by --json, the panel's messages and its saved state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeGraph, decodeNumber, encodeGraph, encodeNumber } from '../../src/graph/codec.ts';
import { parseGraph, serializeGraph } from '../../src/graph/model.ts';
import { model } from './model.fixture.ts';

/** `y = sqrt(x)` at x = 0: the gradient is Infinity, and so is the local derivative. */
const sqrtAtZero = model([
  { id: 0, kind: 'leaf', label: 'x', data: 0, grad: Infinity, inputs: [] },
  { id: 1, kind: 'op', op: 'sqrt', label: 'y', data: 0, grad: 1, inputs: [0], local: [Infinity] },
  { id: 2, kind: 'op', op: 'log', data: -Infinity, grad: NaN, inputs: [1], local: [Infinity] },
], 1);

describe('the non-finite number codec', () => {
  it('writes NaN and the infinities as strings, and reads them back', () => {
    assert.deepEqual([NaN, Infinity, -Infinity, 0, -2.5].map(encodeNumber), ['NaN', 'Infinity', '-Infinity', 0, -2.5]);
    assert.deepEqual(['NaN', 'Infinity', '-Infinity', 0, -2.5].map(decodeNumber), [NaN, Infinity, -Infinity, 0, -2.5]);
    assert.ok(Number.isNaN(decodeNumber(null)));
  });

  it('a graph crosses JSON (as postMessage and setState do) with its infinities, gradients and local derivatives alike', () => {
    const crossed = decodeGraph(JSON.parse(JSON.stringify(encodeGraph(sqrtAtZero))) as ReturnType<typeof encodeGraph>);
    assert.equal(crossed.nodes[0].grad, Infinity);
    assert.deepEqual(crossed.nodes[1].local, [Infinity]);
    assert.equal(crossed.nodes[2].data, -Infinity);
    assert.ok(Number.isNaN(crossed.nodes[2].grad));
    // Without the codec, JSON turns Infinity into null, which reads as NaN.
    assert.equal((JSON.parse(JSON.stringify(sqrtAtZero)) as typeof sqrtAtZero).nodes[0].grad, null);
  });

  it('--json writes the same strings, local derivatives included, and parseGraph restores them', () => {
    const text = serializeGraph(sqrtAtZero);
    assert.match(text, /"grad":"Infinity"/);
    assert.match(text, /"local":\["Infinity"\]/);
    assert.deepEqual(parseGraph(text).nodes[1].local, [Infinity]);
  });

  it('a graph with only finite numbers crosses as it is', () => {
    const finite = model([{ id: 0, kind: 'leaf', label: 'x', data: 1, grad: 2, inputs: [] }], 0);
    assert.equal(encodeGraph(finite), finite);
    assert.equal(decodeGraph(finite), finite);
  });
});
