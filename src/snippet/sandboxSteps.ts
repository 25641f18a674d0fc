/**
 * The training steps of a snippet, recorded by the runtime inside the vm context: each `x.backward()` the
 * snippet calls is a step. A step keeps the node it started from, that node's value (one point of the loss
 * curve), and for the nodes the pass reached: the pass's own gradient (∂loss_k/∂node, never a sum over
 * passes), the `.grad` the snippet saw just after it (accumulated, as it asked), and the node's value then
 * (a parameter's `.data` changes between steps; every other node's value is fixed when it is made).
 *
 * Memory is bounded: the entries of all steps together stay within `ENTRY_BUDGET`. When they would not, the
 * oldest steps keep only their leaves' entries (the parameters' values and gradients), and past that only
 * their loss, so that the latest steps keep their whole graphs and every step keeps its loss. A step says
 * whether it kept its whole graph (`full`).
 *
 * Only typed arrays made here, and numbers, leave this file: the host reads them as columns.
 */
import { LEAF } from '../engine/ops.ts';
import type { BackwardPass, Tape } from '../engine/tape.ts';

/** The most entries (one per node a step reached) all steps keep together: 28 bytes each, 56 MB. */
export const ENTRY_BUDGET = 2_000_000;

/** How many of the latest steps keep their graphs before older steps give up their parameters. */
const KEEP_LATEST = 8;

export interface StepColumns {
  readonly count: number;
  readonly entryCount: number;
  readonly output: Int32Array;
  readonly loss: Float64Array;
  readonly entryCountOf: Int32Array;
  readonly full: Uint8Array;
  readonly node: Int32Array;
  readonly grad: Float64Array;
  readonly accumulated: Float64Array;
  readonly data: Float64Array;
}

/** The recorder: `record` after each of the snippet's backward passes, `columns` once it has run. */
export function createSteps(tape: Tape, budget = ENTRY_BUDGET) {
  let count = 0;
  let output = new Int32Array(64);
  let loss = new Float64Array(64);
  let entryCountOf = new Int32Array(64);
  let full = new Uint8Array(64);
  let entries = 0;
  let node = new Int32Array(1024);
  let grad = new Float64Array(1024);
  let accumulated = new Float64Array(1024);
  let data = new Float64Array(1024);

  function reserveSteps(): void {
    if (count < output.length) return;
    const capacity = output.length * 2;
    output = grownInt(output, capacity);
    loss = grownFloat(loss, capacity);
    entryCountOf = grownInt(entryCountOf, capacity);
    const bigger = new Uint8Array(capacity);
    bigger.set(full);
    full = bigger;
  }

  function reserveEntries(needed: number): void {
    if (needed <= node.length) return;
    let capacity = node.length * 2;
    while (capacity < needed) capacity *= 2;
    node = grownInt(node, capacity);
    grad = grownFloat(grad, capacity);
    accumulated = grownFloat(accumulated, capacity);
    data = grownFloat(data, capacity);
  }

  /**
   * Keeps only the leaves' entries of the oldest steps until `needed` more entries fit in the budget; if
   * the leaves alone do not fit, the oldest steps keep their loss only. Compacts the entries in one pass.
   */
  function makeRoom(needed: number): void {
    let over = entries + needed - budget;
    if (over <= 0) return;
    // 1: keep the leaves only; 2: keep nothing but the loss (when the leaves of many steps pass the budget).
    const cut = new Uint8Array(count);
    const thin = (last: number) => {
      for (let step = 0, start = 0; step < last && over > 0; step++) {
        const end = start + entryCountOf[step];
        if (full[step] === 1 && cut[step] === 0) {
          for (let entry = start; entry < end; entry++) if (tape.code[node[entry]] !== LEAF) over--;
          cut[step] = 1;
        }
        start = end;
      }
    };
    // First the graphs of all but the latest steps; then the parameters of the oldest steps; then, if
    // that is not enough, the graphs of the latest too.
    thin(count - KEEP_LATEST);
    for (let step = 0, start = 0; step < count && over > 0; step++) {
      const end = start + entryCountOf[step];
      if (cut[step] === 1 || (full[step] === 0 && entryCountOf[step] > 0)) {
        for (let entry = start; entry < end; entry++) if (tape.code[node[entry]] === LEAF) over--;
        cut[step] = 2;
      }
      start = end;
    }
    thin(count);
    let write = 0;
    let read = 0;
    for (let step = 0; step < count; step++) {
      const end = read + entryCountOf[step];
      let kept = 0;
      for (; read < end; read++) {
        if (cut[step] === 2 || (cut[step] === 1 && tape.code[node[read]] !== LEAF)) continue;
        node[write] = node[read];
        grad[write] = grad[read];
        accumulated[write] = accumulated[read];
        data[write] = data[read];
        write++;
        kept++;
      }
      entryCountOf[step] = kept;
      if (cut[step] !== 0) full[step] = 0;
    }
    entries = write;
  }



  /** Records the pass the snippet just ran from `from` (the tape's `grad` already holds its sum). */
  function record(from: number, pass: BackwardPass): void {
    const { adjoint, nodes } = pass;
    const reachedCount = nodes.length;
    let leafCount = 0;
    for (let index = 0; index < reachedCount; index++) if (tape.code[nodes[index]] === LEAF) leafCount++;
    // A step larger than the whole budget keeps its leaves only, as an old step would.
    const whole = reachedCount <= budget;
    const adding = whole ? reachedCount : leafCount;
    makeRoom(adding);
    reserveSteps();
    reserveEntries(entries + adding);
    output[count] = from;
    loss[count] = tape.data[from];
    full[count] = whole ? 1 : 0;
    entryCountOf[count] = adding;
    // Ascending: the pass visited them from the top down.
    for (let index = reachedCount - 1; index >= 0; index--) {
      const id = nodes[index];
      if (!whole && tape.code[id] !== LEAF) continue;
      node[entries] = id;
      grad[entries] = adjoint[id];
      accumulated[entries] = tape.grad[id];
      data[entries] = tape.data[id];
      entries++;
    }
    count++;
  }

  function columns(): StepColumns {
    return { count, entryCount: entries, output, loss, entryCountOf, full, node, grad, accumulated, data };
  }

  return { record, columns, count: () => count };
}

function grownInt(array: Int32Array<ArrayBuffer>, capacity: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(capacity);
  bigger.set(array);
  return bigger;
}

function grownFloat(array: Float64Array<ArrayBuffer>, capacity: number): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(capacity);
  bigger.set(array);
  return bigger;
}
