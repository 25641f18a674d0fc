/**
 * A run's fingerprint, for the gradient check (`gradientCheck.ts`): whether two runs of a snippet, with a
 * leaf moved a little either way, took the same path through the code. It reads the tape's columns only,
 * never a gradient, so that it cannot agree with autograd by construction.
 *
 * - `flow` hashes the op code of every node in order: code that branches on a value (`x > 0 ? x : 0`)
 *   records other operations on either side of the branch point.
 * - `pieces` hashes, for each piecewise operation, which piece it was on: `Math.abs` and relu by the sign
 *   of their input, `Math.max`/`Math.min` by the input they chose, the step functions by their step. These
 *   kinks are inside one operation, so `flow` does not see them. Only operations the output is computed
 *   from count: a loop's `Math.abs(y * y - a) > 1e-12` flips its piece at rounding level, and what the
 *   comparison decides is in `flow` already.
 * - `detached` hashes the values of the constants and of `Number(…)`'s cuts: a literal is the same in
 *   every run, so a constant that moved with a leaf carries the leaf's value outside the graph (through a
 *   string, a plain number, `.data` or `.grad`), where autograd cannot follow it.
 */
import { CONST, FIRST_OP_CODE, OP_BY_CODE, OP_CODE, type OpName } from '../engine/ops.ts';

export interface TapeView {
  readonly nodeCount: number;
  readonly code: Uint8Array;
  readonly data: Float64Array;
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly naryInputs: Int32Array;
  readonly output: number;
}

export interface Fingerprint {
  readonly nodeCount: number;
  readonly flow: number;
  readonly pieces: number;
  readonly detached: number;
}

/** How a piecewise operation's piece is read: from its input's sign, from its output (a step), or from the input it chose. */
const PIECES: Partial<Record<OpName, 'inputSign' | 'output' | 'chosen' | 'quotient'>> = {
  abs: 'inputSign', relu: 'inputSign', sign: 'output',
  floor: 'output', ceil: 'output', round: 'output', trunc: 'output', fround: 'output', clz32: 'output', imul: 'output',
  max: 'chosen', min: 'chosen',
  // `x % y` jumps where x / y crosses an integer.
  mod: 'quotient',
};
const PIECE_BY_CODE = new Map(Object.entries(PIECES).map(([name, how]) => [OP_CODE[name as OpName], how]));

const NUMBER = OP_CODE.number;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const mix = (hash: number, word: number) => Math.imul(hash ^ (word >>> 0), FNV_PRIME) >>> 0;
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** A float's 64 bits folded into the hash (NaN as one NaN, -0 as 0). */
function mixNumber(hash: number, value: number): number {
  bits[0] = value === 0 ? 0 : Number.isNaN(value) ? NaN : value;
  return mix(mix(hash, words[0]), words[1]);
}

const signOf = (value: number) => (Number.isNaN(value) ? 2 : Math.sign(value));

/** The piece node `id` is on, for a piecewise operation; indices out of range (a broken tape) give NaN. */
function pieceOf(tape: TapeView, id: number, how: NonNullable<(typeof PIECES)[OpName]>): number {
  const { data, first, second, naryInputs, nodeCount } = tape;
  const input = (index: number) => (index >= 0 && index < nodeCount ? data[index] : NaN);
  switch (how) {
    case 'inputSign': return signOf(input(first[id]));
    case 'output': return data[id];
    case 'quotient': return Math.trunc(input(first[id]) / input(second[id]));
    case 'chosen': {
      const start = first[id];
      const count = second[id];
      if (start < 0 || count < 0 || start + count > naryInputs.length) return NaN;
      for (let k = 0; k < count; k++) if (Object.is(input(naryInputs[start + k]), data[id])) return k;
      return -1;
    }
  }
}

/** Which nodes the output is computed from (itself included): one pass from the output down (inputs come before their node). */
function reaching(tape: TapeView): Uint8Array {
  const { code, first, second, naryInputs, nodeCount } = tape;
  const reached = new Uint8Array(nodeCount);
  const reach = (index: number) => {
    if (index >= 0 && index < nodeCount) reached[index] = 1;
  };
  reach(tape.output);
  for (let id = nodeCount - 1; id >= 0; id--) {
    if (!reached[id] || code[id] < FIRST_OP_CODE) continue;
    const arity = OP_BY_CODE[code[id] - FIRST_OP_CODE]?.arity;
    if (arity === 'n') {
      const end = Math.min(first[id] + second[id], naryInputs.length);
      for (let k = Math.max(first[id], 0); k < end; k++) reach(naryInputs[k]);
    } else {
      reach(first[id]);
      if (arity === 2) reach(second[id]);
    }
  }
  return reached;
}

export function fingerprint(tape: TapeView): Fingerprint {
  const reached = reaching(tape);
  let flow = FNV_OFFSET;
  let pieces = FNV_OFFSET;
  let detached = FNV_OFFSET;
  for (let id = 0; id < tape.nodeCount; id++) {
    const code = tape.code[id];
    flow = mix(flow, code);
    if (code === CONST || code === NUMBER) detached = mixNumber(mix(detached, id), tape.data[id]);
    const how = code >= FIRST_OP_CODE ? PIECE_BY_CODE.get(code) : undefined;
    if (how !== undefined && reached[id]) pieces = mixNumber(mix(pieces, id), pieceOf(tape, id, how));
  }
  return { nodeCount: tape.nodeCount, flow, pieces, detached };
}
